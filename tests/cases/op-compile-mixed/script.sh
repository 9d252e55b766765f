# A folder mixing jobs and operator manifests renders as one; a manifest without a
# namespace is filed (and written) under -n's.
"$SPARKC" compile -n batch -o out jobs
find out -name '*.yaml' | sort
cat out/batch/hourly.yaml
