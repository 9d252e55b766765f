# An alias bomb (10^30 nodes once its aliases are expanded, 2 KB as written) in a
# --templates file and in .sparkc.yaml, both committed beside the jobs: the node limit
# that bounds a job file bounds them too, so the run ends at once with an error instead
# of walking the expanded tree (it ran until killed).
mkdir jobs tpl
printf 'kind: spark\nmetadata: {name: etl, namespace: data}\nspec: {command: /app/etl.py, image: spark:3.5.1}\n' > jobs/etl.yaml
bomb() {
	echo 'a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]'
	i=1
	while [ $i -lt 30 ]; do
		p=$((i - 1))
		echo "a$i: &a$i [*a$p,*a$p,*a$p,*a$p,*a$p,*a$p,*a$p,*a$p,*a$p,*a$p]"
		i=$((i + 1))
	done
}
{ bomb; echo 'spec: {spark_conf: {spark.app.bomb: *a29}}'; } > tpl/defaults.yaml
timeout 20 "$SPARKC" compile --templates tpl jobs 2>&1 | grep -o 'error: .*' | head -n 1
{ bomb; echo 'exclude: *a29'; } > .sparkc.yaml
timeout 20 "$SPARKC" validate jobs 2>&1 | grep -o 'error: .*' | head -n 1
