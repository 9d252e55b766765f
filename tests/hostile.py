"""Hostile input: truncated, binary, nested, huge and malformed files, UTF-8 split
across reads, and the fuzzer's regression inputs and corpus: never a crash, a hang
or a sanitizer report."""
import glob
import json
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

import yaml

from harness import HERE, ROOT, carry, result, run


def hostile_inputs():
    """Inputs no job file should ever be: each must end in exit 0 or 1 with a diagnostic
    for 1, quickly, with nothing from the sanitizers."""
    sample = open(os.path.join(ROOT, "samples", "sparkreadcsv.yaml"), "rb").read()
    big = open(os.path.join(ROOT, "samples", "shared-volumes.yaml"), "rb").read()
    rnd = __import__("random").Random(20261126)
    yield "empty", b""
    for cut in range(0, len(big), 64):
        yield f"truncated-at-{cut}", big[:cut]
    for i in range(20):
        yield f"random-bytes-{i}", bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 2000)))
    for i in range(10):
        b = bytearray(sample)
        for _ in range(5):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        yield f"flipped-bytes-{i}", bytes(b)
    yield "invalid-utf8-lead", sample.replace(b"sparkreadcsv", b"spark\xffcsv")
    yield "invalid-utf8-overlong", sample.replace(b"admin", b"adm\xc0\xafn")
    yield "invalid-utf8-surrogate", sample.replace(b"admin", b"\xed\xa0\x80")
    yield "invalid-utf8-truncated-at-end", sample + b"# \xe2\x82"
    yield "directive-then-lone-lead-byte", b"kind: spark\n%e\xd3"
    yield "utf16-bom", b"\xff\xfe" + sample
    yield "nul-bytes", sample.replace(b"spark_read", b"spark\x00read")
    yield "utf8-bom", b"\xef\xbb\xbf" + sample
    yield "crlf", sample.replace(b"\n", b"\r\n")
    yield "lone-cr", sample.replace(b"\n", b"\r")
    yield "tabs", sample.replace(b"  ", b"\t")
    yield "scalar-10mb", sample.replace(b"image: ", b"image: " + b"x" * (10 << 20), 1)
    yield "key-10mb", sample + b"  " + b"k" * (10 << 20) + b": v\n"
    yield "nesting-100000-flow", b"kind: spark\nmetadata: " + b"[" * 100000 + b"]" * 100000 + b"\n"
    yield "nesting-100000-map", b"a: {" * 100000 + b"}" * 100000
    yield "nesting-block-1000", b"".join(b"  " * i + b"k:\n" for i in range(1000))
    bomb = [b"a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        bomb.append(f"a{i}: &a{i} [".encode() + b", ".join([f"*a{i-1}".encode()] * 10) + b"]")
    yield "alias-bomb", b"kind: spark\n" + b"\n".join(bomb) + b"\n"
    yield "alias-self", b"a: &x [*x]\n"
    yield "duplicate-keys-1000", b"kind: spark\nmetadata:\n" + b"".join(b"  name: a\n" for _ in range(1000))
    yield "keys-100000", b"kind: spark\nspec:\n  spark_conf:\n" + b"".join(f"    k{i}: v\n".encode() for i in range(100000))
    yield "documents-10000-empty", b"---\n" * 10000
    yield "many-documents", b"---\n".join([sample] * 200)
    yield "deep-anchors", b"".join(f"k{i}: &a{i} v\n".encode() for i in range(50000))
    yield "long-line-of-commas", b"a: [" + b"1," * 500000 + b"1]\n"
    yield "complex-keys", b"? [a, b]\n: c\n? {x: y}\n: z\n"
    yield "tags", b"!!map {kind: !!str spark, metadata: !custom {name: a}}\n"
    yield "directives", b"%YAML 1.1\n%TAG ! tag:example.com,2000:\n---\nkind: spark\n"
    yield "control-chars", sample.replace(b"admin", b"ad\x07\x1bmin")
    # every field with every wrong type
    fields = ["kind", "metadata.name", "metadata.labels", "metadata.annotations", "spec.command", "spec.image",
              "spec.replicas", "spec.args", "spec.env", "spec.volumes", "spec.volume_mounts", "spec.deps",
              "spec.spark_conf", "spec.driver_resources", "spec.driver_resources.requests",
              "spec.driver_resources.requests.cpu", "spec.executor_resources.limits", "spec.igz_spark",
              "spec.schedule", "spec.dynamic_allocation", "spec.monitoring", "spec.restart_policy",
              "spec.node_selector", "spec.driver_affinity", "spec.driver_tolerations", "spec.job_type",
              "spec.driver_cores", "spec.python_version", "spec.workdir", "spec.build"]
    values = ["null", "true", "-7", "3.5", "''", "[]", "{}", "[1, {a: b}]", "{a: [1]}", "'x'", "0777", ".nan"]
    for f in fields:
        for v in values:
            doc = {"kind": "spark", "metadata": {"name": "a"}, "spec": {"command": "/a.py", "image": "s",
                   "driver_resources": {"requests": {"cpu": "1"}}, "executor_resources": {"limits": {}}}}
            *path, last = f.split(".")
            node = doc
            for p in path:
                node = node.setdefault(p, {}) if isinstance(node.get(p), dict) or p not in node else node[p]
                if not isinstance(node, dict):
                    break
            else:
                node[last] = "@@"
                text = yaml.safe_dump(doc, sort_keys=False).replace("'@@'", v).replace("@@", v)
                yield f"wrong-type-{f}-{v}", text.encode()


def check_utf8_across_reads(sanitized):
    """sparkc reads its input in blocks and holds back a UTF-8 sequence cut by the end
    of one: values made of 2-, 3- and 4-byte characters, cut at every offset, come out
    whole."""
    with tempfile.TemporaryDirectory() as tmp:
        for ch in ("é", "€", "𝄞"):
            value = ch * (700000 // len(ch.encode()))
            path = os.path.join(tmp, "job.yaml")
            with open(path, "w") as f:
                f.write(f"kind: spark\nmetadata: {{name: a}}\nspec:\n  command: /a.py\n  image: s\n"
                        f"  args: ['{value}']\n")
            code, out, err = run([sanitized, "compile", "--format", "json", path], tmp)
            ok = code == 0 and json.loads(out)["spec"]["arguments"] == [value]
            result(f"hostile: {len(ch.encode())}-byte characters across read blocks", ok, err[-2000:])




def run_hostile(sanitized, plain):
    """Small inputs go through one sparkc process per command (fast); should that
    fail, each input is run alone to name the one that broke it. The sanitized build
    checks for crashes and leaks; the time limit is the release build's, since ASan's
    realloc makes a parser's buffer growth on a 10 MB value slow by itself."""
    import time

    def check_one(name, path, command):
        try:
            code, out, err = run([sanitized, command, path], os.path.dirname(path))
            start = time.monotonic()
            run([plain, command, path], os.path.dirname(path))
            took = time.monotonic() - start
        except subprocess.TimeoutExpired:
            return ["timed out"], ""
        problems = []
        if code not in (0, 1):
            problems.append(f"exit {code}")
        if code == 1 and "error:" not in err:
            problems.append("exit 1 without a diagnostic")
        if code == 1 and command == "compile" and out:
            problems.append("a failed compile printed manifests")
        if any(m in err for m in ("Sanitizer", "runtime error:")):
            problems.append("sanitizer report")
        if took > 10:
            problems.append(f"the release build took {took:.1f} s")
        return problems, err

    with tempfile.TemporaryDirectory() as tmp:
        small, large = [], []
        for i, (name, data) in enumerate(hostile_inputs()):
            path = os.path.join(tmp, f"{i:04d}-{name[:60].replace('/', '_')}.yaml")
            with open(path, "wb") as f:
                f.write(data)
            (large if len(data) > (1 << 20) else small).append((name, path))
        # ASan's realloc copies a growing buffer each time, so a multi-megabyte value
        # is slow under it: those run alone, and validate only
        def check_large(name, path):
            problems, err = check_one(name, path, "validate")
            result(f"hostile {name} (validate)", not problems, "; ".join(problems) + "\n" + err[-2000:])

        with ThreadPoolExecutor(max_workers=len(large) or 1) as pool:
            for done in [pool.submit(carry(check_large), name, path) for name, path in large]:
                done.result()
        paths = [p for _, p in small]
        for command in ("compile", "validate"):
            start = time.monotonic()
            code, out, err = run([sanitized, command, "--format", "json"] + paths if command == "validate"
                                 else [sanitized, command] + paths, tmp)
            per_file = {}
            if command == "validate":
                for line in out.splitlines():
                    g = json.loads(line)
                    per_file.setdefault(g["file"], []).append(g["severity"])
            ok = (code == 1 and not any(m in err for m in ("Sanitizer", "runtime error:"))
                  and (command != "compile" or not out) and time.monotonic() - start < 120)
            if ok:
                result(f"hostile: {len(paths)} inputs ({command}), none crashes, a failed run prints nothing", True)
                if command == "validate":
                    silent = [p for p in paths if os.path.getsize(p) and p not in per_file
                              and check_one("", p, "validate")[0]]
                    result("hostile: every rejected input has a diagnostic", not silent, "\n".join(silent))
                continue
            for name, path in small:
                problems, e = check_one(name, path, command)
                result(f"hostile {name} ({command})", not problems, "; ".join(problems) + "\n" + e[-2000:])


def check_fuzz_inputs(sanitized):
    """Inputs the fuzzer once broke sparkc with, and its whole corpus: each must end in
    a diagnostic or a manifest, without a sanitizer report."""
    reg_dir = os.path.join(HERE, "fuzz", "regressions")
    for fname in sorted(os.listdir(reg_dir)):
        for command in ("compile", "explain"):
            try:
                code, out, err = run([sanitized, command, os.path.join(reg_dir, fname)], ROOT)
            except subprocess.TimeoutExpired:
                code, out, err = "timed out", "", ""
            bad = code not in (0, 1) or any(m in err for m in ("Sanitizer", "runtime error:"))
            result(f"fuzz regression {fname} ({command})", not bad, f"exit {code}\n{err[-3000:]}")
    # the corpus replays in one process per command
    corpus = sorted(glob.glob(os.path.join(HERE, "fuzz", "corpus", "*")))
    for command in ("compile", "validate"):
        code, out, err = run([sanitized, command] + corpus, ROOT)
        bad = code not in (0, 1) or any(m in err for m in ("Sanitizer", "runtime error:"))
        result(f"fuzz corpus: {len(corpus)} inputs ({command})", corpus and not bad, f"exit {code}\n{err[-3000:]}")
