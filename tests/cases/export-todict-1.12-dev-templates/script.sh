# An export of MLRun's development line (1.12) compiled for each release from 1.9 on,
# with a service's templates: the S3 auto-mount (endpoint variable from 1.10; from 1.12
# it replaces the job's own value only because auto_mount_injected_env_names says the
# auto-mount wrote it), spot tolerations for the executor's preemption mode allow (from
# 1.10 at submit), env_from (1.11) and the default pod labels (1.12).
for v in 1.9 1.10 1.11 1.12; do
	$SPARKC compile --templates tmpl --mlrun-version $v input.yaml > $v.manifest.yaml 2>$v.err || cat $v.err
done
grep -h 'warning:' 1.9.err 1.12.err || true
diff -u --label 'MLRun 1.9' --label 'MLRun 1.10' 1.9.manifest.yaml 1.10.manifest.yaml || true
diff -u --label 'MLRun 1.10' --label 'MLRun 1.11' 1.10.manifest.yaml 1.11.manifest.yaml || true
diff -u --label 'MLRun 1.11' --label 'MLRun 1.12' 1.11.manifest.yaml 1.12.manifest.yaml || true
