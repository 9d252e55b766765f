# fail-on: warning makes warnings fail the run; JUnit and TAP count the file as failed;
# --fail-on on the command line wins; -q keeps the warnings that fail the run (a run
# never fails on what it did not print).
git init -q .
"$SPARKC" validate -q jobs/ || echo "exit $?"
"$SPARKC" validate --format tap jobs/ || echo "exit $?"
"$SPARKC" validate --format junit jobs/ || echo "exit $?"
"$SPARKC" validate -q --fail-on error jobs/ && echo "exit 0"
"$SPARKC" compile jobs/ > out.yaml || echo "exit $? and nothing written: $(wc -c < out.yaml) bytes"
"$SPARKC" validate -q --no-config --fail-on warning jobs/ || echo "exit $?"
