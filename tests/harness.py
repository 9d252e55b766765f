"""What every kind of test shares: where the tree is, the environment sparkc runs in
(sanitizers on, no colour), running it, and counting checks from several threads."""
import os
import subprocess
import threading


HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ENV = dict(os.environ, NO_COLOR="1", ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
           UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
ENV.pop("FORCE_COLOR", None)   # it would colour what the tests compare

passed = failed = 0
failures = []
lock = threading.Lock()


def result(name, ok, detail=""):
    """Count a check; print it if it failed. Checks run on several threads."""
    global passed, failed
    with lock:
        if ok:
            passed += 1
        else:
            failed += 1
            failures.append((name, detail))
            print(f"FAIL {name}\n{detail}".rstrip(), flush=True)


def run(argv, cwd, stdin=None):
    p = subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True, env=ENV, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def diff(want, got):
    import difflib
    return "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "expected", "actual"))
