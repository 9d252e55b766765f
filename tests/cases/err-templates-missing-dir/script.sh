# a mistyped --templates is a usage error in every command, never the built-in defaults
for c in compile validate explain; do $SPARKC $c --templates no-such-dir input.yaml || echo "$c: exit $?"; done
touch afile
$SPARKC compile --templates afile input.yaml || echo "compile (a file): exit $?"
