"""The Makefile's habits: a plain `make` and `make install` build and install sparkc
and nothing else -- packagers run them without network or root, and do not expect
apt-get -- while `make run`, `make test` and `make bench` first install what a fresh
Debian machine lacks (tools/install-deps.sh). Read from `make -n`, which prints the
commands a target would run without running them.

Called from tests/run.py: check_makefile(root, result).
"""
import os
import subprocess


def _dry_run(root, args):
    p = subprocess.run(["make", "-n", "--no-print-directory"] + args, cwd=root, capture_output=True,
                       timeout=120, env=dict(os.environ, MAKEFLAGS=""))
    return p.returncode, p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")


def _installs(text):
    return "install-deps.sh" in text or "apt-get" in text


def check_makefile(root, result):
    for args, what in (([], "make"), (["all"], "make all"), (["install", "PREFIX=/nonexistent"], "make install")):
        code, out = _dry_run(root, args)
        result(f"makefile: {what} installs no packages", code == 0 and not _installs(out), out[-3000:])
    for target in ("run", "test", "bench"):
        code, out = _dry_run(root, [target])
        result(f"makefile: make {target} installs what is missing first",
               code == 0 and out.lstrip().startswith("tools/install-deps.sh"), out[-3000:])
