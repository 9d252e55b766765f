"""No output of sparkc repeats a secret: every file of tests/secrets/ (or directory: a
job with the templates and the KRM functionConfig it is compiled with) is run through
validate, compile and explain in every output format, and the KRM function, and no
stream may hold any 8-character piece of a secret value, even made over as a message
may make it (lower-cased, '_' as '-'). A secret value is a scalar of the corpus that
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
    except (yaml.YAMLError, ValueError):  # broken on purpose, or a tag PyYAML refuses
        pass    # a corpus file may be broken YAML on purpose
    # and as written, for what a YAML reader loses (a duplicate key's first value)
    found.update(re.findall(r"[^\s'\",{}\[\]]*" + MARKER + r"[^\s'\",{}\[\]]*", text))
    return found


def loose(text):
    """Text as a message may remake a value: letters in one case, '_', '.' and ' ' as
    '-' (a name hint lower-cases a secret and turns those into '-')."""
    return re.sub(r"[_. ]", "-", text.lower())


def pieces(values):
    out = set()
    for v in values:
        for line in v.splitlines():
            for i in range(max(1, len(line) - PIECE + 1)):
                piece = line[i:i + PIECE]
                if len(piece) == PIECE:
                    out.add(loose(piece))
    return out


def leaked(secrets, text):
    """The pieces of the secrets that text holds, however a message remade them."""
    text = loose(text)
    return sorted(x for x in pieces(secrets) if x in text)


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


# The keys of Spark's own registry that hold a secret: a literal value of any other is
# no secret-literal (a switch, a number, a choice of words, a name or a pattern).
REGISTRY_SECRETS = {"spark.authenticate.secret", "spark.connect.authenticate.token", "spark.launcher.secret",
                    "spark.mesos.secret"}


def check_registry_keys(sparkc, result, env, tmp):
    """Every key of schemas/spark-config.tsv set to a literal in one job: secret-literal
    at exactly the keys that hold a secret, so that the secret words make no false
    positive of a Spark key."""
    root = os.path.dirname(HERE)
    keys = sorted({line.split("\t", 1)[0] for line in open(os.path.join(root, "schemas", "spark-config.tsv"))
                   if line.startswith("spark.")})
    path = os.path.join(tmp, "registry-keys.yaml")
    with open(path, "w") as f:
        f.write("kind: spark\nmetadata: {name: keys}\nspec:\n  command: /a.py\n  image: apache/spark:3.5.1\n"
                "  spark_conf:\n" + "".join(f"    {json.dumps(k)}: literal-text\n" for k in keys))
    p = subprocess.run([sparkc, "validate", "--format", "json", path], capture_output=True, env=env, timeout=300)
    flagged = set()
    for line in p.stdout.decode().splitlines():
        d = json.loads(line) if line.startswith("{") else {}
        if d.get("rule") == "secret-literal":
            flagged.add(d["path"][len("spec.spark_conf."):])
    result(f"secrets: of the registry's {len(keys)} keys, secret-literal flags exactly those that hold a secret",
           flagged == REGISTRY_SECRETS, f"flagged {sorted(flagged)}, expected {sorted(REGISTRY_SECRETS)}")


def run(sparkc, result, env):
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        check_registry_keys(sparkc, result, env, tmp)
        paths = stress_inputs(tmp)
        for fmt in ("text", "json"):
            p = subprocess.run([sparkc, "validate", "--format", fmt] + paths, capture_output=True, env=env,
                               timeout=300)
            err = p.stderr.decode("utf-8", "replace")
            result(f"secrets: {len(paths)} generated lines around secret names ({fmt}), masked without a fault",
                   p.returncode == 1 and not any(m in err for m in ("Sanitizer", "runtime error:")), err[-3000:])

    entries = sorted(f for f in os.listdir(CORPUS) if f.endswith(".yaml") or os.path.isdir(os.path.join(CORPUS, f)))
    result("secrets: the corpus is there", len(entries) >= 5, f"{len(entries)} entries")
    for name in entries:
        check_case(sparkc, result, env, name)


def case_of(name):
    """A corpus entry: a YAML file, or a directory holding job.yaml and what it is
    compiled with: templates/ (given as --templates, and to the KRM function as its
    templates) and function-config.yaml (the KRM function's functionConfig). Returns
    (the input file, extra arguments, every file whose values hold secrets, the
    functionConfig as a mapping or None)."""
    path = os.path.join(CORPUS, name)
    if not os.path.isdir(path):
        return path, [], [path], None
    files = [os.path.join(base, f) for base, _, fs in os.walk(path) for f in sorted(fs) if f.endswith(".yaml")]
    templates = os.path.join(path, "templates")
    extra = ["--templates", templates] if os.path.isdir(templates) else []
    config = os.path.join(path, "function-config.yaml")
    config = yaml.safe_load(open(config)) if os.path.exists(config) else None
    if extra:
        config = config or {"apiVersion": "v1", "kind": "ConfigMap", "data": {}}
        config.setdefault("data", {})["templates"] = templates
    return os.path.join(path, "job.yaml"), extra, files, config


def check_case(sparkc, result, env, name):
    path, extra, files, config = case_of(name)
    secrets = set()
    for f in files:
        secrets |= secret_values(f)
    leaks, ran = [], 0
    for argv, fmt in commands(path):
        argv = argv[:1] + extra + argv[1:]
        p = subprocess.run([sparkc] + argv, capture_output=True, env=env, timeout=120)
        out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
        if p.returncode == 2 and fmt and fmt in err:
            continue    # a format sparkc does not have
        ran += 1
        for stream, text in (("stdout", out), ("stderr", err)):
            hit = leaked(secrets, text)
            if hit:
                leaks.append(f"sparkc {' '.join(argv[:-1])}: {stream} holds {hit[:3]}")
    # the KRM function: its results and its stderr (a failed item goes back as it came,
    # masked of what the rule flagged only, so the items are not checked here); with a
    # functionConfig, all it writes, since that comes back too
    try:
        docs = [d for d in yaml.safe_load_all(open(path)) if d is not None]
    except (yaml.YAMLError, ValueError):
        docs = None
    head = {"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList"}
    if config:
        head["functionConfig"] = config

    def krm(stdin, what, whole=False):
        nonlocal ran
        p = subprocess.run([sparkc, "krm"], input=stdin.encode(), capture_output=True, env=env, timeout=120)
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode == 2 and "krm" in err:
            return      # a sparkc without the KRM function
        ran += 1
        out = p.stdout.decode("utf-8", "replace")
        try:
            results = json.dumps((yaml.safe_load(out) or {}).get("results", []))
        except (yaml.YAMLError, AttributeError):
            results = out
        streams = [("results", results), ("stderr", err)] + ([("stdout", out)] if whole else [])
        for stream, text in streams:
            hit = leaked(secrets, text)
            if hit:
                leaks.append(f"sparkc krm{what}: {stream} holds {hit[:3]}")
    if docs:
        krm(json.dumps(dict(head, items=docs)), "")
    if config:
        krm(json.dumps(dict(head, items=[])), " (its functionConfig alone)", whole=True)
    # and the file's text as written under items:, so that what a YAML reader loses
    # or refuses (a duplicate key's first value, a syntax error) reaches the function
    text = open(path).read()
    items = "".join("- " + "\n  ".join(d.strip("\n").split("\n")) + "\n"
                    for d in re.split(r"(?m)^---[ \t]*$", text) if d.strip())
    config_text = "functionConfig: " + json.dumps(config) + "\n" if config else ""
    krm("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n" + config_text + "items:\n" + items,
        " (the file's text)")
    result(f"secrets: {name}: no output repeats a secret ({ran} runs)", secrets and ran and not leaks,
           "\n".join(leaks) or f"secrets {sorted(secrets)}, runs {ran}")
    p = subprocess.run([sparkc, "validate"] + extra + [path], capture_output=True, env=env, timeout=120)
    err = p.stderr.decode("utf-8", "replace")
    result(f"secrets: {name}: a code frame shows the mask", p.returncode == 1 and "| " in err and "********" in err,
           err[-2000:])
