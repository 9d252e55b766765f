# A companion object's name may hold dots (a ConfigMap named spark.conf): sparkc writes
# it at NS/spark.conf.configmap.yaml, and the next run must still know that file for
# its own (the kind is what follows the name's last dot), replace it when the object
# changes, and remove it when it is gone.
cat > app.yaml <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: spark.conf-files, namespace: analytics}
data: {log4j2.properties: "rootLogger.level = warn"}
---
apiVersion: sparkoperator.k8s.io/v1beta2
kind: SparkApplication
metadata: {name: nightly-report, namespace: analytics}
spec:
  type: Python
  mode: cluster
  image: apache/spark:3.5.5
  mainApplicationFile: local:///opt/app/report.py
  sparkVersion: 3.5.5
  driver: {cores: 1, memory: 1g}
  executor: {cores: 2, instances: 2, memory: 2g}
YAML
"$SPARKC" compile -o out app.yaml
find out -type f | sort
sed -i 's/level = warn/level = info/' app.yaml
echo "--- changed: --check, then -o replaces it"
"$SPARKC" compile --check -o out app.yaml || echo "exit $?"
"$SPARKC" compile -o out app.yaml
grep -c 'level = info' out/analytics/spark.conf-files.configmap.yaml
echo "--- gone: -o removes it"
sed -i '1,5d' app.yaml
"$SPARKC" compile -o out app.yaml
find out -type f | sort
