# Preemption modes before and after MLRun 1.10. Up to 1.9 the SDK's setters apply them
# (mlrun/runtimes/pod.py, enrich_function_preemption_spec), also when MLRun's server
# loads the function: to each role's own fields, and to the function's node_selector
# under its preemption_mode, before the submit merges in the default selector; allow
# takes the preemptible (anti-)affinity and labels out. From 1.10 the server applies them
# to the merged selector (mlrun/k8s_utils.py, enrich_preemption_mode), and allow only adds
# the tolerations.
for v in 1.9 1.10; do
	$SPARKC compile --templates tmpl --mlrun-version $v input.yaml > $v.manifest.yaml
done
diff -u --label 'MLRun 1.9' --label 'MLRun 1.10' 1.9.manifest.yaml 1.10.manifest.yaml || true
