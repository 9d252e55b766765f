# .sparkc.yaml is committed: an exclude glob of a dozen `**` components against a
# directory tree 40 deep tried every way to share the path among them and never
# ended. The globs still mean what they meant: `**` any number of directories, a
# trailing one everything below (not the directory itself).
bad='kind: spark\nmetadata: {name: x, namespace: d}\nspec: {image: spark:3.5.1}\n'
d=jobs
for i in $(seq 1 40); do d=$d/d; done
mkdir -p "$d" jobs/a/b/c jobs/keep
printf "$bad" > "$d/deep.yaml"
for f in a/x.yaml a/b/x.yaml a/b/c/y.yaml keep/x.yaml top.yaml; do printf "$bad" > "jobs/$f"; done
run() {
	printf 'exclude: [%s]\n' "$1" > .sparkc.yaml
	echo "--- exclude: [$1]"
	timeout 20 "$SPARKC" validate jobs 2>&1 | grep ': error: ' | cut -d: -f1 | sed 's#jobs/\(d/\)*#jobs/.../#' | sort -u
}
run '"**/**/**/**/**/**/**/**/**/**/**/**/q"'
run '"**/**/**/**/**/**/**/**/**/**/**/**/deep.yaml"'
run '"jobs/a/**"'
run '"**/b/**"'
run '"**/x.yaml"'
run '"jobs/a/**/y.yaml", "top.yaml", "jobs/**/keep/**"'
