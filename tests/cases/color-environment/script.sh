# FORCE_COLOR colours output that is no terminal; --color=never wins over it; NO_COLOR
# alone leaves it plain, and --color=always wins over NO_COLOR.
echo "FORCE_COLOR=1:"
FORCE_COLOR=1 "$SPARKC" validate -q input.yaml 2>&1 || true
echo "FORCE_COLOR=1 --color=never:"
FORCE_COLOR=1 "$SPARKC" validate -q --color=never input.yaml 2>&1 || true
echo "FORCE_COLOR=0:"
FORCE_COLOR=0 "$SPARKC" validate -q input.yaml 2>&1 || true
echo "NO_COLOR=1 --color always:"
NO_COLOR=1 "$SPARKC" validate -q --color always input.yaml 2>&1 || true
# --color alone is always, as for ls and grep: the word after it stays a file, before
# or after the files
echo "--color input.yaml:"
"$SPARKC" validate -q --color input.yaml 2>&1 || true
echo "input.yaml --color:"
"$SPARKC" validate -q input.yaml --color 2>&1 || true
