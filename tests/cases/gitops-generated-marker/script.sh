# Every YAML file -o writes opens with sparkc's generated-file marker (Go's "Code
# generated ... DO NOT EDIT." line in YAML's comment); standard output and JSON files
# carry none. yamllint, PyYAML and kubectl kustomize read the files as before. A
# generated manifest edited by hand still carries the marker, so the next run replaces
# it and says so; with the marker line removed too, it is no longer sparkc's and the
# run stops, naming it.
export NO_COLOR=1
"$SPARKC" compile -o out --kustomization jobs
for f in $(cd out && find . -name '*.yaml' | sed 's|^\./||' | sort); do
	printf '%s: %s\n' "$f" "$(head -1 "out/$f")"
done
echo "--- standard output and --format json: no marker"
"$SPARKC" compile jobs | head -1
"$SPARKC" compile --format json -o json jobs
head -c 1 json/analytics/etl.json && echo
echo "--- yamllint, PyYAML and kubectl kustomize read what -o wrote"
yamllint -d '{extends: default, rules: {line-length: disable, document-start: disable}}' out && echo "yamllint: clean"
"$SPARKC" compile jobs > compiled.yaml
kubectl kustomize out > built.yaml
/usr/bin/python3 - <<'PY'
import glob, yaml
key = lambda d: (d["kind"], d["metadata"].get("namespace", ""), d["metadata"]["name"])
written = {key(d): d for f in glob.glob("out/*/*.yaml") for d in yaml.safe_load_all(open(f))}
compiled = {key(d): d for d in yaml.safe_load_all(open("compiled.yaml")) if d}
built = {key(d): d for d in yaml.safe_load_all(open("built.yaml")) if d}
print(len(written), "files read by PyYAML:", "the compiled objects" if written == compiled else "DIFFERENT")
print(len(built), "objects built by kustomize:", "the same" if built == written else "DIFFERENT")
PY
echo "--- a hand edit: --check shows it, -o replaces it and says so"
sed -i 's/instances: 2/instances: 8/' out/analytics/etl.yaml
"$SPARKC" compile --check -o out --kustomization jobs || echo "exit $?"
"$SPARKC" compile -o out --kustomization jobs 2>&1 && echo "exit 0"
grep -c 'instances: 8' out/analytics/etl.yaml || true
echo "--- the marker line removed too: not sparkc's any more, the run stops"
sed -i -e 1d -e 's/instances: 2/instances: 8/' out/analytics/etl.yaml
"$SPARKC" compile -o out --kustomization jobs 2>&1 || echo "exit $?"
grep -c 'instances: 8' out/analytics/etl.yaml
