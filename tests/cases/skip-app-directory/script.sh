# A directory that holds more than jobs: a kustomization, RBAC, a ConfigMap and Secret,
# another MLRun function are skipped and counted, not errors; compile writes the jobs.
"$SPARKC" validate --no-config --summary app/
"$SPARKC" validate --no-config --format tap app/
"$SPARKC" compile --no-config app/ | grep -E '^kind|^  name'
"$SPARKC" compile --no-config -o out --kustomization app/ && find out -type f | sort
