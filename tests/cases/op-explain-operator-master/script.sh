# The operator's master passes the pod templates after dynamic allocation
# (buildSparkSubmitArgs); v2.5.2 passes each role's before the role's settings.
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
  dynamicAllocation: {enabled: true, minExecutors: 1, maxExecutors: 3}
  driver: {cores: 1, memory: 512m}
  executor: {cores: 1, memory: 512m}
YAML
$SPARKC explain app.yaml | sed -n '/spark-submit/,/^$/p' > v2.5.2.txt
$SPARKC explain --operator-version master app.yaml | sed -n '/spark-submit/,/^$/p' > master.txt
diff -u --label v2.5.2 --label master v2.5.2.txt master.txt
$SPARKC explain --operator-version master --format json app.yaml | grep -E '"(operator|mlrun)Version"'
