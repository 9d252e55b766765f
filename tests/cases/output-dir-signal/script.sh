python3 "$SPARKC_REPO/bench/gen_jobs.py" 5000 jobs.yaml
"$SPARKC" compile -o out jobs.yaml 2>/dev/null &
pid=$!
sleep 1
kill -TERM $pid
wait $pid || echo "ended by a signal: exit $?"
test -e out && find out | sort || echo "nothing left behind"
