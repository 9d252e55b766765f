# every command refuses the template before any output, -o writes nothing
for c in validate explain; do $SPARKC $c --templates tmpl input.yaml || echo "$c: exit $?"; done
$SPARKC compile --templates tmpl -o out input.yaml || echo "compile -o: exit $?"
test ! -e out && echo "nothing written"
