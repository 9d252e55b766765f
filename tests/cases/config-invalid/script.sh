# The configuration is checked like a job: line:column, did you mean, its schema.
git init -q .
"$SPARKC" validate jobs/a.yaml || echo "exit $?"
printf 'rules: [\n' > .sparkc.yaml
"$SPARKC" validate jobs/a.yaml || echo "exit $?"
