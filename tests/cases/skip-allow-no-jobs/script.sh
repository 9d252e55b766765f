# --allow-no-jobs: a run whose every file holds only other Kubernetes objects or MLRun
# functions (a commit that touched a ServiceAccount and a kustomization) succeeds, each
# file skipped; without it the same run fails, each object drawing its error at kind.
"$SPARKC" validate --no-config --allow-no-jobs sa.yaml kustomization.yaml function.yaml && echo "exit 0, nothing printed"
"$SPARKC" validate --no-config --allow-no-jobs --summary sa.yaml kustomization.yaml function.yaml
"$SPARKC" validate --no-config --allow-no-jobs --format junit sa.yaml kustomization.yaml
"$SPARKC" validate --no-config sa.yaml function.yaml || echo "exit $? without --allow-no-jobs"
# what is not a file of other objects stays an error: an empty file, a file with no
# document, a misnamed kind, a YAML error
for f in empty.yaml no-document.yaml sprak.yaml broken.yaml; do
	"$SPARKC" validate --no-config --allow-no-jobs sa.yaml "$f" || echo "exit $? ($f)"
done
