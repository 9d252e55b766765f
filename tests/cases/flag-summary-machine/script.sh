# Machine formats print no summary unless asked; it goes to stderr.
"$SPARKC" validate --no-config --format json a.yaml 2>err.txt >/dev/null; echo "stderr: $(cat err.txt)"
"$SPARKC" validate --no-config --format json --summary a.yaml 2>err.txt >/dev/null; echo "stderr: $(cat err.txt)"
"$SPARKC" compile --no-config --diagnostics json --summary a.yaml 2>&1 >/dev/null | tail -1
