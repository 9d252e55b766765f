# A project Secret's keys as env vars: MLRun 1.7 names each prefix + key upper-cased,
# 1.8 on prefix + key as written (mlrun/secrets.py, k8s_env_variable_name_for_secret).
for v in 1.7 1.8; do
	$SPARKC compile --templates tmpl --mlrun-version $v input.yaml > $v.manifest.yaml
done
diff -u --label 'MLRun 1.7' --label 'MLRun 1.8' 1.7.manifest.yaml 1.8.manifest.yaml || true
