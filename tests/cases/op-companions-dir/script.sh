# Objects beside an application are filed as <name>.<kind>.yaml, under their own
# namespace, else -n's (written into them, as kubectl apply -n would); validate and
# explain take them silently.
"$SPARKC" compile -n batch -o out jobs
find out -name '*.yaml' | sort
cat out/batch/spark-conf-files.configmap.yaml
"$SPARKC" validate jobs && echo validate: clean
"$SPARKC" explain jobs | head -1
