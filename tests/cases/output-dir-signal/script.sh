# SIGTERM at some point of a 5,000-job run: all files or none, and no staging left.
python3 "$SPARKC_REPO/bench/gen_jobs.py" 5000 jobs.yaml
"$SPARKC" compile -o out jobs.yaml 2>/dev/null &
pid=$!
sleep 1
kill -TERM $pid 2>/dev/null || true     # a fast build may have finished: all files, then
wait $pid 2>/dev/null || true
n=$(find out -name '*.yaml' 2>/dev/null | wc -l)
case $n in 0|5000) echo "all or nothing" ;; *) echo "$n files of 5000" ;; esac
echo "$(find out -name '.sparkc-staging*' 2>/dev/null | wc -l) staging directories left"
