# YAML that is no Kubernetes object or MLRun function (no kind, metadata or spec: a
# GitHub workflow, mkdocs.yml, a list such as an Ansible playbook) is skipped like other
# objects, and errs only in a run that finds no job. A walk does not enter a Helm chart
# (a directory holding Chart.yaml: its templates are YAML only once rendered); a
# template named by hand is a YAML error whose hint says what it is.
cd repo
"$SPARKC" validate --no-config --summary . .github/workflows/ci.yml
"$SPARKC" validate --no-config mkdocs.yml ansible.yml || echo "exit $?"
"$SPARKC" validate --no-config charts/ || echo "exit $?"
"$SPARKC" validate --no-config charts/spark-jobs/templates/app.yaml || echo "exit $?"
