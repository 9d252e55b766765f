# Forged GitHub workflow commands. The runner takes a line for a command when, its
# leading white space trimmed, it starts with "::" (actions/runner ActionCommand.cs,
# TryParseV2), or when "##[" appears anywhere in it (TryParse, the older form, which
# ActionCommandManager.TryProcessCommand still tries) - on stdout and stderr alike. A
# file name at the start of a text diagnostic, a value echoed in a message, a comment
# shown in a code frame, a name in a note: none may make such a line, in any format.
# Only sparkc's own --format github lines are commands.
mkdir jobs
printf 'kind: spark\nmetadata: {name: x, namespace: d}\nspec: {image: 1}\n' > 'jobs/::error title=forged::by a file name.yaml'
printf 'kind: spark\nmetadata: {name: x, namespace: e}\nspec: {image: 1}\n' > 'jobs/ ::warning::indented.yaml'
printf 'kind: spark\nmetadata: {name: x, namespace: f}\nspec: {image: 1}\n' > "jobs/$(printf '\342\200\203')::notice::em space.yaml"
cat > 'jobs/##[add-mask]name.yaml' <<'YAML'
kind: spark
metadata:
  name: "x ##[error]forged by a name"
  namespace: "##[stop-commands]token"
spec:
  image: spark:3.5.1
  command: /app/x.py
  spark_conf: {"##[warning]key": "##[error]value"}   # ##[error]forged by a comment
YAML
cd jobs
check() {
	python3 -c '
import sys
cmds = {"error", "warning", "notice", "debug", "group", "endgroup", "echo", "add-mask", "add-path", "set-env",
        "set-output", "save-state", "add-matcher", "remove-matcher", "stop-commands"}
own = sys.argv[1] == "github"
forged = 0
for stream in ("out", "err"):
    for line in open(stream, encoding="utf-8", errors="replace").read().split("\n"):
        t = line.lstrip()
        v2 = t.startswith("::") and t.find("::", 2) > 0 and t[2:t.find("::", 2)].split(" ")[0] in cmds
        at = line.find("##[")
        v1 = at >= 0 and line.find("]", at) > 0 and line[at + 3:line.find("]", at)].split(" ")[0] in cmds
        if v2 and own and stream == "out" and (t.startswith("::error file=") or t.startswith("::warning file=")):
            continue
        if v2 or v1:
            print(sys.argv[1], stream, "forged:", line)
            forged += 1
print(sys.argv[1] + ":", "forged" if forged else "no workflow command but sparkc'"'"'s own")
' "$1"
}
for format in text github json sarif junit tap; do
	"$SPARKC" validate --format "$format" -- *.yaml > out 2> err && echo "$format: exit 0" || echo "$format: exit $?"
	check "$format"
done
"$SPARKC" validate -- *.yaml 2>&1 | grep ': error: ' | cut -d: -f1-3
"$SPARKC" explain -- '##[add-mask]name.yaml' > out 2> err || true
check explain
"$SPARKC" compile -o out -- *.yaml > out 2> err || true
check compile
