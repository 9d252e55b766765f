"""`sparkc lsp` driven over stdio as an editor drives it: the Language Server Protocol's
base protocol (Content-Length frames), JSON-RPC 2.0 and the 3.17 messages an editor
sends (initialize, initialized, didOpen, didChange full and incremental, hover,
completion, completionItem/resolve, codeAction, shutdown, exit).

- Diagnostics: every sample job, every operator example (tests/operator/examples), every
  file of the validation corpus and a few edge texts (UTF-16 columns, NEL/LS/PS line
  breaks that YAML counts and the protocol does not, a byte-order mark, several
  documents) draw exactly what `sparkc validate --format json` reports for the same
  text beside a job (so that a file of other objects alone is skipped, as in a
  repository): rule as `code`, severity, "path: message", the hint as related information,
  and the range starting at validate's line:column, converted here independently to
  the protocol's line and UTF-16 character (or UTF-8 bytes, when the client asks).
  After full and incremental changes, the same for the edited text.
- Hover: a spark_conf key shows its registry entry (schemas/spark-config.tsv) and the
  job's Spark version; executor_resources, and a manifest's executor, show the pod
  memory `sparkc explain --format json` computes; a job key its schema description.
- Completion: the schema's keys (less those present and those kept from editors) and
  enum values; spark_conf keys for the job's Spark version, deprecated ones tagged,
  newer and removed ones left out, documented on resolve.
- Code actions: the did-you-mean fix yields text that validates clean; the deprecated
  key's replacement and executor_cores set to the requested CPUs remove their
  warnings; "ignore" inserts the rule's comment.
- Robustness: requests before initialize, unknown methods, bad parameters, requests
  after shutdown, exit codes, a client that vanishes mid-message, hostile YAML (the
  fuzzer's regressions, deep nesting, an alias bomb) opened, edited and hovered; and a
  fuzz pass over the framing (Content-Length lies, truncated JSON, huge and garbage
  headers, random mutations of a session): an error or a clean exit, never a crash, a
  hang or a sanitizer report.
- Real editors' clients are tests/lsp_editors.py's.
- A 5,000-edit session on a 500-line job with the release build: resident memory after
  5,000 edits within 10% (+1 MiB) of that after 500. The time per change is measured by
  `make bench`, not here.

Called from tests/run.py: jobs(sanitized, plain, result)."""
import functools
import json
import os
import queue
import random
import re
import subprocess
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ENV = dict(os.environ, NO_COLOR="1", ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
           UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
SANITIZER = ("AddressSanitizer", "LeakSanitizer", "runtime error:")
YAML_BREAK = re.compile("\r\n|\r|\n|\x85|\u2028|\u2029")
LSP_BREAK = re.compile("\r\n|\r|\n")


# ---- the client --------------------------------------------------------------------------

class Server:
    """One `sparkc lsp` and the client end of its stdio: frames read on a thread (so that
    neither side can block the other on a full pipe), requests matched to responses."""

    def __init__(self, sparkc, args=()):
        self.p = subprocess.Popen([sparkc, "lsp", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=ENV)
        self.frames = queue.Queue()
        self.aside = []
        self.next_id = 0
        self.stderr = b""
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read(self):
        buf = b""
        out = self.p.stdout
        while True:
            head = buf.find(b"\r\n\r\n")
            if head >= 0:
                m = re.search(rb"Content-Length: (\d+)", buf[:head])
                n = int(m.group(1))
                if len(buf) >= head + 4 + n:
                    self.frames.put(json.loads(buf[head + 4:head + 4 + n]))
                    buf = buf[head + 4 + n:]
                    continue
            chunk = out.read1(1 << 16)
            if not chunk:
                self.frames.put(None)
                return
            buf += chunk

    def _read_stderr(self):
        for chunk in iter(lambda: self.p.stderr.read1(1 << 16), b""):
            self.stderr += chunk

    def write(self, raw):
        try:
            self.p.stdin.write(raw)
            self.p.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def frame(self, timeout=60):
        m = self.frames.get(timeout=timeout)
        if m is None:
            self.frames.put(None)       # the end stays seen
        return m

    def request(self, method, params=None, timeout=60):
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.response(self.next_id, timeout)

    def response(self, id_, timeout=60):
        while True:
            m = self.frame(timeout)
            if m is None:
                raise EOFError(f"the server ended: {self.stderr.decode(errors='replace')[-2000:]}")
            if "method" not in m and m.get("id") == id_:
                return m
            self.aside.append(m)

    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def notification(self, method, match=lambda p: True, timeout=60):
        for i, m in enumerate(self.aside):
            if m.get("method") == method and match(m.get("params")):
                return self.aside.pop(i)["params"]
        while True:
            m = self.frame(timeout)
            if m is None:
                raise EOFError(f"the server ended: {self.stderr.decode(errors='replace')[-2000:]}")
            if m.get("method") == method and match(m.get("params")):
                return m["params"]
            self.aside.append(m)

    def diagnostics(self, uri, version=None):
        return self.notification("textDocument/publishDiagnostics",
                                 lambda p: p["uri"] == uri and (version is None or p.get("version") == version))

    def initialize(self, **options):
        encodings = options.pop("encodings", None)
        caps = {"general": {"positionEncodings": encodings}} if encodings else {}
        r = self.request("initialize", {"processId": None, "rootUri": None, "capabilities": caps,
                                        "initializationOptions": {"debounce": 0, **options}})
        self.notify("initialized", {})
        return r

    def open(self, uri, text, version=1):
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml",
                                                              "version": version, "text": text}})

    def close(self, timeout=60):
        """Close stdin and wait: (exit status, stderr)."""
        try:
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = "hung"
        self.frames.put(None)
        time.sleep(0.05)
        return rc, self.stderr.decode("utf-8", "replace")

    def finish(self):
        """shutdown and exit, as an editor ends a session: (exit status, stderr)."""
        self.request("shutdown")
        self.notify("exit")
        return self.close()


def opened(sparkc, path, text, args=()):
    """A server, initialized, with text open as path: (server, uri, its first diagnostics)."""
    srv = Server(sparkc, args)
    srv.initialize()
    srv.open(uri_of(path), text)
    return srv, uri_of(path), srv.diagnostics(uri_of(path))["diagnostics"]


def clean_end(rc, err, want=(0, 1)):
    return rc in want and not any(s in err for s in SANITIZER)


# ---- positions, independently of the server -----------------------------------------------

def mark_offset(text, line, col):
    """validate's line:column (lines end as YAML's do, columns count characters) -> index."""
    if line <= 0:
        return 0
    pos = 1 if text.startswith("\ufeff") else 0
    for _ in range(line - 1):
        m = YAML_BREAK.search(text, pos)
        if not m:
            return len(text)
        pos = m.end()
    m = YAML_BREAK.search(text, pos)
    return min(pos + col - 1, m.start() if m else len(text))


def units(s, enc):
    return len(s.encode("utf-16-le")) // 2 if enc == "utf-16" else len(s.encode()) if enc == "utf-8" else len(s)


def lsp_position(text, index, enc="utf-16"):
    line, start = 0, 0
    for m in LSP_BREAK.finditer(text):
        if m.end() > index:
            break
        line, start = line + 1, m.end()
    return {"line": line, "character": units(text[start:index], enc)}


def lsp_index(text, pos, enc="utf-16"):
    start = 0
    for _ in range(pos["line"]):
        m = LSP_BREAK.search(text, start)
        if not m:
            return len(text)
        start = m.end()
    m = LSP_BREAK.search(text, start)
    end = m.start() if m else len(text)
    i, n = start, 0
    while i < end and n + units(text[i], enc) <= pos["character"]:
        n += units(text[i], enc)
        i += 1
    return i


def apply_edits(text, edits, enc="utf-16"):
    for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]),
                    reverse=True):
        a, b = lsp_index(text, e["range"]["start"], enc), lsp_index(text, e["range"]["end"], enc)
        text = text[:a] + e["newText"] + text[b:]
    return text


# ---- what validate says -------------------------------------------------------------------

# A job beside a file, as in a repository: a file of other objects alone is then
# skipped, not an error, as the server takes every file it is given.
BESIDE = os.path.join(ROOT, "samples", "sparkreadcsv.yaml")


def validate(sparkc, path, text=None, args=(), beside=None):
    """`sparkc validate --format json` of path (holding text, written when given), and
    beside it the file beside (whose own findings are left out)."""
    if text is not None:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    p = subprocess.run([sparkc, "validate", "--format", "json", *args, path, *([beside] if beside else [])],
                       capture_output=True, env=ENV, timeout=120)
    return [r for r in (json.loads(line) for line in p.stdout.decode().splitlines() if line.strip())
            if not beside or r["file"] != beside]


def expected(records, path, text, enc="utf-16"):
    """validate's records as (start, severity, code, message, related)."""
    out = []
    for r in records:
        here = r["file"] == path and r["line"] > 0
        start = lsp_position(text, mark_offset(text, r["line"], r["column"]), enc) if here else \
            {"line": 0, "character": 0}
        where = "" if here or r["file"] == path else \
            (f"{r['file']}:{r['line']}:{r['column']}: " if r["line"] else f"{r['file']}: ")
        message = where + (f"{r['path']}: " if r["path"] else "") + r["message"]
        out.append((start["line"], start["character"], 1 if r["severity"] == "error" else 2, r["rule"], message,
                    f"hint: {r['hint']}" if r.get("hint") else None))
    return sorted(out, key=repr)


def published(diags):
    return sorted(((d["range"]["start"]["line"], d["range"]["start"]["character"], d["severity"], d["code"],
                    d["message"], d["relatedInformation"][0]["message"] if d.get("relatedInformation") else None)
                   for d in diags), key=repr)


def well_formed(diags, text, enc="utf-16"):
    """Every range lies in the text, start before end, on the start's line."""
    for d in diags:
        s, e = d["range"]["start"], d["range"]["end"]
        if (e["line"], e["character"]) < (s["line"], s["character"]) or d.get("source") != "sparkc":
            return False
        if lsp_position(text, lsp_index(text, e, enc), enc) != e and text:
            return False
    return True


def uri_of(path):
    return "file://" + path.replace("%", "%25").replace(" ", "%20")


# ---- the checks ------------------------------------------------------------------------------

def in_tmp(check):
    """check(sparkc, result, tmp) as check(sparkc, result), in a directory of its own."""
    @functools.wraps(check)
    def run(sparkc, result):
        with tempfile.TemporaryDirectory() as tmp:
            check(sparkc, result, tmp)
    return run


def corpus():
    files = []
    for d, pattern in (("samples", ".yaml"), ("tests/operator/examples", ".yaml"),
                       ("tests/validation/valid", ".yaml"), ("tests/validation/invalid", ".yaml")):
        full = os.path.join(ROOT, d)
        files += [os.path.join(full, f) for f in sorted(os.listdir(full)) if f.endswith(pattern)]
    return files


EDGE = {
    # a column past a 4-byte character: 2 UTF-16 units, 4 UTF-8 bytes, 1 character
    "utf16.yaml": "kind: spark\nmetadata:\n  name: e\n  labels: {team: \"\U0001F600\U0001F600\", bad key: x}\n"
                  "spec: {command: /a.py, image: i:3.5.5, replica: 2}\n",
    # line breaks YAML counts and the protocol does not
    "breaks.yaml": "kind: spark\nmetadata:\n  name: e\n  annotations: {note: \"a\u2028b\x85c\u2029d\"}\n"
                   "spec:\n  command: /a.py\n  image: i:3.5.5\n  replica: 2\n",
    "bom.yaml": "\ufeffkind: spark\nmetadata: {name: Bad_Name}\nspec: {command: /a.py, image: i:3.5.5}\n",
    "crlf.yaml": "kind: spark\r\nmetadata:\r\n  name: e\r\nspec:\r\n  command: /a.py\r\n  image: i\r\n  replica: 2\r\n",
    "documents.yaml": "kind: spark\nmetadata: {name: a}\nspec: {command: /a.py, image: i}\n---\n"
                      "kind: spark\nmetadata: {name: a}\nspec: {command: /a.py, image: i, replica: 1}\n",
    "empty.yaml": "",
    "syntax.yaml": "kind: spark\nmetadata:\n  name: 'unclosed\nspec: {}\n",
    "other.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
}


@in_tmp
def check_diagnostics(sparkc, result, tmp):
    srv = Server(sparkc)
    srv.initialize()
    files = corpus()
    for name, text in EDGE.items():
        path = os.path.join(tmp, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        files.append(path)
    bad = []
    # each rule's link: SARIF's helpUri for it, a heading of docs/rules.md
    sarif = json.loads(subprocess.run([sparkc, "validate", "--format", "sarif", *files], capture_output=True,
                                      env=ENV).stdout)
    help_uri = {r["id"]: r["helpUri"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    headings = set(re.findall(r"^### (\S+)$", open(os.path.join(ROOT, "docs", "rules.md")).read(), re.M))
    for path in files:
        text = open(path, encoding="utf-8", newline="").read()
        uri = uri_of(path)
        srv.open(uri, text)
        got = srv.diagnostics(uri)
        want = expected(validate(sparkc, path, beside=BESIDE), path, text)
        if published(got["diagnostics"]) != want or got.get("version") != 1 or \
                not well_formed(got["diagnostics"], text):
            bad.append(f"{os.path.relpath(path, ROOT)}:\n  want {want}\n  got  {published(got['diagnostics'])}")
        bad += [f"{path}: {d['code']} links {d.get('codeDescription')}" for d in got["diagnostics"]
                if d.get("codeDescription", {}).get("href") != help_uri.get(d["code"], "?") or
                d["code"] not in headings or not d["codeDescription"]["href"].endswith("#" + d["code"])]
        srv.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        cleared = srv.diagnostics(uri)
        if cleared["diagnostics"]:
            bad.append(f"{path}: didClose left diagnostics")
    rc, err = srv.finish()
    result(f"lsp: diagnostics on open equal validate's ({len(files)} files: samples, operator examples, "
           f"the validation corpus, edge texts), each linking its rule's text in docs/rules.md as SARIF does",
           not bad and clean_end(rc, err, (0,)), "\n".join(bad[:5]) + err)

    # the same with UTF-8 positions, negotiated
    srv = Server(sparkc)
    init = srv.initialize(encodings=["utf-8", "utf-16"])
    path = os.path.join(tmp, "utf16.yaml")
    text = EDGE["utf16.yaml"]
    srv.open(uri_of(path), text)
    got = srv.diagnostics(uri_of(path))
    want = expected(validate(sparkc, path), path, text, "utf-8")
    rc, err = srv.finish()
    result("lsp: positions in UTF-8 when the client offers it first",
           init["result"]["capabilities"].get("positionEncoding") == "utf-8" and
           published(got["diagnostics"]) == want and clean_end(rc, err, (0,)),
           f"{init}\nwant {want}\ngot  {published(got['diagnostics'])}\n{err}")


@in_tmp
def check_options(sparkc, result, tmp):
    """validate's options apply as on the command line: -n, and --templates (a template's
    own errors shown at the document's start, naming the template's file)."""
    bad = []
    path = os.path.join(tmp, "job.yaml")
    text = ("kind: spark\nmetadata: {name: a}\nspec:\n  command: /a.py\n  image: i:3.5.5\n"
            "  spark_conf: {spark.kubernetes.namespace: team-a}\n")
    good, broken = os.path.join(tmp, "good"), os.path.join(tmp, "broken")
    os.makedirs(good)
    os.makedirs(broken)
    with open(os.path.join(good, "defaults.yaml"), "w") as f:
        f.write("namespace: team-b\n")
    with open(os.path.join(broken, "defaults.yaml"), "w") as f:
        f.write("namespace: Team_B\nreplica: 2\n")
    for args in (["-n", "team-c"], ["--templates", good], ["--templates", broken],
                 ["--templates", os.path.join(tmp, "none")]):
        srv, _, diags = opened(sparkc, path, text, args)
        got = published(diags)
        want = expected(validate(sparkc, path, text, args), path, text)
        if "good" not in args[-1] and args[0] != "-n":
            # templates that fail stop validate before any job, in text on stderr:
            # "FILE:LINE:COL: error: PATH: MESSAGE [RULE]" or "FILE: error: MESSAGE [RULE]"
            p = subprocess.run([sparkc, "validate", *args, path], capture_output=True, env=ENV, text=True)
            want = sorted((0, 0, 1, m.group(3), m.group(1) + m.group(2)) for m in re.finditer(
                r"^(\S+?(?::\d+:\d+)?: )error: (.*) \[([\w-]+)\]$", p.stderr, re.M))
            got = sorted(g[:5] for g in got)
        rc, err = srv.finish()
        if got != want or not want or not clean_end(rc, err, (0,)):
            bad.append(f"{args}:\n  want {want}\n  got  {got}\n{err}")
    result("lsp: -n and --templates apply as they do to validate, a broken template shown at the start",
           not bad, "\n".join(bad))


# A job whose image names no Spark and which sets no spark_version.
JOB_NO_VERSION = """kind: spark
metadata: {name: nightly, project: data}
spec:
  command: local:///app/x.py
  image: myorg/app:latest
  spark_conf:
    spark.sql.adaptive.enabled: "true"
"""


@in_tmp
def check_config(sparkc, result, tmp):
    """A repository's .sparkc.yaml and ignore comments apply as on the command line, read
    anew at each check; the .sparkc.yaml itself is checked, hovered and completed as the
    configuration it is."""
    repo = os.path.join(tmp, "repo")
    os.makedirs(os.path.join(repo, ".git"))
    os.makedirs(os.path.join(repo, "jobs", "drafts"))
    config = os.path.join(repo, ".sparkc.yaml")
    job = os.path.join(repo, "jobs", "etl.yaml")
    draft = os.path.join(repo, "jobs", "drafts", "wip.yaml")
    bad = []
    srv = Server(sparkc)
    srv.initialize()
    version = 1

    def compare(what, path, text):
        nonlocal version
        version += 1
        srv.open(uri_of(path), text, version)
        got = published(srv.diagnostics(uri_of(path), version)["diagnostics"])
        want = expected(validate(sparkc, path, text, beside=BESIDE), path, text)
        if got != want:
            bad.append(f"{what}:\n  want {want}\n  got  {got}")
        return got

    for settings in ("rules: {executor-cores: 'off'}\n", "rules: {executor-cores: error, conf-deprecated: 'off'}\n",
                     "exclude: [drafts/]\n", "rules: {executor-cores: loud}\n"):
        with open(config, "w") as f:
            f.write(settings)
        says = {g[3]: g[2] for g in compare(f"a job under {settings!r}", job, JOB)}
        draft_says = compare(f"a draft under {settings!r}", draft, JOB)
        if "exclude" in settings and draft_says:
            bad.append("an excluded draft drew diagnostics")
        if ("executor-cores: 'off'" in settings and "executor-cores" in says) or \
                ("executor-cores: error" in settings and says.get("executor-cores") != 1) or \
                ("loud" in settings and "schema-enum" not in says):
            bad.append(f"{settings!r} did not act: {says}")
    # the ignore comment the quick fix writes, with a reason, silences the warning
    with open(config, "w") as f:
        f.write("fail-on: warning\n")
    srv.open(uri_of(job), JOB, 50)
    srv.diagnostics(uri_of(job), 50)
    act = next(a for a in actions(srv, uri_of(job), JOB, "3, memory") if a["title"] == "Ignore executor-cores here")
    ignored = apply_edits(JOB, act["edit"]["changes"][uri_of(job)]).replace("-- \n", "-- one task per pod\n")
    got = compare("the ignore comment, with a reason", job, ignored)
    if any(g[3] in ("executor-cores", "unused-ignore") for g in got):
        bad.append(f"the ignore comment did not silence executor-cores: {got}")
    srv.finish()
    result("lsp: .sparkc.yaml (rules, exclude, an invalid one) and ignore comments apply as on the command line",
           not bad, "\n".join(bad))

    # hover reads the job under the same .sparkc.yaml as its diagnostics: the Spark a job
    # with no version of its own runs is the configuration's default version
    with open(config, "w") as f:
        f.write('spark: {default-version: "3.3"}\n')
    text = JOB_NO_VERSION
    srv = Server(sparkc)
    srv.initialize()
    srv.open(uri_of(job), text)
    srv.diagnostics(uri_of(job))
    hover = hover_at(srv, uri_of(job), text, "spark.sql.adaptive.enabled", 3)
    rc, err = srv.finish()
    result("lsp: hover on a spark_conf key names the Spark of the file's .sparkc.yaml, as its diagnostics use",
           "runs Spark 3.3," in hover and clean_end(rc, err, (0,)), f"{hover}\n{err}")

    # the configuration file itself
    srv = Server(sparkc)
    srv.initialize()
    text = "rulez: {}\nrules:\n  executor-cores: loud\n"
    srv.open(uri_of(config), text)
    got = srv.diagnostics(uri_of(config))["diagnostics"]
    codes = sorted((d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in got)
    hover = hover_at(srv, uri_of(config), text, "executor-cores", 2)
    keys = {i["label"] for i in completion(srv, uri_of(config), "rules:\n  exec\n", "  exec")}
    levels = [i["label"] for i in completion(srv, uri_of(config), "rules:\n  executor-cores: \n", "cores: ")]
    rc, err = srv.finish()
    result("lsp: a .sparkc.yaml is checked as a configuration (line:column), its rules completed and described",
           codes == [("schema-enum", 2, 18), ("schema-unknown-key", 0, 0)] and "executor-cores" in keys and
           "executor-runs" not in keys and sorted(levels) == ["error", "off", "warning"] and
           "warning by default" in hover and clean_end(rc, err, (0,)), f"{codes}\n{sorted(keys)[:5]}\n{levels}\n"
                                                                       f"{hover}\n{err}")


JOB = """kind: spark
metadata:
  name: etl
spec:
  command: /app/etl.py
  image: iguazio/spark-app:3.5.5
  replica: 2
  executor_resources:
    requests: {cpu: 3, memory: 2g}
  spark_conf:
    spark.executor.memoryOverhead: 1g
    spark.io.compression.lz4.block.size: 64k
"""


@in_tmp
def check_changes(sparkc, result, tmp):
    """Full and incremental changes, each checked against validate of the edited text."""
    path = os.path.join(tmp, "changes.yaml")
    text = JOB
    srv, uri, _ = opened(sparkc, path, text)
    rng = random.Random(27)
    bad = []
    version = 1
    for step in range(40):
        version += 1
        if step % 10 == 0:      # a full change
            text = JOB.replace("replica:", "replicas:") if step % 20 else JOB
            change = {"text": text}
        else:                   # an incremental one: insert or delete around a random place
            a = rng.randrange(len(text) + 1)
            b = min(len(text), a + rng.randrange(3)) if rng.random() < 0.5 else a
            new = rng.choice(["", "x", ": ", "\n  ", "é", "\U0001F600", "1", "{"])
            change = {"range": {"start": lsp_position(text, a), "end": lsp_position(text, b)}, "text": new}
            text = text[:a] + new + text[b:]
        srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                              "contentChanges": [change]})
        got = srv.diagnostics(uri, version)
        want = expected(validate(sparkc, path, text), path, text)
        if published(got["diagnostics"]) != want:
            bad.append(f"after change {step} ({change}):\n  want {want}\n  got  {published(got['diagnostics'])}")
    # several changes in one message, applied in order
    version += 1
    changes = [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "text": "# one\n"},
               {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}, "text": ""},
               {"text": JOB}]
    srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                          "contentChanges": changes})
    got = srv.diagnostics(uri, version)
    if published(got["diagnostics"]) != expected(validate(sparkc, path, JOB), path, JOB):
        bad.append("several changes in one message")
    rc, err = srv.finish()
    result("lsp: diagnostics after full and incremental changes equal validate's of the edited text",
           not bad and clean_end(rc, err, (0,)), "\n".join(bad[:3]) + err)

    # debounced: a burst of changes is checked once, for its last version
    srv = Server(sparkc)
    srv.request("initialize", {"capabilities": {}, "initializationOptions": {"debounce": 300}})
    srv.notify("initialized", {})
    srv.open(uri, JOB)
    srv.diagnostics(uri, 1)
    for v in range(2, 12):
        srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v},
                                              "contentChanges": [{"text": JOB + f"# {v}\n"}]})
    last = srv.diagnostics(uri)
    rc, err = srv.finish()
    result("lsp: a burst of changes is checked once, when the client pauses",
           last.get("version") == 11 and not any(m.get("method") == "textDocument/publishDiagnostics"
                                                   for m in srv.aside) and clean_end(rc, err, (0,)),
           f"{last.get('version')} {srv.aside[:3]} {err}")


def registry_rows():
    """The registry's key rows (schemas/spark-config.tsv): key, release lines ("3.4:3.4.2
    3.5 4.0": each line, and the first release of it that reads the key, when not x.y.0),
    type, unit, since, deprecated, its note, removed, its note, values, default, flags,
    Spark's description."""
    return [line.rstrip("\n").split("\t") for line in open(os.path.join(ROOT, "schemas", "spark-config.tsv"),
                                                          encoding="utf-8")
            if line.startswith("spark.") and line.count("\t") == 12]


def reads(row, version):
    """Whether a registry row holds the facts of Spark version (x.y.z)."""
    line = ".".join(version.split(".")[:2])
    for entry in row[1].split():
        name, _, first = entry.partition(":")
        if name == line:
            return not first or tuple(map(int, first.split("."))) <= tuple(map(int, version.split(".")))
    return False


def hover_at(srv, uri, text, needle, offset=1):
    pos = lsp_position(text, text.index(needle) + offset)
    r = srv.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": pos})
    res = r.get("result") or {}
    return (res.get("contents") or {}).get("value", "")


@in_tmp
def check_hover(sparkc, result, tmp):
    path = os.path.join(tmp, "hover.yaml")
    text = JOB.replace("replica:", "replicas:")
    with open(path, "w") as f:
        f.write(text)
    srv, uri, _ = opened(sparkc, path, text)
    entry = next(r for r in registry_rows() if r[0] == "spark.executor.memoryOverhead" and reads(r, "3.5.5"))
    conf = hover_at(srv, uri, text, "spark.executor.memoryOverhead", 5)
    result("lsp: hover on spark.executor.memoryOverhead shows the registry's text and facts and the job's Spark",
           entry[12] in conf and f"since Spark {entry[4]}" in conf and "a bare number is in MiB" in conf and
           "This job runs Spark 3.5.5, from the image tag: read" in conf, f"{entry}\n{conf}")
    pod = json.loads(subprocess.run([sparkc, "explain", "--format", "json", path], capture_output=True,
                                    env=ENV).stdout)
    executor = hover_at(srv, uri, text, "executor_resources", 3)
    mib = pod["executor"]["podMemoryMiB"]
    result("lsp: hover on executor_resources shows the pod memory explain computes",
           f"**{mib} MiB**" in executor and f"{pod['executor']['overheadMiB']} MiB" in executor and
           "cpu request / limit | 3 / 3" in executor, f"{pod['executor']}\n{executor}")
    schema = json.load(open(os.path.join(ROOT, "schemas", "sparkjob.schema.json")))
    spec = schema["$defs"]["Spec"]["properties"]
    image = hover_at(srv, uri, text, "image:", 2)
    want = spec["image"].get("markdownDescription") or spec["image"]["description"]
    result("lsp: hover on a job key shows the schema's description", want in image, image)
    rc, err = srv.finish()

    # an operator manifest's executor
    path = os.path.join(ROOT, "tests", "operator", "examples", "spark-pi.yaml")
    text = open(path).read()
    srv, _, _ = opened(sparkc, path, text)
    pod = json.loads(subprocess.run([sparkc, "explain", "--format", "json", path], capture_output=True,
                                    env=ENV).stdout)
    executor = hover_at(srv, uri_of(path), text, "  executor:", 4)
    rc2, err2 = srv.finish()
    result("lsp: hover on a manifest's executor shows explain's pod memory",
           f"**{pod['executor']['podMemoryMiB']} MiB**" in executor and clean_end(rc, err, (0,)) and
           clean_end(rc2, err2, (0,)), executor + err + err2)


def completion(srv, uri, text, needle, offset=None, trigger=None):
    srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 99},
                                          "contentChanges": [{"text": text}]})
    i = text.index(needle) + (len(needle) if offset is None else offset)
    params = {"textDocument": {"uri": uri}, "position": lsp_position(text, i)}
    if trigger:
        params["context"] = {"triggerKind": 2, "triggerCharacter": trigger}
    r = srv.request("textDocument/completion", params)
    return (r.get("result") or {}).get("items", [])


@in_tmp
def check_completion(sparkc, result, tmp):
    uri = uri_of(os.path.join(tmp, "complete.yaml"))
    srv = Server(sparkc)
    srv.initialize()
    base = JOB.replace("replica: 2\n", "replicas: 2\n")
    srv.open(uri, base)
    schema = json.load(open(os.path.join(ROOT, "schemas", "sparkjob.schema.json")))
    spec = schema["$defs"]["Spec"]["properties"]
    present = {"command", "image", "replicas", "executor_resources", "spark_conf"}
    want = {k for k, v in spec.items() if not v.get("doNotSuggest")} - present
    items = completion(srv, uri, base.replace("  replicas: 2\n", "  replicas: 2\n  dri\n"), "  dri")
    labels = {i["label"] for i in items}
    result("lsp: completion of a spec key offers the schema's keys, less those present and kept from editors",
           labels == want and all(i["textEdit"]["newText"].startswith(i["label"] + ":") for i in items),
           f"missing {sorted(want - labels)}, extra {sorted(labels - want)}")
    block = {i["label"]: i for i in items}.get("env", {})
    # driver_resources is anyOf [Resources, null]: a mapping below the key all the same
    either = {i["label"]: i for i in items}.get("driver_resources", {})
    result("lsp: a key whose value goes below is completed as the key alone for a client without snippets",
           block.get("textEdit", {}).get("newText") == "env:" and "insertTextFormat" not in block and
           either.get("textEdit", {}).get("newText") == "driver_resources:" and either.get("detail") == "object",
           json.dumps(block)[:500] + json.dumps(either)[:500])
    items = completion(srv, uri, base.replace("  replicas: 2\n", "  replicas: 2\n  job_type: Py\n"), "job_type: Py")
    result("lsp: completion after job_type: offers its enum values with their descriptions",
           [i["label"] for i in items] == ["Python", "Scala", "Java", "R"] and
           all(i.get("documentation") for i in items), json.dumps(items)[:500])
    items = completion(srv, uri, base.replace("  replicas: 2\n", "  replicas: 2\n  job_type: \n"), "job_type: ",
                       trigger=" ")
    none = completion(srv, uri, base.replace("  replicas: 2\n", "  replicas: 2\n  \n"), "replicas: 2\n  ",
                      trigger=" ")
    result("lsp: a space triggers value completion after `key: ` only", len(items) == 4 and not none,
           f"{items} {none}")
    version = "3.5.5"
    conf = completion(srv, uri, base.replace("    spark.io.", "    spark.sql.ad\n    spark.io."),
                      "spark.sql.ad")
    keys = {i["label"]: i for i in conf}
    rows = registry_rows()
    live = {r[0] for r in rows if reads(r, version)}
    anywhere = {r[0] for r in rows}
    flagged = {r[0] for r in rows if set(r[11]) & set("imru")}
    later = {r[0] for r in rows if any(reads(r, v) for v in ("4.0.0", "4.1.0", "4.2.0"))}
    earlier = {r[0] for r in rows if any(reads(r, v) for v in ("2.4.0", "3.2.0", "3.3.0", "3.4.0"))}
    too_new = sorted((later - earlier) - live - flagged)[0]
    removed = sorted((earlier - later) - live - flagged)[0]
    deprecated = sorted(r[0] for r in rows if reads(r, version) and r[5] and not set(r[11]) & set("imru"))[0]
    assert too_new in anywhere and removed in anywhere
    ok = ("spark.sql.adaptive.enabled" in keys and "spark.executor.memoryOverhead" not in keys and
          too_new not in keys and (removed is None or removed not in keys) and
          keys.get(deprecated, {}).get("tags") == [1] and not keys["spark.sql.adaptive.enabled"].get("tags"))
    resolved = srv.request("completionItem/resolve", keys.get("spark.sql.adaptive.enabled", {})).get("result", {})
    ok = ok and "spark.sql.adaptive.enabled" in (resolved.get("documentation") or {}).get("value", "")
    rc, err = srv.finish()
    # a client that takes snippets gets the cursor on the line below, indented
    snippets = Server(sparkc)
    snippets.request("initialize", {"capabilities": {"textDocument": {"completion": {"completionItem": {
        "snippetSupport": True}}}}, "initializationOptions": {"debounce": 0}})
    snippets.notify("initialized", {})
    snippets.open(uri, base)
    typed = base.replace("  replicas: 2\n", "  replicas: 2\n  e\n")
    items = {i["label"]: i for i in completion(snippets, uri, typed, "  e")}
    block, plain = items.get("env", {}), items.get("executor_cores", {})
    edit = block.get("textEdit", {})
    filled = apply_edits(typed, [dict(edit, newText=edit["newText"].replace("$0", "name: A"))]) if edit else ""
    rc2, err2 = snippets.finish()
    result("lsp: with snippets, a key whose value goes below puts the cursor there, indented; others stay plain",
           block.get("insertTextFormat") == 2 and edit.get("newText") == "env:\n    - $0" and
           "  env:\n    - name: A\n" in filled and plain.get("textEdit", {}).get("newText") ==
           "executor_cores: " and "insertTextFormat" not in plain and clean_end(rc2, err2, (0,)),
           f"{block}\n{plain}\n{filled}\n{err2}")
    result(f"lsp: spark_conf completion offers Spark {version}'s keys (not {too_new}, added later, nor "
           f"{removed}, removed), {deprecated} tagged deprecated, documented on resolve",
           ok and clean_end(rc, err, (0,)), f"{len(keys)} keys; {keys.get(deprecated)} {resolved} {err}")


def actions(srv, uri, text, needle):
    i = text.index(needle)
    pos = lsp_position(text, i)
    r = srv.request("textDocument/codeAction", {"textDocument": {"uri": uri},
                                                "range": {"start": pos, "end": pos},
                                                "context": {"diagnostics": []}})
    return r.get("result") or []


@in_tmp
def check_code_actions(sparkc, result, tmp):
    path = os.path.join(tmp, "fix.yaml")
    text = JOB
    srv, uri, _ = opened(sparkc, path, text)

    def fixed(needle, title):
        act = next((a for a in actions(srv, uri, text, needle) if a["title"].startswith(title)), None)
        return act, apply_edits(text, act["edit"]["changes"][uri]) if act else None

    act, after = fixed("replica:", "Change to 'replicas'")
    clean = after is not None and validate(sparkc, path, after.replace("  executor_resources:\n    requests: "
                                                                       "{cpu: 3, memory: 2g}\n", "")
                                           .replace("    spark.io.compression.lz4.block.size: 64k\n", "")) == []
    result("lsp: the did-you-mean code action yields text that validates clean",
           clean and act.get("isPreferred") and act["diagnostics"][0]["code"] == "schema-unknown-key",
           f"{act}\n{after}")
    act, after = fixed("spark.io.compression", "Replace with spark.io.compression.lz4.blockSize")
    rules = {r["rule"] for r in validate(sparkc, path, after)} if after else {"?"}
    result("lsp: the deprecated key's code action puts Spark's replacement",
           after is not None and "spark.io.compression.lz4.blockSize: 64k" in after and "conf-deprecated" not in rules,
           f"{act}\n{rules}")
    act, after = fixed("3, memory", "Set executor_cores to 3")
    rules = {r["rule"] for r in validate(sparkc, path, after)} if after else {"?"}
    result("lsp: the executor-cores code action sets executor_cores to the requested CPUs",
           "executor-cores" not in rules and "executor_cores: 3" in (after or ""), f"{act}\n{after}\n{rules}")
    act, after = fixed("3, memory", "Ignore executor-cores here")
    # an error that may not be silenced gets no ignore comment (sparkc rules: not ignorable)
    rules = {r["id"]: r for r in json.loads(subprocess.run([sparkc, "rules", "--format", "json"],
                                                           capture_output=True, env=ENV).stdout)}
    offered = [a["title"] for a in actions(srv, uri, text, "replica:")]
    result("lsp: the ignore code action puts the rule's comment on the line above, for rules that may be silenced",
           after is not None and "  # sparkc:ignore executor-cores -- \n    requests: {cpu: 3" in after and
           not rules["schema-unknown-key"]["ignorable"] and "Ignore schema-unknown-key here" not in offered,
           f"{act}\n{offered}")
    rc, err = srv.finish()
    result("lsp: code actions end cleanly", clean_end(rc, err, (0,)), err)


def error_code(msg):
    return (msg or {}).get("error", {}).get("code")


def check_protocol(sparkc, result):
    srv = Server(sparkc)
    early = srv.request("textDocument/hover", {"textDocument": {"uri": "file:///x"}, "position":
                                               {"line": 0, "character": 0}})
    srv.notify("textDocument/didOpen", {"textDocument": {"uri": "file:///early.yaml", "text": "x"}})
    init = srv.initialize()
    again = srv.request("initialize", {"capabilities": {}})
    unknown = srv.request("textDocument/definition", {"textDocument": {"uri": "file:///x"}})
    srv.notify("$/unknownNotification", {})
    bad = srv.request("textDocument/hover", {"textDocument": {"uri": "file:///x"}, "position": {"line": "a"}})
    notopen = srv.request("textDocument/hover", {"textDocument": {"uri": "file:///nope.yaml"},
                                                 "position": {"line": 0, "character": 0}})
    string_id = srv.send({"jsonrpc": "2.0", "id": "abc", "method": "textDocument/completion",
                          "params": {"textDocument": {"uri": "file:///nope.yaml"},
                                     "position": {"line": 0, "character": 0}}}) or srv.response("abc")
    srv.send({"jsonrpc": "2.0", "id": 500, "result": None})     # a response: not answered
    # params null, as Emacs' eglot sends them for shutdown, is no params
    srv.send({"jsonrpc": "2.0", "id": "down", "method": "shutdown", "params": None})
    shutdown = srv.response("down")
    late = srv.request("textDocument/hover", {"textDocument": {"uri": "file:///x"}, "position":
                                              {"line": 0, "character": 0}})
    srv.notify("exit")
    rc, err = srv.close()
    stray = [m for m in srv.aside if "id" in m]
    result("lsp: the lifecycle: ServerNotInitialized before initialize, InvalidRequest for a second initialize "
           "and after shutdown, MethodNotFound, InvalidParams, null for a closed document, exit 0",
           error_code(early) == -32002 and "capabilities" in init.get("result", {}) and error_code(again) == -32600
           and error_code(unknown) == -32601 and error_code(bad) == -32602 and notopen.get("result") is None
           and string_id.get("result") is None and "error" not in string_id and shutdown.get("result") is None
           and "error" not in shutdown and error_code(late) == -32600 and not stray and clean_end(rc, err, (0,)),
           f"{early}\n{init}\n{again}\n{unknown}\n{bad}\n{notopen}\n{string_id}\n{shutdown}\n{late}\n{stray}\n{rc}"
           f"\n{err}")
    srv = Server(sparkc)
    srv.initialize()
    srv.notify("exit")
    rc, err = srv.close()
    result("lsp: exit without shutdown ends with status 1", clean_end(rc, err, (1,)), f"{rc} {err}")

    # a client that can watch files is asked to watch .sparkc.yaml; a change re-checks
    srv = Server(sparkc)
    srv.request("initialize", {"capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}},
                               "initializationOptions": {"debounce": 0}})
    srv.notify("initialized", {})
    asked = srv.notification("client/registerCapability")
    srv.send({"jsonrpc": "2.0", "id": "sparkc-watch", "result": None})
    srv.open("file:///w/job.yaml", JOB)
    first = srv.diagnostics("file:///w/job.yaml")
    srv.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": "file:///w/.sparkc.yaml", "type": 2}]})
    again = srv.diagnostics("file:///w/job.yaml")
    rc, err = srv.finish()
    watchers = asked["registrations"][0]["registerOptions"]["watchers"]
    result("lsp: the client is asked to watch .sparkc.yaml, and a change of it checks the open documents again",
           asked["registrations"][0]["method"] == "workspace/didChangeWatchedFiles" and
           watchers == [{"globPattern": "**/.sparkc.yaml"}] and again == first and clean_end(rc, err, (0,)),
           f"{asked} {err}")


# What each diagnostic's range covers in the validation corpus: the key or the value
# validate points at, a negative number whole, a flow collection to its bracket, from
# inside a quoted scalar up to its quote.
RANGES = {
    "schema-unknown-spec.yaml": "replica",
    "schema-minimum-replicas.yaml": "-2",
    "schema-type-list.yaml": "--x",
    "schema-required-k8s.yaml": "{value: x}",
    "schema-type-mapping.yaml": "[a]",
    "yaml-complex-key.yaml": "[a, b]",
    "schema-type-quoted-integer.yaml": '"2"',
    "cron-descriptor.yaml": "@weekdays",
    "cron-fields.yaml": "* * *",
    "yaml-tag.yaml": "!!timestamp 2024-01-01",
    "schema-required-command.yaml": "spec",
}


@in_tmp
def check_editor_behaviour(sparkc, result, tmp):
    """What editors do beyond the basics: requests between initialize and initialized,
    $/cancelRequest, didSave, didChangeConfiguration, didChangeWorkspaceFolders, an
    untitled: document, a CRLF document edited with UTF-16 positions past emoji and CJK,
    a workspace folder whose .sparkc.yaml is in a subdirectory, didClose then didOpen, a
    burst of typing longer than the debounce's cap, a change pending at shutdown; and
    what each diagnostic's range covers."""
    repo = os.path.join(tmp, "repo")
    os.makedirs(os.path.join(repo, "team", "jobs"))
    with open(os.path.join(repo, "team", ".sparkc.yaml"), "w") as f:
        f.write("rules: {executor-cores: 'off'}\n")
    srv = Server(sparkc)
    srv.request("initialize", {"processId": None, "rootUri": uri_of(repo), "capabilities": {},
                               "workspaceFolders": [{"uri": uri_of(repo), "name": "repo"}],
                               "initializationOptions": {"debounce": 150}})
    bad = []
    # a request before initialized is answered
    early = srv.request("textDocument/hover", {"textDocument": {"uri": "file:///none.yaml"},
                                               "position": {"line": 0, "character": 0}})
    if early.get("result", 1) is not None:
        bad.append(f"a request before initialized: {early}")
    srv.notify("initialized", {})
    srv.notify("$/cancelRequest", {"id": 12345})
    srv.notify("workspace/didChangeWorkspaceFolders", {"event": {"added": [], "removed": []}})
    # an untitled document is checked as validate checks the same text
    srv.open("untitled:Untitled-1", JOB)
    got = srv.diagnostics("untitled:Untitled-1")
    path = os.path.join(tmp, "untitled.yaml")
    want = expected(validate(sparkc, path, JOB), path, JOB)
    if [g[:4] for g in published(got["diagnostics"])] != [w[:4] for w in want]:
        bad.append(f"untitled:\n  want {want}\n  got  {published(got['diagnostics'])}")
    # a CRLF job below the subdirectory's .sparkc.yaml, edited with UTF-16 positions
    job = os.path.join(repo, "team", "jobs", "etl.yaml")
    text = JOB.replace("\n", "\r\n")
    srv.open(uri_of(job), text)
    srv.diagnostics(uri_of(job), 1)
    version = 1
    for needle, insert in (("  name: etl", "  # 日本語 😀 café"), ("metadata:\r\n", "  labels: {team: \"😀漢\", bad key: x}\r\n")):
        at = text.index(needle) + len(needle)
        pos = lsp_position(text, at)
        text = text[:at] + insert + text[at:]
        version += 1
        srv.notify("textDocument/didChange", {"textDocument": {"uri": uri_of(job), "version": version},
                                              "contentChanges": [{"range": {"start": pos, "end": pos}, "text": insert}]})
    got = srv.diagnostics(uri_of(job), version)
    want = expected(validate(sparkc, job, text), job, text)
    if published(got["diagnostics"]) != want or any(d[3] == "executor-cores" for d in want):
        bad.append(f"CRLF, UTF-16, .sparkc.yaml in a subdirectory:\n  want {want}\n  got  {published(got['diagnostics'])}")
    covered = {d["code"]: text[lsp_index(text, d["range"]["start"]):lsp_index(text, d["range"]["end"])]
               for d in got["diagnostics"]}
    if covered.get("label-value") != '"😀漢"' or covered.get("label-key") != "bad key":
        bad.append(f"ranges past emoji and CJK: {covered}")
    # didChangeConfiguration checks again
    srv.notify("workspace/didChangeConfiguration", {"settings": {}})
    again = srv.diagnostics(uri_of(job), version)
    if again != got:
        bad.append(f"didChangeConfiguration: {again}")
    # the .sparkc.yaml edited and saved (didSave, from a client that watches no files):
    # the job is checked again under it, then under the file as it was
    config = os.path.join(repo, "team", ".sparkc.yaml")
    for settings, has_cores in (("rules: {}\n", True), ("rules: {executor-cores: 'off'}\n", False)):
        with open(config, "w") as f:
            f.write(settings)
        srv.notify("textDocument/didSave", {"textDocument": {"uri": uri_of(config)}})
        saved = srv.diagnostics(uri_of(job), version)
        if any(d["code"] == "executor-cores" for d in saved["diagnostics"]) != has_cores:
            bad.append(f"didSave of .sparkc.yaml ({settings!r}): {published(saved['diagnostics'])}")
    # closed, then opened again
    srv.notify("textDocument/didClose", {"textDocument": {"uri": uri_of(job)}})
    if srv.diagnostics(uri_of(job))["diagnostics"]:
        bad.append("didClose left diagnostics")
    srv.open(uri_of(job), text, 7)
    if srv.diagnostics(uri_of(job), 7) != dict(got, version=7):
        bad.append("reopened: not the same diagnostics")
    # typing for longer than the debounce's cap (a second): the last version is published
    start = time.monotonic()
    line = text.split("\r\n").index("  image: iguazio/spark-app:3.5.5")
    version = 100
    while time.monotonic() - start < 1.6 or version % 2:
        version += 1    # an x typed, then deleted
        srv.notify("textDocument/didChange", {"textDocument": {"uri": uri_of(job), "version": version},
                                              "contentChanges": [{"range": {"start": {"line": line, "character": 2},
                                                                            "end": {"line": line,
                                                                                    "character": 2 + 1 - version % 2}},
                                                                  "text": "x" if version % 2 else ""}]})
        time.sleep(0.005)
    final = srv.diagnostics(uri_of(job), version)
    if published(final["diagnostics"]) != want:
        bad.append(f"after a burst of {version - 100} changes: {published(final['diagnostics'])}")
    # a change pending when shutdown comes is not published after it
    srv.notify("textDocument/didChange", {"textDocument": {"uri": uri_of(job), "version": 999},
                                          "contentChanges": [{"text": JOB}]})
    down = srv.request("shutdown")
    time.sleep(0.4)
    srv.notify("exit")
    rc, err = srv.close()
    late = [m for m in list(srv.frames.queue) + srv.aside
            if m and m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == 999]
    if late or "error" in down:
        bad.append(f"after shutdown: {late} {down}")
    stray = [m for m in srv.aside if "id" in m]
    result("lsp: as editors drive it: requests before initialized, $/cancelRequest, didSave, didChangeConfiguration, "
           "untitled:, CRLF with UTF-16 past emoji and CJK, .sparkc.yaml in a subdirectory, didClose then didOpen, "
           "a burst longer than the debounce's cap, nothing published after shutdown",
           not bad and not stray and clean_end(rc, err, (0,)), "\n".join(bad) + f"\n{stray}\n{err}")

    # what ranges cover, over the validation corpus
    srv = Server(sparkc)
    srv.initialize()
    bad = []
    for name, want_text in RANGES.items():
        path = os.path.join(ROOT, "tests", "validation", "invalid", name)
        text = open(path, encoding="utf-8", newline="").read()
        srv.open(uri_of(path), text)
        diags = srv.diagnostics(uri_of(path))["diagnostics"]
        got = [text[lsp_index(text, d["range"]["start"]):lsp_index(text, d["range"]["end"])] for d in diags]
        if got != [want_text]:
            bad.append(f"{name}: covers {got}, not [{want_text!r}]")
    # fixes that add a line write the document's line break
    text = JOB.replace("\n", "\r\n")
    srv.open("untitled:crlf", text)
    srv.diagnostics("untitled:crlf")
    fixes = {a["title"]: apply_edits(text, a["edit"]["changes"]["untitled:crlf"])
             for a in actions(srv, "untitled:crlf", text, "3, memory")}
    if sorted(fixes) != ["Ignore executor-cores here", "Set executor_cores to 3"] or \
            any("\n" in f.replace("\r\n", "") for f in fixes.values()):
        bad.append(f"fixes in a CRLF document: {fixes}")
    rc, err = srv.finish()
    result(f"lsp: each diagnostic's range covers the key or value validate points at ({len(RANGES)} kinds); "
           f"fixes keep a CRLF document's line breaks", not bad and clean_end(rc, err, (0,)), "\n".join(bad) + err)


# ---- the framing, fuzzed -------------------------------------------------------------------

def frame(body):
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


INIT = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}).encode()
PING = json.dumps({"jsonrpc": "2.0", "id": 7, "method": "shutdown"}).encode()

FRAMINGS = {
    "truncated JSON": frame(INIT[:-9]),
    "JSON that is no object": frame(b"[1, 2, 3]") + frame(b"42") + frame(b'"x"') + frame(b"null"),
    "a message with no method": frame(b'{"jsonrpc": "2.0", "id": 3}'),
    "an id that is an object": frame(b'{"jsonrpc": "2.0", "id": {}, "method": "shutdown"}'),
    "params that are a string": frame(b'{"jsonrpc": "2.0", "id": 4, "method": "shutdown", "params": "x"}'),
    "no jsonrpc version": frame(b'{"id": 5, "method": "shutdown"}'),
    "invalid UTF-8 in JSON": frame(b'{"jsonrpc": "2.0", "id": 6, "method": "\xff\xfe"}'),
    "nesting 100,000 deep": frame(b"[" * 100000 + b"]" * 100000),
    "Content-Length shorter than the body": b"Content-Length: 10\r\n\r\n" + INIT,
    "no Content-Length": b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + INIT,
    "a header without a colon": b"Content-Length 52\r\n\r\n" + INIT,
    "a negative Content-Length": b"Content-Length: -5\r\n\r\n" + INIT,
    "an overflowing Content-Length": b"Content-Length: 99999999999999999999999\r\n\r\n" + INIT,
    "two Content-Lengths that disagree": b"Content-Length: 3\r\nContent-Length: 4\r\n\r\n" + INIT,
    "a zero Content-Length": b"Content-Length: 0\r\n\r\n",
    "a header line of 1 MB": b"X-" + b"a" * (1 << 20) + b": 1\r\n\r\n" + INIT,
    "binary garbage": bytes(random.Random(1).randrange(256) for _ in range(20000)),
    "newlines only": b"\r\n" * 1000 + b"\n" * 1000,
    "a message above the size limit": b"Content-Length: 4000000\r\n\r\n" + b"{" * 4000000,
}


def check_framing(sparkc, result):
    """Each bad frame, then a good request: an error for the first (or silence), an answer
    for the second once the reader finds the next frame, and a clean end."""
    bad = []
    for name, junk in FRAMINGS.items():
        srv = Server(sparkc, ["--max-file-size", "1000000"])
        srv.write(frame(INIT) + junk + b"\r\n\r\n" + frame(PING) + frame(PING))
        answered = False
        try:
            while not answered:
                m = srv.frame(timeout=60)
                if m is None:
                    break
                answered = m.get("id") == 7 and "result" in m
                if "error" in m and m["error"]["code"] not in (-32700, -32600, -32601, -32602):
                    bad.append(f"{name}: {m}")
        except queue.Empty:
            bad.append(f"{name}: no answer")
        rc, err = srv.close()
        if not clean_end(rc, err) or not answered:
            bad.append(f"{name}: answered {answered}, exit {rc}\n{err[-3000:]}")
    result(f"lsp: framing: {len(FRAMINGS)} kinds of bad frame and JSON each draw an error or nothing, and the "
           f"next message is answered", not bad, "\n".join(bad))

    # Content-Length longer than what comes, then the client goes: the server waits, then ends
    srv = Server(sparkc)
    srv.write(frame(INIT) + b"Content-Length: 1000\r\n\r\n" + PING)
    srv.frame()
    rc, err = srv.close()
    result("lsp: a Content-Length longer than the body waits for the rest; the client's end ends the server",
           clean_end(rc, err, (1,)), f"{rc} {err}")

    # the client vanishes in the middle of a message, with documents open and changes pending
    srv = Server(sparkc)
    srv.request("initialize", {"capabilities": {}, "initializationOptions": {"debounce": 5000}})
    srv.open("file:///v.yaml", JOB)
    srv.notify("textDocument/didChange", {"textDocument": {"uri": "file:///v.yaml", "version": 2},
                                          "contentChanges": [{"text": JOB + "# x\n"}]})
    srv.write(b"Content-Length: 500\r\n\r\n{\"jsonrpc\": \"2.0\", \"id\": 9, \"meth")
    start = time.time()
    rc, err = srv.close()
    result("lsp: a client that vanishes mid-message ends the server at once (status 1), pending checks dropped",
           clean_end(rc, err, (1,)) and time.time() - start < 4, f"{rc} {err}")

    # random mutations of a whole session's bytes
    session = frame(INIT) + frame(json.dumps({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": "file:///m.yaml", "version": 1, "text": JOB}}}).encode()) + \
        frame(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": "file:///m.yaml"}, "position": {"line": 7, "character": 4}}}).encode()) + \
        frame(json.dumps({"jsonrpc": "2.0", "id": 3, "method": "textDocument/completion", "params": {
            "textDocument": {"uri": "file:///m.yaml"}, "position": {"line": 10, "character": 8}}}).encode()) + \
        frame(json.dumps({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": "file:///m.yaml", "version": 2}, "contentChanges": [
                {"range": {"start": {"line": 3, "character": 2}, "end": {"line": 9, "character": 0}},
                 "text": "x"}]}}).encode()) + frame(PING) + frame(b'{"jsonrpc": "2.0", "method": "exit"}')
    rng = random.Random(2027)
    bad = []
    runs = 60
    for n in range(runs):
        data = bytearray(session)
        for _ in range(rng.randrange(1, 8)):
            i = rng.randrange(len(data))
            op = rng.randrange(4)
            if op == 0:
                data[i] = rng.randrange(256)
            elif op == 1:
                del data[i:i + rng.randrange(1, 40)]
            elif op == 2:
                data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 20)))
            else:
                data[i:i] = data[rng.randrange(len(data)):][:rng.randrange(1, 200)]
        srv = Server(sparkc)
        srv.write(bytes(data))
        rc, err = srv.close()
        if not clean_end(rc, err):
            bad.append(f"mutation {n}: exit {rc}\n{err[-3000:]}")
    result(f"lsp: {runs} random mutations of a session end cleanly (no crash, hang or sanitizer report)",
           not bad, "\n".join(bad[:3]))


def hostile_texts():
    texts = {name: open(os.path.join(ROOT, "tests", "fuzz", "regressions", name), encoding="utf-8",
                        errors="replace").read()
             for name in sorted(os.listdir(os.path.join(ROOT, "tests", "fuzz", "regressions")))}
    texts["deep nesting"] = "kind: spark\nspec: " + "[" * 50000 + "]" * 50000 + "\n"
    texts["deep block nesting"] = "kind: spark\nspec:\n" + "".join(" " * i + "a:\n" for i in range(1, 300))
    texts["alias bomb"] = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9))
    texts["NUL and controls"] = "kind: spark\x00\nmetadata: {name: \x07}\n"
    texts["a huge value"] = "kind: spark\nmetadata: {name: " + "a" * 2_000_000 + "}\n"
    texts["tabs and keys of lists"] = "kind: spark\n\tspec:\n? [a]\n: b\n"
    return texts


def cli_reports(sparkc, text):
    """Whether `sparkc validate --allow-no-jobs` reports anything on the text as a file: the
    server reads a document as that run reads a file among others (YAML that is no job
    alone is skipped)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "job.yaml")
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(text)
        p = subprocess.run([sparkc, "validate", "--allow-no-jobs", "--no-config", "--format", "json", path],
                           capture_output=True, timeout=60)
        return bool(p.stdout.strip())


def check_hostile(sparkc, result):
    """Hostile documents opened, edited, hovered, completed and fixed at many places; each
    diagnosed where the command line reports it."""
    srv = Server(sparkc)
    srv.initialize()
    bad = []
    rng = random.Random(5)
    for name, text in hostile_texts().items():
        uri = "file:///hostile/" + re.sub(r"\W", "-", name) + ".yaml"
        srv.open(uri, text)
        got = srv.diagnostics(uri)
        if bool(got["diagnostics"]) != cli_reports(sparkc, text):
            bad.append(f"{name}: {len(got['diagnostics'])} diagnostics, where sparkc validate --allow-no-jobs "
                       f"{'reports' if cli_reports(sparkc, text) else 'skips the file'}")
        lines = text.count("\n") + 1
        for _ in range(6):
            pos = {"line": rng.randrange(lines), "character": rng.randrange(80)}
            for method in ("textDocument/hover", "textDocument/completion"):
                r = srv.request(method, {"textDocument": {"uri": uri}, "position": pos})
                if "error" in r:
                    bad.append(f"{name}: {method} {r}")
            r = srv.request("textDocument/codeAction", {"textDocument": {"uri": uri},
                                                        "range": {"start": pos, "end": pos}, "context": {}})
            if "error" in r:
                bad.append(f"{name}: codeAction {r}")
        srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 3}}, "text": "x"}]})
        srv.diagnostics(uri, 2)
        srv.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    rc, err = srv.finish()
    result("lsp: hostile documents (fuzz regressions, nesting, an alias bomb, NUL, a 2 MB value) are diagnosed, "
           "hovered, completed and fixed without error", not bad and clean_end(rc, err, (0,)),
           "\n".join(bad[:5]) + err[-3000:])


# ---- a long session ----------------------------------------------------------------------------

def long_job(lines=500):
    """A realistic job of 500 lines: 100 Spark settings, 80 volumes and their mounts,
    environment variables for the rest."""
    # live boolean SQL keys of the job's Spark (3.5.5), each set to a value it takes
    keys = [r[0] for r in registry_rows() if r[0].startswith("spark.sql.") and r[2] == "bool" and
            reads(r, "3.5.5") and not r[5] and not r[7] and not set(r[11]) & set("imru")][:100]
    assert len(keys) == 100
    out = ["kind: spark", "metadata:", "  name: nightly-aggregation", "  namespace: analytics",
           "  labels: {team: data, tier: batch}", "spec:", "  command: /app/aggregate.py",
           "  image: iguazio/spark-app:3.5.5", "  replicas: 4",
           "  driver_resources:", "    requests: {cpu: 1, memory: 2g}",
           "  executor_resources:", "    requests: {cpu: 1, memory: 4g}", "  spark_conf:"]
    out += [f"    {k}: \"true\"" for k in keys]
    out += ["  volumes:"]
    for n in range(80):
        out += [f"    - name: data-{n}", f"      persistentVolumeClaim: {{claimName: claim-{n}}}"]
    out += ["  volume_mounts:"] + [f"    - {{name: data-{n}, mountPath: /data/{n}}}" for n in range(80)]
    out += ["  env:"]
    while len(out) < lines:
        out += [f"    - name: SETTING_{len(out)}", f"      value: \"{len(out)}\""]
    return "\n".join(out[:lines]) + "\n"


def status_kb(pid, field):
    """A field of /proc/PID/status in KB: VmRSS (resident now), VmHWM (the peak)."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def edit_session(sparkc, edits, sample_at=(), text=None):
    """edits changes to a 500-line job (typing and deleting a digit), each checked and
    published before the next is sent. Returns {"rss": {edits: KB}, "peak": KB over the
    session, "check_ms": [the server's time per check, from its trace], "roundtrip_ms":
    [didChange sent to diagnostics received], "exit", "stderr"}."""
    text = text or long_job()
    uri = "file:///session/job.yaml"
    srv = Server(sparkc)
    srv.request("initialize", {"capabilities": {}, "trace": "verbose", "initializationOptions": {"debounce": 0}})
    srv.notify("initialized", {})
    srv.open(uri, text)
    srv.diagnostics(uri, 1)
    srv.notification("$/logTrace")
    line = text.splitlines().index("  replicas: 4")
    out = {"rss": {}, "check_ms": [], "roundtrip_ms": []}
    for v in range(2, edits + 2):
        if v % 2:
            change = {"range": {"start": {"line": line, "character": 13}, "end": {"line": line, "character": 14}},
                      "text": ""}
        else:
            change = {"range": {"start": {"line": line, "character": 13}, "end": {"line": line, "character": 13}},
                      "text": str(v % 10)}
        sent = time.perf_counter()
        srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v}, "contentChanges": [change]})
        srv.diagnostics(uri, v)
        out["roundtrip_ms"].append((time.perf_counter() - sent) * 1000)
        trace = srv.notification("$/logTrace")
        out["check_ms"].append(float(re.search(r"check ([\d.]+) ms", trace["message"]).group(1)))
        if v - 1 in sample_at:
            out["rss"][v - 1] = status_kb(srv.p.pid, "VmRSS")
    out["peak"] = status_kb(srv.p.pid, "VmHWM")
    out["exit"], out["stderr"] = srv.finish()
    return out


def check_session(sanitized, plain, result):
    s = edit_session(plain, 5000, (500, 5000))
    rss = s["rss"]
    result(f"lsp: memory stays flat over 5,000 edits of a 500-line job (RSS {rss.get(500)} KB after 500, "
           f"{rss.get(5000)} KB after 5,000)",
           rss.get(5000, 1 << 30) <= rss.get(500, 0) * 1.1 + 1024 and clean_end(s["exit"], s["stderr"], (0,)),
           f"{rss} {s['stderr']}")
    s = edit_session(sanitized, 300)
    result("lsp: 300 edits under the sanitizers end cleanly", clean_end(s["exit"], s["stderr"], (0,)),
           s["stderr"][-3000:])


def jobs(sanitized, plain, result):
    """The checks, each a (function, args...) for tests/run.py's pool."""
    return [(check_diagnostics, sanitized, result), (check_session, sanitized, plain, result),
            (check_framing, sanitized, result), (check_hostile, sanitized, result),
            (check_protocol, sanitized, result), (check_editor_behaviour, sanitized, result)] + \
        [(fn, sanitized, result) for fn in (check_changes, check_hover, check_completion, check_code_actions,
                                            check_options, check_config)]
