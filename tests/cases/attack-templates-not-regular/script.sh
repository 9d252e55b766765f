# A template that is no regular file: a committed link to /dev/stdin (a terminal or a
# pipe that never closes in a hook) or to a FIFO, and a directory. The run says so
# and ends, instead of waiting on it for ever; .sparkc.yaml's templates: points there
# as --templates does.
mkdir jobs tpl
printf 'kind: spark\nmetadata: {name: etl, namespace: data}\nspec: {command: /app/etl.py, image: spark:3.5.1}\n' > jobs/etl.yaml
mkfifo fifo
ln -s ../fifo tpl/defaults.yaml
ln -s /dev/stdin tpl/igz.yaml
sleep 30 | timeout 20 "$SPARKC" compile --templates tpl jobs 2>&1 | grep -o 'error: .*' || echo "exit $?"
rm tpl/defaults.yaml tpl/igz.yaml
mkdir tpl/defaults.yaml
printf 'templates: tpl\n' > .sparkc.yaml
timeout 20 "$SPARKC" compile jobs 2>&1 | grep -o 'error: .*' || echo "exit $?"
