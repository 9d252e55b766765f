#!/usr/bin/env python3
"""py_validate.py FILE...: the peer `sparkc validate` is measured against: PyYAML's C
loader and Python jsonschema with the same schema, every document of every file in
one process. Exits 1 if any document is invalid."""
import json
import os
import sys

import jsonschema
import yaml

here = os.path.dirname(os.path.abspath(__file__))
schemas = os.path.join(here, "..", "schemas")
job = json.load(open(os.path.join(schemas, "sparkjob.schema.json")))
validator = jsonschema.Draft202012Validator(job)
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
bad = 0
for path in sys.argv[1:]:
    with open(path) as f:
        for doc in yaml.load_all(f, Loader=loader):
            if doc is not None:
                for e in validator.iter_errors(doc):
                    print(f"{path}: {e.message}")
                    bad += 1
sys.exit(1 if bad else 0)
