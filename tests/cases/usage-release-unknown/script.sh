# an unknown release is a usage error naming the releases sparkc knows
printf 'kind: spark\nmetadata: {name: a}\nspec: {command: local:///a.py, image: spark:3.5}\n' > job.yaml
$SPARKC validate --mlrun-version 1.6 job.yaml || echo "exit $?"
$SPARKC compile --operator-version 2.4.0 job.yaml || echo "exit $?"
# a patch number is the release's; a v before an operator release is its tag
$SPARKC validate --mlrun-version 1.11.3 --operator-version v2.5.2 job.yaml && echo ok
