"""What every kind of test shares: where the tree is, the environment sparkc runs in
(sanitizers on, no colour), running it, counting checks from several threads, and
running the test jobs side by side with a line per group as each group ends."""
import json
import os
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor


HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ENV = dict(os.environ, NO_COLOR="1", ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
           UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
ENV.pop("FORCE_COLOR", None)   # it would colour what the tests compare

passed = failed = 0
failures = []
lock = threading.Lock()
# The group of the job a thread is running, so that its checks count towards it.
current = threading.local()


def result(name, ok, detail=""):
    """Count a check; print it if it failed. Checks run on several threads."""
    global passed, failed
    with lock:
        counts = getattr(current, "counts", None)
        if ok:
            passed += 1
        else:
            failed += 1
            failures.append((name, detail))
            print(f"FAIL {name}\n{detail}".rstrip(), flush=True)
        if counts is not None:
            counts[0 if ok else 1] += 1


def carry(fn):
    """fn, run on another thread, counts its checks towards the calling job's group."""
    counts = getattr(current, "counts", None)

    def wrapped(*args):
        current.counts = counts
        return fn(*args)
    return wrapped


def job_name(fn, args):
    return f"{fn.__module__}.{fn.__name__}({', '.join(os.path.basename(a) for a in args if isinstance(a, str))})"


def run_groups(jobs, times_path):
    """Run jobs, each (function, args...), side by side, the longest first (as long as
    they took last time, kept in times_path; a job not timed before goes first, as it
    may be long), and print a line for each group (the test file a job's function is
    in) as its last job ends: how many of its checks passed and failed, and its time."""
    try:
        with open(times_path) as f:
            took_before = json.load(f)
    except (OSError, ValueError):
        took_before = {}
    jobs = sorted(jobs, key=lambda j: -took_before.get(job_name(j[0], j[1:]), float("inf")))
    groups = {}
    for fn, *_ in jobs:
        groups.setdefault(fn.__module__, {"left": 0, "counts": [0, 0], "start": None})["left"] += 1
    start = time.monotonic()
    took = {}

    def one(fn, *args):
        group = groups[fn.__module__]
        began = time.monotonic()
        with lock:
            group["start"] = group["start"] or began
        current.counts = group["counts"]
        try:
            fn(*args)
        except Exception as e:  # a check that breaks is a failed check, not a lost run
            result(job_name(fn, args), False, repr(e))
        current.counts = None
        now = time.monotonic()
        with lock:
            took[job_name(fn, args)] = round(now - began, 2)
            group["left"] -= 1
            if not group["left"]:
                ok, bad = group["counts"]
                print(f"{now - start:6.1f} s  {fn.__module__:<18} {ok} passed, {bad} failed"
                      f"  ({now - group['start']:.1f} s)", flush=True)

    with ThreadPoolExecutor(max_workers=2 * (os.cpu_count() or 1)) as pool:
        for job in jobs:
            pool.submit(one, *job)
    try:
        with open(times_path, "w") as f:
            json.dump(dict(sorted({**took_before, **took}.items(), key=lambda kv: -kv[1])), f, indent=0)
    except OSError:
        pass  # the next run orders its jobs as listed


def run(argv, cwd, stdin=None):
    p = subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True, env=ENV, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def diff(want, got):
    import difflib
    return "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "expected", "actual"))
