# operator.version and mlrun.version, as --operator-version and --mlrun-version (which
# win): a field only the operator's master has passes under it.
git init -q .
"$SPARKC" validate --summary jobs/a.yaml
"$SPARKC" validate -q --operator-version 2.5.2 jobs/a.yaml 2>&1 | grep -o '\[[a-z-]*\]$' | sort -u
printf 'operator:\n  version: "1.0"\n' > .sparkc.yaml
"$SPARKC" validate jobs/a.yaml || echo "exit $?"
