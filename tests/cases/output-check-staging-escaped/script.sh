# A staging directory named with control characters is reported with them escaped
# (one a killed run left: it holds sparkc's marker, as only sparkc's are reported).
"$SPARKC" compile -o out job.yaml
staging="out/$(printf '.sparkc-staging.1.\033[2J\rX')"
mkdir "$staging"
printf "sparkc compile -o: this run's files before they are renamed into place.\nA run that was killed leaves this directory; the next run removes it.\n" > "$staging/.sparkc-staging"
"$SPARKC" compile --check -o out job.yaml || echo "exit $?"
