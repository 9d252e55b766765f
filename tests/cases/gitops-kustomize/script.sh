# kubectl kustomize (offline) reads what -o wrote, and builds the same objects with
# the same values: the tree is ready for a GitOps repository.
"$SPARKC" compile -o out "$SPARKC_REPO/samples" jobs
(cd out && find . -name '*.yaml' | sed 's|^\./||' | sort) > files
{ echo "resources:"; sed 's/^/  - /' files; } > out/kustomization.yaml
kubectl kustomize out > built.yaml
/usr/bin/python3 - <<'PY'
import yaml
# kustomize writes the string "<<" unquoted, which a YAML 1.1 reader takes for a merge
# key; read both sides without merge keys (sparkc's own output is checked with them).
class Loader(yaml.SafeLoader):
    yaml_implicit_resolvers = {c: [(t, r) for t, r in rs if t != "tag:yaml.org,2002:merge"]
                               for c, rs in yaml.SafeLoader.yaml_implicit_resolvers.items()}
def key(d):
    return d["kind"], d["metadata"].get("namespace", ""), d["metadata"]["name"]
written = {}
for path in open("files").read().split():
    for d in yaml.load_all(open("out/" + path), Loader):
        written[key(d)] = d
built = {key(d): d for d in yaml.load_all(open("built.yaml"), Loader) if d}
print(len(written), "manifests written,", len(built), "built by kustomize")
for k in sorted(set(built) | set(written)):
    print(*k, "same" if built.get(k) == written.get(k) else "DIFFERENT")
PY
