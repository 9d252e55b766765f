"$SPARKC" compile -o out jobs
"$SPARKC" compile --check -o out jobs && echo "up to date"
echo "  replicas: 3" >> jobs/a.yaml
cp jobs/a.yaml jobs/c.yaml; sed -i 's/name: a/name: c/' jobs/c.yaml
"$SPARKC" compile --check -o out jobs || echo "exit $?"
grep -c replicas out/default-tenant/a.yaml || true
