"$SPARKC" compile -o out jobs
find out -type f | sort
cat out/default-tenant/a.yaml | head -3
touch -d '2000-01-01' out/default-tenant/a.yaml
"$SPARKC" compile -o out jobs
ls -l --time-style=+%Y out/default-tenant/a.yaml | awk '{print $6}'
ls -A out/default-tenant
