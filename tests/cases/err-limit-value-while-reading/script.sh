# A value longer than --max-scalar-size is stopped while it is read, before the parser
# holds it whole: the message counts the bytes read since the last YAML node.
{ printf 'kind: spark\nmetadata:\n  name: '; head -c 300000 /dev/zero | tr '\0' x; printf '\n'; } > long.yaml
"$SPARKC" validate --max-scalar-size 1000 long.yaml 2>&1 | head -1 | cut -c1-120
"$SPARKC" validate --max-scalar-size 1000 long.yaml || echo "exit $?"
# within the limit plus what the parser reads ahead, the length is checked exactly
{ printf 'kind: spark\nmetadata:\n  name: '; head -c 2000 /dev/zero | tr '\0' x; printf '\n'; } > short.yaml
"$SPARKC" validate --max-scalar-size 1000 short.yaml 2>&1 | head -1
