"""schemas/upstreams.yaml, the MLRun and operator releases sparkc knows, agrees with
what reads it: the job schema's x-mlrun-since marks name known releases, the C code's
change names are the data's (compiler/upstream.c), every operator release has its CRDs
and a complete spark-submit order, and `sparkc --version` lists them all."""
import json
import os
import re

import yaml

from harness import ROOT, run

STEPS = {"application", "spark_conf", "hadoop_conf", "driver_pod_template", "executor_pod_template",
         "driver_pod_name", "driver", "executor", "dynamic_allocation"}


def marks(schema, key):
    if isinstance(schema, dict):
        if key in schema:
            yield schema[key]
        for v in schema.values():
            yield from marks(v, key)
    elif isinstance(schema, list):
        for v in schema:
            yield from marks(v, key)


def check(sparkc, result):
    with open(os.path.join(ROOT, "schemas", "upstreams.yaml")) as f:
        data = yaml.safe_load(f)
    mlrun = [r["version"] for r in data["mlrun"]["releases"]]
    operator = [r["version"] for r in data["operator"]["releases"]]
    # the operator's releases are listed oldest first, its master branch last
    result("upstreams: the default releases are known, the operator's the newest tagged release",
           data["mlrun"]["default"] in mlrun and data["operator"]["default"] == operator[-2],
           f"{data['mlrun']['default']} {data['operator']['default']}")
    with open(os.path.join(ROOT, "schemas", "sparkjob.schema.json")) as f:
        job = json.load(f)
    since = set(marks(job, "x-mlrun-since"))
    result("upstreams: every x-mlrun-since of the job schema is a known MLRun release",
           since and since <= set(mlrun), f"{since} vs {mlrun}")
    with open(os.path.join(ROOT, "schemas", "sparkoperator.schema.json")) as f:
        op = json.load(f)
    since = set(marks(op, "x-operator-since")) | set(marks(job, "x-operator-since"))
    result("upstreams: every x-operator-since is a known operator release after the oldest",
           since and since <= set(operator[1:]), f"{since} vs {operator}")
    changes = data["mlrun"]["changes"]
    bad = [name for name, c in changes.items() if c.get("since") not in mlrun or not c.get("source")]
    result("upstreams: each MLRun change has a known release and a source", not bad, str(bad))
    with open(os.path.join(ROOT, "compiler", "upstream.c")) as f:
        names = set(re.findall(r'\[MLRUN_\w+\] = "(\w+)"', f.read()))
    result("upstreams: compiler/upstream.c's change names are the data's", names == set(changes),
           f"code {sorted(names)}, data {sorted(changes)}")
    for r in data["operator"]["releases"]:
        crds = os.path.join(ROOT, "tests", "schemas", r["dir"], "crds")
        result(f"upstreams: operator {r['version']} has its two CRD files and a complete submit order",
               os.path.isdir(crds) and len(os.listdir(crds)) == 2 and sorted(r["submit"]) == sorted(STEPS),
               f"{crds}: {os.listdir(crds) if os.path.isdir(crds) else 'missing'}; submit {r['submit']}")
    code, out, _ = run([sparkc, "--version"], ROOT)
    lines = out.splitlines()
    tags = [f"v{v}" if v[0].isdigit() else v for v in operator]
    want = [f"MLRun releases: {', '.join(mlrun)}", f"Spark operator releases: {', '.join(tags)}"]
    got = [re.sub(r" \([^)]*\)", "", line) for line in lines[1:3]]
    result("upstreams: sparkc --version lists every release after its first line",
           code == 0 and got == want and lines[3].startswith("Spark releases: "), out)
