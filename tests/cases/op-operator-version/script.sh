# A manifest using a field only the operator's master has: under v2.5.2, the default,
# an error naming the release that has it; under --operator-version master, clean.
cat > app.yaml <<'YAML'
apiVersion: sparkoperator.k8s.io/v1beta2
kind: SparkApplication
metadata: {name: pi, namespace: spark}
spec:
  type: Scala
  mode: cluster
  image: spark:3.5.5
  mainClass: org.apache.spark.examples.SparkPi
  mainApplicationFile: local:///opt/spark/examples/jars/spark-examples.jar
  sparkVersion: 3.5.5
  driverPodDisruptionBudget: true
  driver:
    lifecycle: {stopSignal: SIGTERM}
  executor:
    instances: 1
YAML
$SPARKC validate app.yaml || echo "exit $?"
$SPARKC validate --operator-version master app.yaml && echo "master: clean"
$SPARKC compile --operator-version master app.yaml
