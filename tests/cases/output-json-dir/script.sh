"$SPARKC" compile --format json -o out job.yaml
find out -type f
