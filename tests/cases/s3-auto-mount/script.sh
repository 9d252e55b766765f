# MLRun 1.10 names the endpoint AWS_ENDPOINT_URL_S3, 1.9 S3_ENDPOINT_URL
$SPARKC compile --templates tmpl input.yaml > 1.11.manifest.yaml
$SPARKC compile --templates tmpl --mlrun-version 1.9 input.yaml > 1.9.manifest.yaml
cat 1.11.manifest.yaml
diff -u --label 'MLRun 1.9' --label 'MLRun 1.11' 1.9.manifest.yaml 1.11.manifest.yaml || true
