# --config FILE for every input, --no-config for none; not both (in lsp either).
git init -q .
echo "nearest:"; "$SPARKC" validate jobs/ 2>&1 | grep -o '\[[a-z-]*\]$'
echo "--config other.yaml:"; "$SPARKC" validate --config other.yaml jobs/ 2>&1 | grep -o '\[[a-z-]*\]$'
echo "--no-config:"; "$SPARKC" validate --no-config jobs/ 2>&1 | grep -o '\[[a-z-]*\]$'
"$SPARKC" validate --config other.yaml --no-config jobs/ || echo "exit $?"
"$SPARKC" validate --config missing.yaml jobs/ || echo "exit $?"
"$SPARKC" lsp --config other.yaml --no-config </dev/null || echo "lsp: exit $?"
