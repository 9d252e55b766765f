# The machine formats cover a manifest's findings as a job's.
for f in sarif github junit tap json; do
	echo "== $f"
	"$SPARKC" validate --format $f input.yaml || echo "exit $?"
done
