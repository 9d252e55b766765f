# What MLRun's submission changed between releases, field by field: the manifests for
# MLRun 1.7, 1.11 and 1.12 of the same jobs, as unified diffs (schemas/upstreams.yaml).
for v in 1.7 1.11 1.12; do
	$SPARKC compile --templates tmpl --mlrun-version $v input.yaml > $v.manifest.yaml
done
diff -u --label 'MLRun 1.7' --label 'MLRun 1.11' 1.7.manifest.yaml 1.11.manifest.yaml || true
diff -u --label 'MLRun 1.11' --label 'MLRun 1.12' 1.11.manifest.yaml 1.12.manifest.yaml || true
