#!/usr/bin/env python3
"""make bench: sparkc against the budgets in docs/design.md, each comparison side by side in
one run (commands interleaved, medians of ROUNDS runs), reported as ratios.

usage: bench/run.py SPARKC [ROUNDS]"""
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.path.join(ROOT, "build", "bench")
SPARKC = os.path.abspath(sys.argv[1])
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
PY = "/usr/bin/python3"


RUNSTAT = os.path.join(BUILD, "runstat")


def measure(argv, times=1):
    """[(wall seconds, peak RSS KB, CPU seconds)] of runs of argv, output discarded
    (bench/runstat.c)."""
    out = subprocess.run([RUNSTAT, str(times)] + argv, capture_output=True, text=True, check=True).stdout
    runs = []
    for line in out.splitlines():
        us, rss, code, cpu = map(int, line.split()[:4])
        if code not in (0, 1):
            sys.exit(f"bench: {argv[0]} failed with {code}")
        runs.append((us / 1e6, rss, cpu / 1e6))
    return runs


def side_by_side(commands, rounds=ROUNDS, batch=1):
    """{name: (median wall, median rss, median CPU)}: the commands take turns, batch runs
    at a time."""
    runs = {name: [] for name in commands}
    for _ in range(rounds):
        for name, argv in commands.items():
            runs[name].extend(measure(argv, batch))
    return {name: tuple(statistics.median(run[i] for run in r) for i in range(3)) for name, r in runs.items()}


def prepare():
    os.makedirs(BUILD, exist_ok=True)
    gen = os.path.join(HERE, "gen_jobs.py")
    for n in (1000, 10000):
        path = os.path.join(BUILD, f"jobs-{n}.yaml")
        if not os.path.exists(path):
            subprocess.run([PY, gen, str(n), path] + (["--files", os.path.join(BUILD, "files-1000")] if n == 1000 else []),
                           check=True)
    one = os.path.join(BUILD, "one.yaml")
    shutil.copy(os.path.join(ROOT, "samples", "sparkreadcsv.yaml"), one)
    subprocess.run(["cc", "-O2", "-o", RUNSTAT, os.path.join(HERE, "runstat.c")], check=True)
    events = os.path.join(BUILD, "yaml_events")
    subprocess.run(["cc", "-O2", "-o", events, os.path.join(HERE, "yaml_events.c"), "-lyaml"], check=True)
    # ajv-cli at the version the tests pin, from the same cache (tools/install-npm-test-deps.sh)
    cache = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "sparkc-test", "npm")
    ajv = os.path.join(cache, "node_modules", ".bin", "ajv")
    if not os.path.exists(ajv) and shutil.which("npm"):
        subprocess.run([os.path.join(ROOT, "tools", "install-npm-test-deps.sh")], check=False)
    return one, events, ajv if os.path.exists(ajv) else None


def ajv_argv(ajv, data):
    """ajv-cli validating data (a file or a glob) with sparkc's own schema."""
    return [ajv, "validate", "--spec=draft2020", "--strict=false",
            "-s", os.path.join(ROOT, "schemas", "sparkjob.schema.json"), "-d", data]


def validate_rows(row, ajv, label, files, ajv_data, budget, rounds, batch):
    """sparkc validate beside Python jsonschema + PyYAML and ajv-cli on the same files."""
    peers = {"sparkc": [SPARKC, "validate"] + files, "python": [PY, os.path.join(HERE, "py_validate.py")] + files}
    if ajv:
        peers["ajv"] = ajv_argv(ajv, ajv_data)
    r = side_by_side(peers, rounds=rounds, batch=batch)
    s = r["sparkc"][0]
    shown = (lambda t: f"{t * 1000:.1f} ms") if len(files) == 1 else (lambda t: f"{t:.3f} s")
    py = r["python"][0]
    row(f"validate {label} vs Python jsonschema", shown(s), shown(py), f"{py / s:.0f}x faster", f">= {budget}x",
        py >= budget * s)
    if ajv:
        a = r["ajv"][0]
        row(f"validate {label} vs ajv-cli", shown(s), shown(a), f"{a / s:.0f}x faster", "faster", a > s)


def output_rows(row, rounds):
    """100,000 jobs written with -o to a fresh DIR, and --check of that DIR, beside
    compiling the same input to stdout (budget: within 2x)."""
    path = os.path.join(BUILD, "jobs-100000.yaml")
    if not os.path.exists(path):
        subprocess.run([PY, os.path.join(HERE, "gen_jobs.py"), "100000", path], check=True)
    out_dir = os.path.join(BUILD, "out-100000")
    runs = {"stdout": [], "-o": [], "--check": []}
    for _ in range(rounds):
        runs["stdout"] += measure([SPARKC, "compile", path])
        shutil.rmtree(out_dir, ignore_errors=True)
        runs["-o"] += measure([SPARKC, "compile", "-o", out_dir, path])
        runs["--check"] += measure([SPARKC, "compile", "--check", "-o", out_dir, path])
    shutil.rmtree(out_dir, ignore_errors=True)
    med = {k: statistics.median(w for w, *_ in v) for k, v in runs.items()}
    for k, what in (("-o", "-o to a fresh DIR"), ("--check", "--check of that DIR")):
        row(f"compile 100,000 jobs {what}", f"{med[k]:.2f} s", f"{med['stdout']:.2f} s (to stdout)",
            f"{med[k] / med['stdout']:.2f}x", "<= 2x", med[k] <= 2 * med["stdout"])


def lsp_rows(row):
    """sparkc lsp: a 500-line job edited 5,000 times, each change checked and published
    before the next is sent (tests/lsp.py's session): the server's time per check (its
    trace), the client's round trip per change, and memory over the session."""
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import lsp
    s = lsp.edit_session(SPARKC, 5000, (500, 5000))
    times = sorted(s["check_ms"])
    median, p95 = statistics.median(times), times[int(0.95 * len(times))]
    row("lsp: re-check of a 500-line job per didChange (median / p95)", f"{median:.2f} / {p95:.2f} ms",
        f"{statistics.median(s['roundtrip_ms']):.2f} ms (round trip)", "", "< 10 ms", p95 < 10)
    rss = s["rss"]
    row("lsp: memory over 5,000 edits (RSS after 5,000 vs 500; peak)", f"{rss[5000]} KB", f"{rss[500]} KB",
        f"{rss[5000] / rss[500]:.2f}x", "<= 1.10x", rss[5000] <= 1.10 * rss[500])
    row("lsp: peak RSS over 5,000 edits", f"{s['peak'] / 1024:.1f} MB", "", "", "< 8 MB", s["peak"] < 8 * 1024)


def with_warnings(src, dst):
    """src's jobs with one warning each, one that costs nothing to find (a driver memory
    limit: memory-limit-ignored), so that the figure is what reporting costs."""
    if not os.path.exists(dst):
        docs = open(src).read().split("\n---\n")
        with open(dst, "w") as f:
            f.write("\n---\n".join(d.replace('limits: {cpu: "1"}', 'limits: {cpu: "1", memory: 4g}', 1) for d in docs))


def warning_rows(row, rounds):
    """What printing diagnostics costs: 10,000 jobs with one warning each beside the same
    jobs without (budget: 1.3x), and 1,000 files likewise."""
    clean = os.path.join(BUILD, "jobs-10000.yaml")
    warned = os.path.join(BUILD, "jobs-10000-warned.yaml")
    with_warnings(clean, warned)
    files_dir, warned_dir = os.path.join(BUILD, "files-1000"), os.path.join(BUILD, "files-1000-warned")
    os.makedirs(warned_dir, exist_ok=True)
    names = sorted(os.listdir(files_dir))
    for name in names:
        with_warnings(os.path.join(files_dir, name), os.path.join(warned_dir, name))
    r = side_by_side({"warned": [SPARKC, "validate", warned], "clean": [SPARKC, "validate", clean]}, rounds=rounds)
    w, c = r["warned"][0], r["clean"][0]
    row("validate 10,000 jobs, a warning each", f"{w:.3f} s", f"{c:.3f} s (none)", f"{w / c:.2f}x", "<= 1.3x",
        w <= 1.3 * c)
    r = side_by_side({"warned": [SPARKC, "validate"] + [os.path.join(warned_dir, n) for n in names],
                      "clean": [SPARKC, "validate"] + [os.path.join(files_dir, n) for n in names]}, rounds=rounds)
    w, c = r["warned"][0], r["clean"][0]
    row("validate 1,000 files, a warning each", f"{w:.3f} s", f"{c:.3f} s (none)", f"{w / c:.2f}x", "<= 1.3x",
        w <= 1.3 * c)


def main():
    one, events, ajv = prepare()
    files = sorted(os.path.join(BUILD, "files-1000", f) for f in os.listdir(os.path.join(BUILD, "files-1000")))
    rows = []

    def row(what, ours, peer, ratio, budget, ok):
        rows.append((what, ours, peer, ratio, budget, "ok" if ok else "MISSED"))

    for n in (1000, 10000):
        path = os.path.join(BUILD, f"jobs-{n}.yaml")
        r = side_by_side({"sparkc": [SPARKC, "compile", path], "fy-tool": ["fy-tool", "--dump", path],
                          "libyaml": [events, path]}, rounds=max(5, ROUNDS))
        s, f, y = r["sparkc"][0], r["fy-tool"][0], r["libyaml"][0]
        row(f"compile {n} jobs vs fy-tool --dump", f"{s:.3f} s", f"{f:.3f} s", f"{s / f:.2f}x", "<= 1.0x", s <= f)
        row(f"compile {n} jobs vs libyaml event parse", f"{s:.3f} s", f"{y:.3f} s", f"{s / y:.2f}x",
            "<= 2.0x (floor)", s <= 2 * y)
        # CPU time too: on a shared machine it is the steadier of the two
        sc, yc = r["sparkc"][2], r["libyaml"][2]
        row("  the same, CPU time (user + system)", f"{sc:.3f} s", f"{yc:.3f} s", f"{sc / yc:.2f}x",
            "<= 2.0x (floor)", sc <= 2 * yc)
        if n == 1000:
            rss_1k = r["sparkc"][1]
        else:
            rss_10k = r["sparkc"][1]
    row("peak RSS, 10,000 vs 1,000 jobs", f"{rss_10k} KB", f"{rss_1k} KB", f"{rss_10k / rss_1k:.2f}x",
        "<= 1.10x", rss_10k <= rss_1k * 1.10)

    validate_rows(row, ajv, "1,000 files", files, os.path.join(BUILD, "files-1000", "*.yaml"), 10,
                  rounds=max(3, ROUNDS // 2), batch=1)
    validate_rows(row, ajv, "1 file", [one], one, 50, rounds=max(5, ROUNDS), batch=5)

    warning_rows(row, rounds=ROUNDS)
    output_rows(row, rounds=min(ROUNDS, 3))
    lsp_rows(row)

    # one small job, beside a static program that does nothing: what any process costs here
    nop = os.path.join(BUILD, "nop")
    with open(nop + ".c", "w") as f:
        f.write("int main(void) { return 0; }\n")
    subprocess.run(["cc", "-O2", "-static", "-o", nop, nop + ".c"], check=True)
    conf = os.path.join(HERE, "one-conf.yaml")
    r = side_by_side({"sparkc": [SPARKC, "compile", one], "nop": [nop], "conf": [SPARKC, "validate", conf],
                      "conf-none": [SPARKC, "validate", one]}, rounds=max(11, ROUNDS), batch=10)
    s, z = r["sparkc"][0], r["nop"][0]
    c, c0 = r["conf"][0], r["conf-none"][0]
    row("one job: 20 spark_conf keys checked", f"{c * 1000:.2f} ms", f"{c0 * 1000:.2f} ms (no spark_conf)",
        f"+{(c - c0) * 1000:.2f} ms", "< 0.3 ms", c - c0 < 0.0003)
    row("one job: wall (process start included)", f"{s * 1000:.2f} ms", f"{z * 1000:.2f} ms (empty static program)",
        f"+{(s - z) * 1000:.2f} ms", "< 2 ms", s < 0.002)
    row("one job: peak RSS", f"{r['sparkc'][1] / 1024:.1f} MB", f"{r['nop'][1] / 1024:.1f} MB (empty static program)",
        "", "< 8 MB", r["sparkc"][1] < 8 * 1024)

    width = [max(len(str(r[i])) for r in rows + [("what", "sparkc", "peer", "ratio", "budget", "")]) for i in range(6)]
    header = ("what", "sparkc", "peer", "ratio", "budget", "")
    lines = [" | ".join(str(c).ljust(width[i]) for i, c in enumerate(r)).rstrip() for r in [header] + rows]
    out = "\n".join(lines)
    print(out)
    uname = os.uname()
    with open(os.path.join(BUILD, "results.txt"), "w") as f:
        f.write(f"{time.strftime('%Y-%m-%d')} {uname.sysname} {uname.release} {os.cpu_count()} cores, "
                f"median of {ROUNDS} interleaved runs\n{out}\n")


main()
