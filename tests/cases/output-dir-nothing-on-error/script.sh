"$SPARKC" compile -o out jobs 2>err.txt || echo "exit $?"
test -e out && echo "out exists" || echo "nothing written"
sed 's/^/  /' err.txt
