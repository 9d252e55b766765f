# --disable and --enable win over the configuration; an unknown rule, or one whose
# errors cannot be silenced, is a usage error.
git init -q .
"$SPARKC" validate --disable conf-unknown a.yaml 2>&1 | grep -o '\[[a-z-]*\]$' || echo "(none)"
"$SPARKC" validate --enable executor-cores --disable conf-unknown,unused-ignore a.yaml 2>&1 | grep -o '\[[a-z-]*\]$'
"$SPARKC" validate --disable executer-cores a.yaml || echo "exit $?"
"$SPARKC" validate --disable name-length a.yaml || echo "exit $?"
"$SPARKC" validate --fail-on warnings a.yaml || echo "exit $?"
