cat > deep.yaml <<'JOB'
kind: spark
metadata: {name: a}
spec:
  command: /a.py
  image: s
  driver_affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions:
              - {key: zone, operator: In, values: [a, b]}
JOB
"$SPARKC" validate --max-depth 4 deep.yaml 2>&1 | head -1
"$SPARKC" validate --max-depth=10 deep.yaml && echo "passes with --max-depth=10"
"$SPARKC" validate --max-scalar-size 3 deep.yaml 2>&1 | head -1
"$SPARKC" validate --max-scalar-size 100 deep.yaml && echo "passes with --max-scalar-size 100"
"$SPARKC" validate --max-nodes 5 deep.yaml 2>&1 | head -1
"$SPARKC" validate --max-file-size 10 deep.yaml 2>&1 | head -1
"$SPARKC" validate --max-document-size 100 deep.yaml 2>&1 | head -1
printf -- '---\nkind: spark\n---\nkind: spark\n' > two.yaml
"$SPARKC" validate --max-documents 1 two.yaml 2>&1 | grep "more than" | head -1
"$SPARKC" validate --max-depth 0 deep.yaml 2>&1 | head -1
