"""The editor path, checked with the tools a user's editor and CI run, the way sparkc
tells users to set it up:

- the schema sparkc builds in and prints is what tools/bundle-schema.py makes of its
  sources, and `make install` installs that one file;
- every key of the job format has its own description, enums describe each value, and
  each defaultSnippets skeleton is itself valid;
- yaml-language-server (VS Code's YAML extension, Neovim, Helix), spoken to over its
  stdio LSP protocol in a folder holding only `sparkc schema` and `sparkc init` output:
  the starters have no diagnostics, four kinds of mistake get one diagnostic each on
  their own line, completion under `spec:` documents every key, each skeleton picked
  from completion and inserted is a valid job, hover shows each key's own text; and
  the `yaml.schemas` setting the README gives finds the installed schema for a whole
  jobs/ folder;
- ajv-cli and Python jsonschema, given the printed schema alone, reach the same verdict
  as sparkc's schema layer on the samples and on tests/validation/, each sample also
  read by each tool itself; and the one ajv-cli command that `sparkc schema --help`,
  the README and the man page give works as written.

yaml-language-server and ajv-cli come from npm (tools/install-deps.sh test installs
them, pinned, into CACHE below). Called by tests/run.py: jobs(...) lists the checks.
"""
import glob
import json
import os
import queue
import re
import shlex
import shutil
import subprocess
import tempfile
import threading
import time

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CACHE = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "sparkc-test", "npm")
YAML_LANGUAGE_SERVER = os.path.join(CACHE, "node_modules", ".bin", "yaml-language-server")
AJV = os.path.join(CACHE, "node_modules", ".bin", "ajv")
HOVER_KEYS = ("command", "image", "replicas", "driver_resources", "spark_conf")
# tests/validation/valid/ files with null on every optional key
NULL_EXPORTS = ("mlrun-export-nulls.yaml", "mlrun-export-nested-nulls.yaml")

# Four mistakes, each on its own line, added to the starter under spec:.
MISTAKES = {
    "unknown key": "  replica: 4",
    "wrong type": "  driver_cores: two",
    "bad enum": "  image_pull_policy: Sometimes",
    "bad volume field": "  volumes:\n    - name: data\n      hostPath: {path: /mnt/data, typ: Directory}",
}


def own_text(schema):
    """What an editor shows for a key: its markdownDescription, else its description."""
    return schema.get("markdownDescription") or schema.get("description")


def resolve(root, schema):
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].split("/")[-1]]
    return schema


KUBERNETES_DEFS = ("EnvVar", "EnvFromSource", "Volume", "VolumeMount", "Toleration", "Affinity")


def job_properties(root):
    """(path, schema) of every key the job format itself defines; the embedded
    Kubernetes objects carry the operator's CRD descriptions."""
    found, seen = [], set()
    kubernetes = [root["$defs"][k] for k in KUBERNETES_DEFS]

    def walk(path, schema):
        schema = resolve(root, schema)
        if id(schema) in seen or any(schema is k for k in kubernetes):
            return
        seen.add(id(schema))
        for branch in schema.get("oneOf", []) + schema.get("anyOf", []):
            walk(path, branch)
        for name, sub in schema.get("properties", {}).items():
            found.append((f"{path}.{name}".lstrip("."), sub))
            walk(f"{path}.{name}".lstrip("."), sub)
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                walk(path + "[]", schema[key])

    walk("", root)
    return found


def fill_placeholders(body):
    """A defaultSnippets body as the editor inserts it with each placeholder's default."""
    if isinstance(body, str):
        body = re.sub(r"\$\{\d+\|([^,|]*)[^}]*\}", r"\1", body)
        return re.sub(r"\$\{\d+:([^}]*)\}", r"\1", body)
    if isinstance(body, list):
        return [fill_placeholders(x) for x in body]
    if isinstance(body, dict):
        return {k: fill_placeholders(v) for k, v in body.items()}
    return body


def all_properties(path, schema):
    """(path, schema) of every key anywhere in a schema, without following $ref."""
    if not isinstance(schema, dict):
        return []
    found = []
    for name, sub in schema.get("properties", {}).items():
        found += [(f"{path}.{name}", sub)] + all_properties(f"{path}.{name}", sub)
    for key in ("items", "additionalProperties"):
        found += all_properties(path + "[]", schema.get(key))
    for branch in schema.get("anyOf", []) + schema.get("oneOf", []):
        found += all_properties(path, branch)
    return found


def check_schema_text(result, root):
    props = job_properties(root)
    missing = [p for p, s in props if not own_text(s) or not s.get("description")]
    result(f"editor: each of the job format's {len(props)} keys has a description", not missing, str(missing))
    embedded = [x for k in KUBERNETES_DEFS for x in all_properties(k, root["$defs"][k])]
    missing = [p for p, s in embedded if not s.get("description")]
    result(f"editor: each of the {len(embedded)} keys of the embedded Kubernetes objects has a description",
           not missing, str(missing))
    by_text = {}
    for path, s in props:
        by_text.setdefault(own_text(s), []).append(path)
    shared = [paths for paths in by_text.values() if len(paths) > 1]
    result("editor: no two keys share a description", not shared, str(shared))
    ignored = [(p, s) for p, s in props if s.get("description", "").startswith("Set by MLRun's export")]
    result(f"editor: each of the {len(ignored)} MLRun export fields says why, and is kept out of completion",
           len(ignored) >= 20 and all("sparkc" in s["description"] and s.get("doNotSuggest") for _, s in ignored),
           str(ignored))
    enums = [(p, s) for p, s in props if "enum" in s]
    bad = [p for p, s in enums if len(s.get("markdownEnumDescriptions", [])) != len(s["enum"])]
    result(f"editor: the {len(enums)} enums describe each value", enums and not bad, str(bad))
    snippets = []       # (where, schema, snippet): on a key's value, or on a list's items ([])
    for path, s in props + [("spec", root["$defs"]["Spec"])]:
        items = s.get("items") if isinstance(s.get("items"), dict) else {}
        for where, schema in ((path, s), (path + "[]", items)):
            snippets += [(where, schema, snip) for snip in schema.get("defaultSnippets", [])]
    want = {"spec.driver_resources", "spec.executor_resources", "spec.igz_spark", "spec.dynamic_allocation",
            "spec.env[]", "spec.schedule", "spec.volumes[]", "spec.volume_mounts[]", "spec"}
    invalid = []
    for path, s, snip in snippets:
        body = fill_placeholders(snip["body"])
        # a skeleton adds keys to what is there: the mapping's required keys may be elsewhere
        subschema = dict(resolve(root, s), required=[], **{"$defs": root["$defs"]})
        invalid += [f"{path} '{snip['label']}': {e.message}" for e in jsonschema.Draft202012Validator(subschema).iter_errors(body)]
    result("editor: defaultSnippets for resources, igz_spark, dynamic_allocation, env, volumes, schedule",
           want <= {p for p, _, _ in snippets} and not invalid, f"{invalid} {sorted({p for p, _, _ in snippets})}")
    secret_ref = any("secretKeyRef" in json.dumps(snip["body"]) for p, _, snip in snippets if p == "spec.env[]")
    mount = any({"volumes", "volume_mounts"} <= set(snip["body"]) for p, _, snip in snippets if p == "spec")
    result("editor: snippets for env with a secretKeyRef and for a volume with its mount", secret_ref and mount)


# ---- a minimal LSP client -----------------------------------------------------------

class LanguageServer:
    """A language server over stdio: JSON-RPC messages with Content-Length framing."""

    SETTINGS = {"yaml": {"validate": True, "hover": True, "completion": True, "format": {"enable": False},
                         "schemaStore": {"enable": False}, "schemas": {}}}

    def __init__(self, argv, folder, settings=None):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, cwd=folder)
        self.inbox = queue.Queue()
        self.notices = []
        self.last_id = 0
        self.settings = settings or self.SETTINGS
        threading.Thread(target=self._read, daemon=True).start()
        uri = "file://" + folder
        self.request("initialize", {
            "processId": os.getpid(), "rootUri": uri, "workspaceFolders": [{"uri": uri, "name": "jobs"}],
            "capabilities": {"workspace": {"configuration": True},
                             "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]},
                                              "completion": {"completionItem": {
                                                  "snippetSupport": True,
                                                  "documentationFormat": ["markdown", "plaintext"]}}}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.decode().strip()
                if not line:
                    break
                name, value = line.split(":", 1)
                headers[name.lower()] = value.strip()
            self.inbox.put(json.loads(out.read(int(headers["content-length"]))))

    def _send(self, message):
        data = json.dumps(dict(message, jsonrpc="2.0")).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(data), data))
        self.proc.stdin.flush()

    def _next(self, deadline):
        message = self.inbox.get(timeout=max(0.01, deadline - time.monotonic()))
        if "method" in message and "id" in message:       # the server asks the client
            answer = None
            if message["method"] == "workspace/configuration":
                answer = [self.settings.get(item.get("section", ""), {}) for item in message["params"]["items"]]
            self._send({"id": message["id"], "result": answer})
        elif "method" in message:
            self.notices.append(message)
        return message

    def notify(self, method, params):
        self._send({"method": method, "params": params})

    def request(self, method, params, timeout=60):
        self.last_id += 1
        rid = self.last_id
        self._send({"id": rid, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(deadline)
            if message.get("id") == rid and "method" not in message:
                return message.get("result")

    def open(self, path, text):
        uri = "file://" + path
        self.notify("textDocument/didOpen",
                    {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        return uri

    def diagnostics(self, uri, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            for n in self.notices:
                if n["method"] == "textDocument/publishDiagnostics" and n["params"]["uri"] == uri:
                    self.notices.remove(n)
                    return n["params"]["diagnostics"]
            try:
                self._next(deadline)
            except queue.Empty:
                raise TimeoutError("no diagnostics for " + uri)

    def close(self):
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()


def hover_text(server, uri, lines, key):
    line = next(i for i, text in enumerate(lines) if re.match(rf"\s*{key}:", text))
    got = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                "position": {"line": line, "character": lines[line].index(key) + 1}})
    contents = (got or {}).get("contents", "")
    shown = contents.get("value", "") if isinstance(contents, dict) else str(contents)
    # a plain description is shown as markdown with its special characters escaped
    return re.sub(r"\\([\\`*_{}\[\]()#+.!<>|-])", r"\1", shown)


def documentation(item):
    doc = item.get("documentation") or ""
    return doc.get("value", "") if isinstance(doc, dict) else doc


# Skeletons as a user picks them from completion: (what follows spec:, the line and
# column of the cursor in it, the label of the snippet).
SNIPPETS = (
    ("  \n", (0, 2), "volume and its mount"),
    ("  driver_resources: \n", (0, 20), "requests and limits"),
    ("  executor_resources: \n", (0, 22), "requests and limits"),
    ("  igz_spark: \n", (0, 13), "user and Secret"),
    ("  dynamic_allocation: \n", (0, 22), "enabled"),
    ("  schedule: \n", (0, 12), "cron with run policy"),
    ("  env:\n    - \n", (1, 6), "variable from a Secret"),
    ("  volumes:\n    - \n", (1, 6), "persistent volume claim"),
)


def apply_completion(text, item, line):
    """The text after the editor inserts a completion item as VS Code does: each
    placeholder takes its default, later lines take the cursor line's indentation."""
    edit = item.get("textEdit") or {}
    new = edit.get("newText", item.get("insertText") or item["label"])
    new = re.sub(r"\$\{\d+\|([^,|]*)[^}]*\}", r"\1", re.sub(r"\$\{\d+:([^}]*)\}", r"\1", new))
    lines = text.split("\n")
    indent = re.match(r"\s*", lines[line]).group(0)
    new = new.replace("\n", "\n" + indent)
    start = edit.get("range", {}).get("start", {"line": line, "character": len(lines[line])})
    end = edit.get("range", {}).get("end", start)
    offset = lambda pos: sum(len(l) + 1 for l in lines[:pos["line"]]) + pos["character"]
    return text[:offset(start)] + new + text[offset(end):]


def check_snippets(result, server, folder, sparkc):
    head = ("# yaml-language-server: $schema=sparkjob.schema.json\nkind: spark\nmetadata:\n  name: demo\n"
            "spec:\n  command: /app/main.py\n  image: iguazio/spark-app:3.5.5-b697\n")
    for n, (tail, (line, column), label) in enumerate(SNIPPETS):
        text = head + tail
        line += head.count("\n")
        uri = server.open(os.path.join(folder, f"snippet-{n}.yaml"), text)
        server.diagnostics(uri)
        got = server.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                         "position": {"line": line, "character": column}})
        items = [i for i in (got["items"] if isinstance(got, dict) else got or []) if i["label"] == label]
        if not items:
            result(f"editor: completion offers the '{label}' skeleton", False, f"at {tail!r}: {got}")
            continue
        filled = apply_completion(text, items[0], line)
        path = os.path.join(folder, f"filled-{n}.yaml")
        with open(path, "w") as f:
            f.write(filled)
        diags = server.diagnostics(server.open(path, filled))
        v = subprocess.run([sparkc, "validate", path], capture_output=True)
        result(f"editor: the '{label}' skeleton, as inserted, is a valid job (yaml-language-server, sparkc)",
               diags == [] and v.returncode == 0, f"{filled}\n{json.dumps(diags)}\n{v.stderr.decode()}")


def check_spark_conf(result, server, folder, lines, at, spec):
    """Completion of Spark's keys under spark_conf, from the registry, with each key's
    description; and the name rule flagged in the editor as sparkc flags it."""
    text = "\n".join(lines[:at]) + "\n  spark_conf:\n    spark.executor.memoryO\n"
    uri = server.open(os.path.join(folder, "conf.yaml"), text)
    server.diagnostics(uri)
    got = server.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                     "position": {"line": at + 1, "character": 26}})
    items = {i["label"]: i for i in (got["items"] if isinstance(got, dict) else got or [])}
    key = "spark.executor.memoryOverhead"
    own = spec["spark_conf"]["properties"][key]["description"]
    result("editor: completion under spark_conf offers spark.executor.memoryOverhead with its description",
           key in items and own in documentation(items[key]) and "since Spark" in own,
           f"{own!r}\n{json.dumps(items.get(key))}\n{sorted(items)[:20]}")
    named = "\n".join(lines).replace("name: demo", "name: Demo_Job", 1) + "\n"
    diags = server.diagnostics(server.open(os.path.join(folder, "named.yaml"), named))
    name_line = named.splitlines().index(next(x for x in named.splitlines() if "Demo_Job" in x))
    result("editor: yaml-language-server flags the name Demo_Job, as sparkc does",
           [d["range"]["start"]["line"] for d in diags] == [name_line], json.dumps(diags))


def check_language_server(result, sparkc, root):
    if not os.path.exists(YAML_LANGUAGE_SERVER):
        result("editor: yaml-language-server is installed", False,
               f"{YAML_LANGUAGE_SERVER} is missing: run tools/install-deps.sh test")
        return
    spec = root["$defs"]["Spec"]["properties"]
    with tempfile.TemporaryDirectory() as folder:
        folder = os.path.realpath(folder)
        # what a user does, following sparkc init's first lines
        with open(os.path.join(folder, "sparkjob.schema.json"), "wb") as f:
            f.write(subprocess.run([sparkc, "schema"], capture_output=True, check=True).stdout)
        starter = subprocess.run([sparkc, "init", "demo"], capture_output=True, check=True).stdout.decode()
        path = os.path.join(folder, "demo.yaml")
        with open(path, "w") as f:
            f.write(starter)
        scheduled = subprocess.run([sparkc, "init", "nightly", "--igz", "--schedule", "0 2 * * *"],
                                   capture_output=True, check=True).stdout.decode()
        scheduled_path = os.path.join(folder, "nightly.yaml")
        with open(scheduled_path, "w") as f:
            f.write(scheduled)
        result("editor: sparkc init's modeline names the schema sparkc schema writes",
               starter.startswith("# yaml-language-server: $schema=sparkjob.schema.json\n")
               and "sparkc schema > sparkjob.schema.json" in starter, starter[:200])
        server = LanguageServer([YAML_LANGUAGE_SERVER, "--stdio"], folder)
        try:
            uri = server.open(path, starter)
            diags = server.diagnostics(uri)
            result("editor: yaml-language-server finds nothing wrong with the starter", diags == [], json.dumps(diags))
            scheduled_uri = server.open(scheduled_path, scheduled)
            diags = server.diagnostics(scheduled_uri)
            result("editor: nor with the starter for a scheduled igz job", diags == [], json.dumps(diags))

            # four mistakes: one diagnostic each, on its line, where sparkc validate reports them too
            lines = starter.splitlines()
            at = lines.index("spec:") + 1
            text = "\n".join(lines[:at] + list(MISTAKES.values()) + lines[at:]) + "\n"
            bad_path = os.path.join(folder, "mistakes.yaml")
            bad_uri = server.open(bad_path, text)
            diags = server.diagnostics(bad_uri)
            want = {}
            for what, snippet in MISTAKES.items():
                last = snippet.splitlines()[-1]
                want[text.splitlines().index(last)] = what
            got = sorted(d["range"]["start"]["line"] for d in diags)
            result("editor: an unknown key, a wrong type, a bad enum and a bad volume field get one diagnostic each",
                   got == sorted(want), f"lines {got}, expected {sorted(want)} ({want})\n{json.dumps(diags, indent=1)}")
            with open(bad_path, "w") as f:
                f.write(text)
            v = subprocess.run([sparkc, "validate", "--format", "json", bad_path], capture_output=True)
            sparkc_lines = sorted(json.loads(x)["line"] - 1 for x in v.stdout.decode().splitlines())
            result("editor: sparkc validate reports the same lines", sparkc_lines == sorted(want),
                   f"{sparkc_lines} {v.stdout.decode()}")

            # completion under spec: every key a user may write, each with its own text
            empty = "\n".join(lines[:at]) + "\n  \n"
            complete_uri = server.open(os.path.join(folder, "complete.yaml"), empty)
            server.diagnostics(complete_uri)
            got = server.request("textDocument/completion", {"textDocument": {"uri": complete_uri},
                                                             "position": {"line": at, "character": 2}})
            items = {i["label"]: i for i in (got["items"] if isinstance(got, dict) else got or [])}
            suggested = [k for k, s in spec.items() if not s.get("doNotSuggest")]
            documented = [k for k in suggested if k in items and own_text(spec[k]) in documentation(items[k])]
            hidden = [k for k, s in spec.items() if s.get("doNotSuggest") and k in items]
            result(f"editor: completion under spec: documents {len(documented)} of {len(suggested)} keys",
                   documented == suggested and not hidden,
                   f"undocumented {sorted(set(suggested) - set(documented))}, suggested but hidden {hidden}")
            result("editor: completion under spec: offers the volume-and-mount skeleton",
                   any("volume and its mount" in label for label in items), str(sorted(items)))

            check_snippets(result, server, folder, sparkc)
            check_spark_conf(result, server, folder, lines, at, spec)

            # MLRun exports write each unset field as null: no diagnostics, as sparkc says
            for name in NULL_EXPORTS:
                with open(os.path.join(HERE, "validation", "valid", name)) as f:
                    export = "# yaml-language-server: $schema=sparkjob.schema.json\n" + f.read()
                diags = server.diagnostics(server.open(os.path.join(folder, name), export))
                result(f"editor: yaml-language-server finds nothing wrong with {name} (null: not set)",
                       diags == [], json.dumps(diags))

            # hover shows the key's own text, also where its value is a shared definition
            scheduled_lines = scheduled.splitlines()
            for key in HOVER_KEYS + ("restart_policy", "igz_spark", "schedule"):
                shown = hover_text(server, scheduled_uri, scheduled_lines, key)
                result(f"editor: hover on {key} shows its own text",
                       own_text(spec[key]) in shown, f"shown: {shown!r}\nown: {own_text(spec[key])!r}")
            # and in a mapping whose schema is a shared definition
            for key, schema in (("user", root["$defs"]["IgzSpark"]), ("cron", root["$defs"]["Schedule"])):
                shown = hover_text(server, scheduled_uri, scheduled_lines, key)
                own = own_text(schema["properties"][key])
                result(f"editor: hover on {key} shows its own text", own in shown, f"shown: {shown!r}\nown: {own!r}")
            # the server may publish again once more is loaded: the starters stay clean
            later = [n["params"] for n in server.notices if n["method"] == "textDocument/publishDiagnostics"
                     and n["params"]["uri"] in (uri, scheduled_uri) and n["params"]["diagnostics"]]
            result("editor: no later diagnostics for the starters", not later, json.dumps(later))
            # no text an editor renders as markdown hides a word as an HTML tag
            tags = [p for p, s in job_properties(root) if "markdownDescription" not in s and "<" in s["description"]]
            result("editor: plain descriptions hold no <...>, which markdown would take for HTML", not tags, str(tags))
        finally:
            server.close()


# A .sparkc.yaml as a team writes it, and one with a mistake per line that sparkc and
# yaml-language-server both report: {what: line}.
CONFIG_GOOD = ("# yaml-language-server: $schema=sparkc-config.schema.json\nrules:\n  executor-cores: off\n"
               "  conf-unknown: error\nexclude:\n  - drafts/\nfail-on: warning\nnamespace: data-team\n"
               "spark:\n  default-version: \"3.5\"\n  known-prefixes: [spark.acme.]\n")
CONFIG_MISTAKES = (("rule:", "an unknown key"), ("  executor-cores: off", None), ("fail-on: warnings", "a bad enum"),
                   ("rules:", None), ("  executer-cores: off", "an unknown rule"), ("exclude: drafts/", "a wrong type"))


def check_config_editor(result, sparkc, load_documents):
    """.sparkc.yaml in an editor: the schema `sparkc schema --config` prints, named by
    the file's first line, gives yaml-language-server the keys and every rule id to
    complete, and the same mistakes sparkc reports; Python jsonschema agrees with
    sparkc on which configurations the schema takes."""
    import jsonschema
    printed = subprocess.run([sparkc, "schema", "--config"], capture_output=True, check=True).stdout
    schema = json.loads(printed)
    rules = [r["id"] for r in json.loads(subprocess.run([sparkc, "rules", "--format", "json"], capture_output=True,
                                                        check=True).stdout)]
    with tempfile.TemporaryDirectory() as folder:
        folder = os.path.realpath(folder)
        with open(os.path.join(folder, "sparkc-config.schema.json"), "wb") as f:
            f.write(printed)
        subprocess.run(["git", "init", "-q", folder], check=True)
        os.mkdir(os.path.join(folder, "jobs"))
        with open(os.path.join(folder, "jobs", "job.yaml"), "w") as f:
            f.write("kind: spark\nmetadata:\n  name: job\nspec:\n  command: /a.py\n  image: spark:3.5.1\n")
        config = os.path.join(folder, ".sparkc.yaml")
        bad = CONFIG_GOOD.split("\n", 1)[0] + "\n" + "\n".join(line for line, _ in CONFIG_MISTAKES) + "\n"
        want = [i + 1 for i, (_, mistake) in enumerate(CONFIG_MISTAKES) if mistake]
        verdicts = []
        for text in (CONFIG_GOOD, bad):
            with open(config, "w") as f:
                f.write(text)
            v = subprocess.run([sparkc, "validate", "--format", "json", "jobs"], cwd=folder, capture_output=True)
            lines = sorted(json.loads(x)["line"] - 1 for x in v.stdout.decode().splitlines())
            errors = list(jsonschema.Draft202012Validator(schema).iter_errors(load_documents(text)[0]))
            verdicts.append((v.returncode, lines, bool(errors)))
        result("editor: sparkc and Python jsonschema take the good .sparkc.yaml and refuse the bad one, "
               "sparkc at each mistake's line", verdicts == [(0, [], False), (1, want, True)], str(verdicts))
        if not os.path.exists(YAML_LANGUAGE_SERVER):
            return      # check_language_server says it is missing
        server = LanguageServer([YAML_LANGUAGE_SERVER, "--stdio"], folder)
        try:
            diags = server.diagnostics(server.open(config, CONFIG_GOOD))
            result("editor: yaml-language-server finds nothing wrong with a good .sparkc.yaml", diags == [],
                   json.dumps(diags))
            diags = server.diagnostics(server.open(os.path.join(folder, "bad.sparkc.yaml"), bad))
            got = sorted({d["range"]["start"]["line"] for d in diags})
            result("editor: yaml-language-server flags each mistake of a .sparkc.yaml, where sparkc does",
                   got == want, f"lines {got}, expected {want}\n{json.dumps(diags, indent=1)}")
            text = CONFIG_GOOD.split("\n", 1)[0] + "\nrules:\n  \n"
            uri = server.open(os.path.join(folder, "complete.sparkc.yaml"), text)
            server.diagnostics(uri)
            got = server.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                             "position": {"line": 2, "character": 2}})
            items = {i["label"]: i for i in (got["items"] if isinstance(got, dict) else got or [])}
            summaries = {r: schema["properties"]["rules"]["properties"][r]["description"] for r in rules}
            documented = [r for r in rules if r in items and summaries[r] in documentation(items[r])]
            result(f"editor: completion under rules: offers every rule with its summary ({len(documented)} of "
                   f"{len(rules)})", documented == rules, f"missing {sorted(set(rules) - set(documented))[:10]}")
            lines = CONFIG_GOOD.splitlines()
            shown = hover_text(server, server.open(os.path.join(folder, "hover.sparkc.yaml"), CONFIG_GOOD),
                               lines, "fail-on")
            result("editor: hover on fail-on shows its text", schema["properties"]["fail-on"]["description"] in shown,
                   shown)
        finally:
            server.close()


def check_folder_setting(result, sparkc, installed_schema, in_repository):
    """The README's VS Code setting: yaml.schemas maps a schema to jobs/, either one
    committed at the top of the repository (the workspace), named by a relative path,
    or the installed one."""
    if not os.path.exists(YAML_LANGUAGE_SERVER):
        return      # reported by check_language_server
    with tempfile.TemporaryDirectory() as folder:
        folder = os.path.realpath(folder)
        os.makedirs(os.path.join(folder, "jobs", "nightly"))
        if in_repository:
            shutil.copy(installed_schema, os.path.join(folder, "sparkjob.schema.json"))
        schema = "./sparkjob.schema.json" if in_repository else installed_schema
        starter = subprocess.run([sparkc, "init", "demo"], capture_output=True, check=True).stdout.decode()
        body = "\n".join(l for l in starter.splitlines() if not l.startswith("# yaml-language-server")) + "\n"
        settings = json.loads(json.dumps(LanguageServer.SETTINGS))
        settings["yaml"]["schemas"] = {schema: "jobs/**/*.yaml"}
        server = LanguageServer([YAML_LANGUAGE_SERVER, "--stdio"], folder, settings)
        try:
            ok_uri = server.open(os.path.join(folder, "jobs", "nightly", "etl.yaml"), body)
            ok = server.diagnostics(ok_uri)
            bad_uri = server.open(os.path.join(folder, "jobs", "report.yaml"), body.replace("  replicas:", "  replica:"))
            bad = server.diagnostics(bad_uri)
            result(f"editor: yaml.schemas pointing at {'the repository' if in_repository else 'the installed'} "
                   "schema covers a whole jobs/ folder",
                   ok == [] and len(bad) == 1 and "replica" in bad[0]["message"], json.dumps([ok, bad]))
        finally:
            server.close()


# ---- the installed schema ----------------------------------------------------------

def check_install(result, sparkc):
    with tempfile.TemporaryDirectory() as prefix:
        p = subprocess.run(["make", "-s", "install", f"PREFIX={prefix}"], cwd=ROOT, capture_output=True)
        if p.returncode:
            result("editor: make install", False, p.stderr.decode()[-2000:])
            return
        data = os.path.join(prefix, "share", "sparkc")
        printed = subprocess.run([sparkc, "schema"], capture_output=True).stdout
        files = os.listdir(data)
        same = files == ["sparkjob.schema.json"] and open(os.path.join(data, files[0]), "rb").read() == printed
        result("editor: make install installs the one schema sparkc schema prints", same, str(files))
        for in_repository in (True, False):
            check_folder_setting(result, sparkc, os.path.join(data, "sparkjob.schema.json"), in_repository)


# ---- ajv-cli and Python jsonschema against sparkc's schema layer -------------------------

def check_validators(result, sparkc, load_documents):
    """load_documents(text) -> the file's documents as sparkc reads them (YAML 1.2,
    nulls kept: the schema itself says that null is "not set"), or None if PyYAML
    cannot read it."""
    with tempfile.TemporaryDirectory() as tmp:
        schema_path = os.path.join(tmp, "sparkjob.schema.json")
        with open(schema_path, "wb") as f:
            f.write(subprocess.run([sparkc, "schema"], capture_output=True, check=True).stdout)
        validator = jsonschema.Draft202012Validator(json.load(open(schema_path)))
        files = sorted(glob.glob(os.path.join(ROOT, "samples", "*.yaml"))
                       + glob.glob(os.path.join(HERE, "validation", "*", "*.yaml")))
        expected, documents = {}, {}
        for path in files:
            v = subprocess.run([sparkc, "validate", "--format", "json", path], capture_output=True)
            rules = [json.loads(line)["rule"] for line in v.stdout.decode().splitlines() if line.strip()]
            # a YAML or limit error stops sparkc before its schema layer: nothing to compare
            if any(r.startswith(("yaml-", "limit-", "empty")) and r != "yaml-leading-zero" for r in rules):
                continue
            docs = load_documents(open(path, encoding="utf-8", errors="surrogateescape").read())
            if not docs:
                result(f"editor: PyYAML reads {os.path.relpath(path, ROOT)}", False)
                continue
            # the schema also carries the name rule (a DNS-1035 label), for editors
            expected[path] = not any(r.startswith("schema-") or r == "name" for r in rules)
            for i, doc in enumerate(docs):
                name = os.path.join(tmp, f"{len(documents):04d}.json")
                with open(name, "w") as f:
                    json.dump(doc, f)
                documents[name] = path
        p = subprocess.run([AJV, "validate", "--spec=draft2020", "--strict=false", "--all-errors",
                            "-s", schema_path] + [a for name in documents for a in ("-d", name)],
                           capture_output=True) if os.path.exists(AJV) else None
        if p is None:
            result("editor: ajv-cli is installed", False, f"{AJV} is missing: run tools/install-deps.sh test")
        ajv_says = dict(re.findall(r"^(\S+\.json) (valid|invalid)$", (p.stdout + p.stderr).decode(), re.M)) if p else {}
        ajv_ok, py_ok = {}, {}
        for name, path in documents.items():
            ajv_ok[path] = ajv_ok.get(path, True) and ajv_says.get(name) == "valid"
            if ajv_says.get(name) not in ("valid", "invalid"):
                ajv_ok[path] = None
            py_ok[path] = py_ok.get(path, True) and validator.is_valid(json.load(open(name)))
        for tool, verdicts in (("ajv-cli", ajv_ok), ("Python jsonschema", py_ok)):
            if tool == "ajv-cli" and p is None:
                continue
            differ = [f"{os.path.relpath(path, ROOT)}: sparkc's schema layer says {'valid' if ok else 'invalid'}, "
                      f"{tool} {verdicts.get(path)}" for path, ok in expected.items() if verdicts.get(path) != ok]
            result(f"editor: {tool} with the printed schema alone agrees with sparkc on {len(expected)} files",
                   len(expected) > 50 and not differ, "\n".join(differ))


def check_samples_as_read(result, sparkc):
    """A shipped sample gets sparkc's verdict (valid) from every reader, each reading the
    file its own way: ajv-cli (js-yaml) reading the file itself, and Python jsonschema
    after PyYAML's safe_load (YAML 1.1, as kubectl reads), so no sample depends on a
    YAML 1.2 reading such as 0o444."""
    with tempfile.TemporaryDirectory() as tmp:
        schema_path = os.path.join(tmp, "sparkjob.schema.json")
        with open(schema_path, "wb") as f:
            f.write(subprocess.run([sparkc, "schema"], capture_output=True, check=True).stdout)
        validator = jsonschema.Draft202012Validator(json.load(open(schema_path)))
        differ = []
        for path in sorted(glob.glob(os.path.join(ROOT, "samples", "*.yaml"))):
            name = os.path.relpath(path, ROOT)
            text = open(path, encoding="utf-8").read()
            yaml11 = list(yaml.safe_load_all(text))
            if not all(validator.is_valid(d) for d in yaml11 if d is not None):
                differ.append(f"{name}: Python jsonschema (PyYAML) says invalid")
            if os.path.exists(AJV):
                p = subprocess.run([AJV, "validate", "--spec=draft2020", "--strict=false", "-s", schema_path,
                                    "-d", path], capture_output=True)
                if p.returncode:
                    differ.append(f"{name}: ajv-cli says {(p.stdout + p.stderr).decode()[:300]}")
        result("editor: ajv-cli and Python jsonschema (with PyYAML), each reading the samples, call each valid",
               not differ, "\n".join(differ))


def check_documented_ajv(result, sparkc):
    """The ajv-cli command that `sparkc schema --help`, the README and the man page give
    is one command, and it works as written on a job file beside the printed schema.
    (ajv's strict mode refuses the editors' keywords, doNotSuggest and the rest, and
    yaml-language-server reads no other form of them: the command turns strict mode
    off, and says so.)"""
    help_text = subprocess.run([sparkc, "schema", "--help"], capture_output=True).stdout.decode()
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    man = open(os.path.join(ROOT, "doc", "sparkc.1"), encoding="utf-8").read().replace("\\-", "-")
    pattern = r"ajv validate [^\n`(]*?-d job\.yaml"
    found = {where: re.findall(pattern, text) for where, text in
             (("sparkc schema --help", help_text), ("README.md", readme), ("doc/sparkc.1", man))}
    commands = {c for cs in found.values() for c in cs}
    result("editor: sparkc schema --help, the README and the man page give the same ajv-cli command",
           len(commands) == 1 and all(found.values()), json.dumps(found))
    if not os.path.exists(AJV) or len(commands) != 1:
        return      # reported by check_validators, or above
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "sparkjob.schema.json"), "wb") as f:
            f.write(subprocess.run([sparkc, "schema"], capture_output=True, check=True).stdout)
        shutil.copy(os.path.join(HERE, "validation", "valid", NULL_EXPORTS[0]), os.path.join(tmp, "job.yaml"))
        argv = [AJV] + shlex.split(commands.pop())[1:]
        p = subprocess.run(argv, capture_output=True, cwd=tmp)
        out = (p.stdout + p.stderr).decode()
        result("editor: that ajv-cli command, as written, validates a job file", p.returncode == 0
               and out.strip() == "job.yaml valid", f"{argv}: exit {p.returncode}\n{out[:2000]}")


def jobs(sanitized, plain, result, yaml12_loader):
    """The editor checks, each a (function, args...) for tests/run.py's pool; the
    loader reads YAML as sparkc does (1.2)."""
    def load_documents(text):
        try:
            return [d for d in yaml.load_all(text, Loader=yaml12_loader) if d is not None]
        except yaml.YAMLError:
            return None

    root = json.load(open(os.path.join(ROOT, "schemas", "sparkjob.schema.json")))

    def bundle():
        p = subprocess.run(["python3", os.path.join(ROOT, "tools", "bundle-schema.py"), "--check"],
                           capture_output=True)
        result("editor: schemas/sparkjob.schema.json is what tools/bundle-schema.py makes of its sources",
               p.returncode == 0, p.stderr.decode())
        p = subprocess.run(["python3", os.path.join(ROOT, "tools", "bundle-operator-schema.py"), "--check"],
                           capture_output=True)
        result("schemas/sparkoperator.schema.json is what tools/bundle-operator-schema.py makes of the CRDs",
               p.returncode == 0, p.stderr.decode())

    return [(bundle,), (check_schema_text, result, root), (check_language_server, result, sanitized, root),
            (check_install, result, plain), (check_validators, result, sanitized, load_documents),
            (check_samples_as_read, result, sanitized), (check_documented_ajv, result, sanitized),
            (check_config_editor, result, sanitized, load_documents)]
