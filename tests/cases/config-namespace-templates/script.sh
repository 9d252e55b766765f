# namespace acts as -n and templates as --templates (relative to the configuration),
# wherever sparkc runs; -n wins.
git init -q .
"$SPARKC" compile jobs/a.yaml | grep -E '^  namespace|^  image|pool|sparkVersion'
cd jobs && "$SPARKC" compile a.yaml | grep -E '^  namespace|^  image' && cd ..
"$SPARKC" compile -n other jobs/a.yaml | grep -E '^  namespace'
