"$SPARKC" init --schema=sparkjob.schema.json nightly-etl > job.yaml
cat job.yaml
"$SPARKC" validate job.yaml && echo "validates"
"$SPARKC" compile job.yaml | grep -E '^kind:|^  name:'
