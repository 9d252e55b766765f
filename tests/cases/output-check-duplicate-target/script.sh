"$SPARKC" compile --check -o out a.yaml b.yaml || echo "exit $?"
