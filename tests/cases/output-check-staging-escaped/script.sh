# A staging directory named with control characters is reported with them escaped.
"$SPARKC" compile -o out job.yaml
mkdir "out/$(printf '.sparkc-staging.1.\033[2J\rX')"
"$SPARKC" compile --check -o out job.yaml || echo "exit $?"
