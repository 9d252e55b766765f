"""Resource bounds on hostile input: every input limit must act while the input is being
read, in bounded memory and time, not after a parser has taken it all in.

Each input is run by the release build under bench/runstat.c (a small C parent, so
that the peak RSS measured is sparkc's own, not the pages of the Python process that
forked it): it must exit 1 with the expected diagnostic, under 16 MB peak RSS and
100 ms of CPU time (user + system: unlike wall time, it does not grow when other jobs
load the machine; wall time is only checked for a hang). The sanitized build runs
each input once for crashes and leaks. Memory must also stay flat across documents:
10,000 jobs in one file peak within 10% of 100 jobs, plus 64 bytes a job of bookkeeping.

A committed DIR is input too: a 30 MB .sparkc-index is read in time linear in its size
and memory a small multiple of it, and --diff against a 50 MB file in DIR stays within
a small multiple of the files' sizes (bounds below, each several times what is measured).
So does a job that draws a diagnostic on each of its lines, up to the node limit:
each diagnostic found its line by a search from the document's start, and was masked
against every secret of the document (9,000 secret values took a minute).

Called from tests/run.py as bounds.run(result, run, sanitized, plain, runstat)."""
import os
import re
import tempfile

MAX_RSS_KB = 16 * 1024
MAX_CPU_S = 0.100
MAX_WALL_S = 10
MB = 1 << 20


def hostile():
    """(name, [byte chunks], the diagnostic expected, as a regular expression)."""
    n = 4 * MB
    depth = r": error: nesting deeper than 64 levels"
    yield "4 MB of [", [b"kind: spark\nmetadata: ", b"[" * n], "2:74" + depth
    yield "4 MB of {", [b"kind: spark\nmetadata: ", b"{" * n], "2:74" + depth
    # the 65th "- " or "? " opens level 65 (the root is level 1)
    yield "4 MB of '- ' nesting", [b"- " * (n // 2), b"x\n"], "1:129" + depth
    yield "4 MB of '? ' keys", [b"? " * (n // 2), b"x\n"], "1:129" + depth
    yield "4 MB of '- ' lines, each indented deeper", \
        [b"".join(b"  " * i + b"- \n" for i in range(1450))], "65:129" + depth
    # reported where the value starts
    too_long = r": error: a value \(or comment\) runs on for more than \d+ bytes; the limit is 1048576"
    head = b"kind: spark\nmetadata:\n  name: "
    yield "100 MB plain scalar", [head] + [b"x" * MB] * 100 + [b"\n"], "3:9" + too_long
    yield "100 MB double-quoted scalar", [head, b'"'] + [b"x" * MB] * 100 + [b'"\n'], "3:9" + too_long
    yield "100 MB literal block scalar", [head, b"|\n"] + [(b"    " + b"x" * 76 + b"\n") * 13107] * 100, \
        "3:9" + too_long
    yield "100 MB key", [b"kind: spark\n"] + [b"k" * MB] * 100 + [b": v\n"], "2:1" + too_long
    bomb = [b"a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        bomb.append(f"a{i}: &a{i} [".encode() + b", ".join([f"*a{i - 1}".encode()] * 10) + b"]")
    yield "billion laughs", [b"\n".join(bomb) + b"\n"], \
        r"4:5: error: document has more than 100000 nodes \(aliases expanded\): limit reached"
    # a document limit raised far above a 100 MB value: the value limit still stops it early
    yield "100 MB scalar, --max-document-size 1000000000", [head] + [b"x" * MB] * 100 + [b"\n"], "3:9" + too_long


def measure(run, runstat, argv, rounds=3):
    """[(wall s, peak RSS KB, exit, cpu s)] of rounds runs of argv."""
    code, out, err = run([runstat, str(rounds)] + argv, None)
    runs = []
    for line in out.splitlines():
        us, kb, status, cpu = map(int, line.split())
        runs.append((us / 1e6, kb, status, cpu / 1e6))
    return runs


def run(result, run_cmd, sanitized, plain, runstat):
    with tempfile.TemporaryDirectory() as tmp:
        for name, chunks, want in hostile():
            path = os.path.join(tmp, re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".yaml")
            with open(path, "wb") as f:
                for c in chunks:
                    f.write(c)
            extra = ["--max-document-size", "1000000000"] if "--max-document-size" in name else []
            argv = [plain, "validate"] + extra + [path]
            runs = measure(run_cmd, runstat, argv)
            code, _, err = run_cmd(argv, tmp)
            problems = []
            if code != 1 or not re.search(want, err):
                problems.append(f"exit {code}, expected 1 and /{want}/:\n{err[:600]}")
            if not runs or any(status != 1 for _, _, status, _ in runs):
                problems.append(f"runs: {runs}")
            else:
                rss = max(kb for _, kb, _, _ in runs)
                cpu = sorted(c for _, _, _, c in runs)[len(runs) // 2]
                wall = max(w for w, _, _, _ in runs)
                if rss >= MAX_RSS_KB:
                    problems.append(f"peak RSS {rss} KB (limit {MAX_RSS_KB} KB)")
                if cpu >= MAX_CPU_S:
                    problems.append(f"CPU time {cpu * 1000:.0f} ms (limit {MAX_CPU_S * 1000:.0f} ms)")
                if wall >= MAX_WALL_S:
                    problems.append(f"wall time {wall:.1f} s")
            scode, _, serr = run_cmd([sanitized, "validate"] + extra + [path], tmp)
            if scode != 1 or any(m in serr for m in ("Sanitizer", "runtime error:")):
                problems.append(f"sanitized build: exit {scode}\n{serr[-2000:]}")
            detail = "; ".join(problems)
            result(f"bounds: {name} stops early, under 16 MB and 100 ms CPU", not problems, detail)
            os.remove(path)
        flat_across_documents(result, run_cmd, plain, runstat, tmp)
        index_and_diff(result, run_cmd, sanitized, plain, runstat, tmp)
        many_diagnostics(result, run_cmd, plain, runstat, tmp)


def flat_across_documents(result, run_cmd, plain, runstat, tmp):
    """One document at a time: 10,000 jobs in a file take no more memory than 100."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    job = open(os.path.join(root, "samples", "sparkreadcsv.yaml"), "rb").read()
    peaks = {}
    for count in (100, 10000):
        path = os.path.join(tmp, f"jobs-{count}.yaml")
        with open(path, "wb") as f:
            for i in range(count):
                f.write(job.replace(b"name: sparkreadcsv", b"name: job-%d" % i, 1) + b"\n---\n")
        runs = measure(run_cmd, runstat, [plain, "compile", path])
        if not runs or any(status != 0 for _, _, status, _ in runs):
            result(f"bounds: memory flat across documents ({count} jobs compile)", False, f"runs: {runs}")
            return
        peaks[count] = max(kb for _, kb, _, _ in runs)
    # Documents are parsed, checked and emitted one at a time; what a run keeps per job
    # is a small record (the duplicate-name check's hash and position, the spooled
    # manifest's offset), so allow 64 bytes a job on top of the 10%.
    allowance = (10000 - 100) * 64 / 1024
    result("bounds: memory flat across documents (10,000 jobs within 10% of 100, plus 64 bytes a job)",
           peaks[10000] <= peaks[100] * 1.10 + allowance, f"{peaks}")


INDEX_MAX_CPU_S = 3.0
DIFF_MAX_CPU_S = 6.0


def index_and_diff(result, run_cmd, sanitized, plain, runstat, tmp):
    """-o DIR's files as a pull request may make them: a 30 MB index (345,000 lines of
    files that are not there, unsorted), and a 50 MB file at a job's path, diffed."""
    import hashlib
    import random
    jobs = os.path.join(tmp, "jobs")
    os.makedirs(jobs)
    with open(os.path.join(jobs, "etl.yaml"), "w") as f:
        f.write("kind: spark\nmetadata: {name: etl, namespace: prod}\nspec: {command: /a.py, image: spark:3.5.1}\n")
    out = os.path.join(tmp, "out")
    run_cmd([plain, "compile", "-o", out, jobs], tmp)
    lines, size, i = [], 0, 0
    while size < 30 * MB:
        line = f"{hashlib.sha256(str(i).encode()).hexdigest()}  prod/job-{i:07d}.yaml\n"
        lines.append(line)
        size += len(line)
        i += 1
    random.Random(7).shuffle(lines)
    with open(os.path.join(out, ".sparkc-index"), "a") as f:
        f.writelines(lines)
    for argv, want in (([plain, "compile", "--check", "-o", out, jobs], 0), ([plain, "compile", "-o", out, jobs], 0)):
        runs = measure(run_cmd, runstat, argv, rounds=1 if "--check" not in argv else 3)
        rss = max(kb for _, kb, _, _ in runs)
        cpu = max(c for _, _, _, c in runs)
        result(f"bounds: a 30 MB index, {argv[2]}: {cpu:.2f} s CPU (bound {INDEX_MAX_CPU_S} s), {rss // 1024} MB "
               f"(bound 3x the index)", all(st == want for _, _, st, _ in runs) and cpu < INDEX_MAX_CPU_S and
               rss < 3 * 30 * 1024, f"runs: {runs}")
    # the shortest lines an index can hold: one line ten million times (a merge's
    # duplicates, kept once), and 4.5 million distinct ones, shuffled (16 bytes an
    # entry, and the sort's copy)
    import itertools
    import string
    names = (("".join(t) + "/\n") for k in (4, 5) for t in itertools.product(string.ascii_lowercase + string.digits,
                                                                           repeat=k))
    distinct = list(itertools.islice(names, 4_500_000))
    random.Random(5).shuffle(distinct)
    for what, text, bound in (("one short line 10 million times", "a/\n" * (10 * MB), 2),
                              ("4.5 million distinct short lines", "".join(distinct), 8)):
        with open(os.path.join(out, ".sparkc-index"), "w") as f:
            f.write(text)
        size = len(text) // 1024
        runs = measure(run_cmd, runstat, [plain, "compile", "--check", "-o", out, jobs], rounds=1)
        rss = max(kb for _, kb, _, _ in runs)
        cpu = max(c for _, _, _, c in runs)
        result(f"bounds: an index of {what}: {cpu:.2f} s CPU, {rss // 1024} MB (bound {bound}x its "
               f"{size // 1024} MB)", all(st == 0 for _, _, st, _ in runs) and cpu < INDEX_MAX_CPU_S and
               rss < bound * size, f"runs: {runs}")
    del distinct
    run_cmd([plain, "compile", "-o", out, jobs], tmp)
    manifest = open(os.path.join(out, "prod", "etl.yaml")).read().splitlines(True)
    rnd = random.Random(11)
    for what, make in (("its own lines, shuffled and repeated", lambda: rnd.choice(manifest)),
                       ("distinct lines", lambda: f"key{rnd.randrange(10 ** 9)}: value\n")):
        with open(os.path.join(out, "prod", "etl.yaml"), "w") as f:
            size = 0
            while size < 50 * MB:
                line = make()
                f.write(line)
                size += len(line)
        argv = [plain, "compile", "--diff", "-o", out, jobs]
        runs = measure(run_cmd, runstat, argv, rounds=1)
        rss = max(kb for _, kb, _, _ in runs)
        cpu = max(c for _, _, _, c in runs)
        scode, _, serr = run_cmd([sanitized, "compile", "--diff", "-o", out, jobs], tmp)
        result(f"bounds: --diff against a 50 MB file of {what}: {cpu:.2f} s CPU (bound {DIFF_MAX_CPU_S} s), "
               f"{rss // 1024} MB (bound 4x the file)", all(st == 1 for _, _, st, _ in runs) and
               cpu < DIFF_MAX_CPU_S and rss < 4 * 50 * 1024 and scode == 1 and
               not any(m in serr for m in ("Sanitizer", "runtime error:")), f"runs: {runs}\n{serr[-1000:]}")


DIAGNOSTICS_MAX_CPU_S = 2.0


def many_diagnostics(result, run_cmd, plain, runstat, tmp):
    """A job that draws a diagnostic on each of 16,000 to 19,000 lines, up to the node
    limit, or on its one line (JSON): each diagnostic looks up its line, its column and
    the lines around it, and is masked
    against every secret of the document. Literal secrets (19,000; and 11,000 alike in
    their first and last letters, as a comment on each line holds them too, in 4 MB),
    and unknown keys."""
    pad = "x" * 150
    inputs = {
        "19,000 literal secrets": ["    - {{name: DB_PASSWORD_{i}, value: S3cr3t-{i:05d}-x}}\n".format(i=i)
                                   for i in range(19000)],
        "11,000 literal secrets alike": [f"    - {{name: S3_PASSWORD_{i}, value: s3{pad}{i:05d}}} # s3{pad}\n"
                                         for i in range(11000)],
        "16,000 unknown keys": [f"    - {{name: V{i}, valu: x}}\n" for i in range(16000)],
    }
    path = os.path.join(tmp, "diagnostics.yaml")
    for what, lines in inputs.items():
        with open(path, "w") as f:
            f.write("kind: spark\nmetadata: {name: etl, namespace: prod}\nspec:\n  command: /a.py\n"
                    "  image: spark:3.5.1\n  env:\n")
            f.writelines(lines)
        for fmt in ("text", "sarif"):
            runs = measure(run_cmd, runstat, [plain, "validate", "--format", fmt, path], rounds=1)
            cpu = max(c for _, _, _, c in runs)
            # past the masking budget too, no output shows a secret (the values' "3cr3t-"
            # and "xxxxxxxx" pieces)
            code, out, err = run_cmd([plain, "validate", "--format", fmt, path], tmp)
            shown = "secrets" in what and ("3cr3t-" in out + err or "xxxxxxxx" in out + err)
            result(f"bounds: {what} in one job, --format {fmt}: {cpu:.2f} s CPU (bound {DIAGNOSTICS_MAX_CPU_S} s)"
                   f"{', no secret shown' if 'secrets' in what else ''}",
                   all(st == 1 for _, _, st, _ in runs) and cpu < DIAGNOSTICS_MAX_CPU_S and code == 1 and not shown,
                   f"runs: {runs}; exit {code}; secret shown: {shown}")
    # a job written as one line of JSON: every diagnostic on that line
    import json
    env = [{"name": f"V{i}", "valu": "x"} for i in range(19000)]
    with open(path, "w") as f:
        json.dump({"kind": "spark", "metadata": {"name": "etl", "namespace": "prod"},
                   "spec": {"command": "/a.py", "image": "spark:3.5.1", "env": env}}, f)
    runs = measure(run_cmd, runstat, [plain, "validate", path], rounds=1)
    cpu = max(c for _, _, _, c in runs)
    result(f"bounds: 19,000 unknown keys on one line of JSON: {cpu:.2f} s CPU (bound {DIAGNOSTICS_MAX_CPU_S} s)",
           all(st == 1 for _, _, st, _ in runs) and cpu < DIAGNOSTICS_MAX_CPU_S, f"runs: {runs}")
    os.remove(path)
