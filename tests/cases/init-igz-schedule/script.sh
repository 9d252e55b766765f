"$SPARKC" init nightly-report --igz --schedule '30 1 * * MON-FRI' --schema s.json > job.yaml
tail -12 job.yaml
"$SPARKC" validate job.yaml && echo "validates"
"$SPARKC" compile job.yaml | grep -E '^kind:|schedule:|V3IO_USERNAME'
