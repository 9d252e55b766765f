"""No output of sparkc repeats a secret: every file of tests/secrets/ is run through
validate, compile and explain in every output format, and the KRM function, and no
stream may hold any 8-character piece of a secret value. A secret value is a scalar of the corpus that
contains the marker "s3cr3t" (read with PyYAML, so quoted and escaped forms are
known by their value, and as written, for files that are broken YAML on purpose);
sparkc knows nothing of the marker.

Each file must also draw a diagnostic whose code frame shows the mask, so that a
corpus sparkc stopped reporting on would not pass by saying nothing."""
import json
import os
import re
import subprocess

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "secrets")
MARKER = "s3cr3t"
PIECE = 8
# Formats a command may take; one sparkc does not know (exit 2) is skipped, so that
# formats added later are covered as soon as they exist.
DIAG_FORMATS = ["text", "json", "sarif", "github", "junit", "tap"]


def secret_values(path):
    found = set()

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                walk(k)
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str) and MARKER in x:
            found.add(x)

    text = open(path).read()
    try:
        for doc in yaml.safe_load_all(text):
            walk(doc)
    except yaml.YAMLError:
        pass    # a corpus file may be broken YAML on purpose
    # and as written, for what a YAML reader loses (a duplicate key's first value)
    found.update(re.findall(r"[^\s'\",{}\[\]]*" + MARKER + r"[^\s'\",{}\[\]]*", text))
    return found


def pieces(values):
    out = set()
    for v in values:
        for line in v.splitlines():
            for i in range(max(1, len(line) - PIECE + 1)):
                piece = line[i:i + PIECE]
                if len(piece) == PIECE:
                    out.add(piece)
    return out


def commands(path):
    for fmt in DIAG_FORMATS:
        yield ["validate", "--format", fmt, path], fmt
        yield ["compile", "--diagnostics", fmt, path], fmt
    yield ["compile", "--format", "json", path], "json"
    yield ["explain", path], None
    yield ["explain", "--format", "json", path], "json"


def stress_inputs(tmp):
    """Lines around secret-named keys made of quotes, escapes, flow brackets, comments,
    tabs, multi-byte and long runs: the masking reads source lines as text, and must
    stay inside them whatever they hold."""
    import random
    rnd = random.Random(20261129)
    pieces = ["password", "token", "DB_PASSWORD", "secret", "accessKey", "value", "name", "x", "é€𝄞",
              "'", '"', "''", "\\", "{", "}", "[", "]", ",", ": ", ":", " #c", "- ", "|", ">", "\t", " ",
              "a" * 130, "é" * 70]

    def junk(n):
        return "".join(rnd.choice(pieces) for _ in range(rnd.randrange(1, n)))

    paths = []
    for i in range(400):
        lines = ["kind: spark", "metadata:", "  name: job", "spec:", "  command: /a.py", "  image: spark:3.5"]
        lines += [["  env:", "    - {name: DB_PASSWORD, value: " + junk(12) + "}"],
                  ["  spark_conf:", "    spark.x.secret: " + junk(12)],
                  ["  env:", "    - name: API_TOKEN", "      value: " + junk(12), "      " + junk(6)],
                  ["  " + junk(20) for _ in range(rnd.randrange(1, 4))]][i % 4]
        path = os.path.join(tmp, f"stress-{i:03d}.yaml")
        with open(path, "w") as f:
            f.write("\n".join(lines) + ("\n" if rnd.random() < 0.7 else ""))
        paths.append(path)
    return paths


def run(sparkc, result, env):
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        paths = stress_inputs(tmp)
        for fmt in ("text", "json"):
            p = subprocess.run([sparkc, "validate", "--format", fmt] + paths, capture_output=True, env=env,
                               timeout=300)
            err = p.stderr.decode("utf-8", "replace")
            result(f"secrets: {len(paths)} generated lines around secret names ({fmt}), masked without a fault",
                   p.returncode == 1 and not any(m in err for m in ("Sanitizer", "runtime error:")), err[-3000:])

    files = sorted(f for f in os.listdir(CORPUS) if f.endswith(".yaml"))
    result("secrets: the corpus is there", len(files) >= 5, f"{len(files)} files")
    for name in files:
        path = os.path.join(CORPUS, name)
        secrets = secret_values(path)
        leaks, ran = [], 0
        for argv, fmt in commands(path):
            p = subprocess.run([sparkc] + argv, capture_output=True, env=env, timeout=120)
            out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
            if p.returncode == 2 and fmt and fmt in err:
                continue    # a format sparkc does not have
            ran += 1
            for stream, text in (("stdout", out), ("stderr", err)):
                hit = sorted(x for x in pieces(secrets) if x in text)
                if hit:
                    leaks.append(f"sparkc {' '.join(argv[:-1])}: {stream} holds {hit[:3]}")
        # the KRM function: its results and its stderr (a failed item goes back as it
        # came, masked of what the rule flagged only, so the items are not checked here)
        try:
            docs = [d for d in yaml.safe_load_all(open(path)) if d is not None]
        except yaml.YAMLError:
            docs = None
        if docs:
            rl = {"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": docs}
            p = subprocess.run([sparkc, "krm"], input=json.dumps(rl).encode(), capture_output=True, env=env,
                               timeout=120)
            err = p.stderr.decode("utf-8", "replace")
            if not (p.returncode == 2 and "krm" in err):    # a sparkc without the KRM function
                ran += 1
                try:
                    results = json.dumps(json.loads(p.stdout).get("results", []))
                except ValueError:
                    results = p.stdout.decode("utf-8", "replace")
                for stream, text in (("results", results), ("stderr", err)):
                    hit = sorted(x for x in pieces(secrets) if x in text)
                    if hit:
                        leaks.append(f"sparkc krm: {stream} holds {hit[:3]}")
        # and the file's text as written under items:, so that what a YAML reader loses
        # or refuses (a duplicate key's first value, a syntax error) reaches the function
        text = open(path).read()
        items = "".join("- " + "\n  ".join(d.strip("\n").split("\n")) + "\n"
                        for d in re.split(r"(?m)^---[ \t]*$", text) if d.strip())
        rl = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n" + items
        p = subprocess.run([sparkc, "krm"], input=rl.encode(), capture_output=True, env=env, timeout=120)
        err = p.stderr.decode("utf-8", "replace")
        if not (p.returncode == 2 and "krm" in err):
            ran += 1
            try:
                results = json.dumps((yaml.safe_load(p.stdout) or {}).get("results", []))
            except (yaml.YAMLError, AttributeError):
                results = p.stdout.decode("utf-8", "replace")
            for stream, out in (("results", results), ("stderr", err)):
                hit = sorted(x for x in pieces(secrets) if x in out)
                if hit:
                    leaks.append(f"sparkc krm (the file's text): {stream} holds {hit[:3]}")
        result(f"secrets: {name}: no output repeats a secret ({ran} runs)", secrets and ran and not leaks,
               "\n".join(leaks) or f"secrets {sorted(secrets)}, runs {ran}")
        p = subprocess.run([sparkc, "validate", path], capture_output=True, env=env, timeout=120)
        err = p.stderr.decode("utf-8", "replace")
        result(f"secrets: {name}: a code frame shows the mask", p.returncode == 1 and "| " in err and "********" in err,
               err[-2000:])
