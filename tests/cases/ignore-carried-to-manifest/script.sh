# Comments do not survive compiling: the rules a job's (or a hand-written manifest's)
# ignore comments silence, and that its manifest draws too, go into the manifest's
# sparkc.io/ignore annotation (beside one it had), so that validate is as quiet on
# what compile -o wrote as on the jobs. build-not-run, a rule of the job format alone,
# is not carried (nor image-registry-relative, which a manifest does not draw): on the manifest it would be an unused ignore.
"$SPARKC" compile -o out --kustomization jobs/ 2>&1
echo "exit $?"
grep -rn -A3 "annotations:" out/default-tenant/etl.yaml out/spark/pi.yaml
"$SPARKC" validate --summary out/ 2>&1
echo "exit $?"
