#!/usr/bin/env python3
"""gen_jobs.py N OUT [--files DIR]: N realistic, varied job documents (igz, spark_conf,
volumes, env, resources, schedules), deterministic for a given N. With --files, one
file per job in DIR as well."""
import os
import random
import sys

TEMPLATE = """\
kind: spark
metadata:
  name: {name}
  project: {project}
  namespace: {ns}
  labels:
    team: {team}
    cost-center: "{cc}"
  annotations:
    owner: {team}@example.com
spec:
  command: {command}
  workdir: /User
  image: iguazio/spark-app:3.5.{patch}-b697
  image_pull_policy: IfNotPresent
  spark_version: 3.5.{patch}
  replicas: {replicas}
  driver_cores: 1
  executor_cores: {cores}
  args: [--date, "2024-01-{day:02d}", --partitions, {parts}]
  driver_resources:
    requests: {{cpu: 500m, memory: {dmem}}}
    limits: {{cpu: "1"}}
  executor_resources:
    requests: {{cpu: "{cores}", memory: {emem}}}
    limits: {{cpu: "{cores}"}}
  spark_conf:
    spark.sql.shuffle.partitions: {parts}
    spark.executor.memoryOverhead: {overhead}
    spark.serializer: org.apache.spark.serializer.KryoSerializer
    spark.sql.adaptive.enabled: true
    spark.eventLog.enabled: true
  hadoop_conf:
    fs.s3a.endpoint: http://minio.storage:9000
    fs.s3a.path.style.access: true
  deps:
    jars: [local:///opt/jars/connector-{patch}.jar]
    pyFiles: [v3io:///projects/{project}/lib.zip]
  env:
    - {{name: MODE, value: batch}}
    - {{name: RETRIES, value: "{replicas}"}}
    - name: DB_PASSWORD
      valueFrom: {{secretKeyRef: {{name: db-{team}, key: password}}}}
  volumes:
    - name: data
      persistentVolumeClaim: {{claimName: data-{team}}}
    - name: scratch
      emptyDir: {{sizeLimit: 10Gi}}
  volume_mounts:
    - {{name: data, mountPath: /data, readOnly: true}}
  executor_volume_mounts:
    - {{name: scratch, mountPath: /scratch}}
  node_selector: {{pool: spark}}
  executor_tolerations:
    - {{key: spot, operator: Exists, effect: NoSchedule}}
  igz_spark:
    user: {team}
    access_key_secret: v3io-{team}
{schedule}"""


def job(i, rnd):
    team = rnd.choice(["data", "risk", "ml", "ops", "bi"])
    return TEMPLATE.format(
        name=f"job-{i:06d}", project=rnd.choice(["default", "fraud", "etl"]),
        ns=rnd.choice(["default-tenant", "analytics", "etl"]), team=team, cc=rnd.randint(1000, 9999),
        command=rnd.choice(["etl.py", "s3a://bucket/jobs/agg.py", "/app/report.py"]),
        patch=rnd.randint(0, 5), replicas=rnd.randint(1, 20), cores=rnd.randint(1, 4),
        day=rnd.randint(1, 28), parts=rnd.choice([64, 200, 400]), dmem=rnd.choice(["1g", "2g", "2Gi"]),
        emem=rnd.choice(["4g", "8g", "6144m"]), overhead=rnd.choice([0, 512, "1g"]),
        schedule="  schedule: \"0 */2 * * *\"\n" if i % 5 == 0 else "")


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(n)
    docs = [job(i, rnd) for i in range(n)]
    with open(out, "w") as f:
        f.write("---\n".join(docs))
    if "--files" in sys.argv:
        d = sys.argv[sys.argv.index("--files") + 1]
        os.makedirs(d, exist_ok=True)
        for i, text in enumerate(docs):
            with open(os.path.join(d, f"job-{i:06d}.yaml"), "w") as f:
                f.write(text)


main()
