#!/usr/bin/env python3
"""same_output.py [REV] [--sparkc PATH]: does sparkc write the same bytes as the sparkc
of REV (default: where this branch left main, `git merge-base HEAD main`)?

A change made for speed must not change one byte of what sparkc writes. This builds
REV's release binary in a temporary worktree and runs both binaries, taking turns in
the same directories, on:
  - every case of tests/cases/ (its cmd or script.sh, stdin when it has one);
  - the validation corpus, the samples and the fuzz corpus (compile, validate, explain,
    text and JSON);
  - 10,000 and 2,100 generated jobs (bench/gen_jobs.py) as one stream, YAML and JSON.
Each run compares exit status, standard output and standard error. A run whose output
differs between two runs of REV's binary itself (a case that times a signal) is
reported as not comparable, not as a difference. Exit 0 when nothing differs."""
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ENV = dict(os.environ, NO_COLOR="1", LC_ALL="C")


def git(*args):
    return subprocess.run(["git", "-C", ROOT] + list(args), check=True, capture_output=True,
                          text=True).stdout.strip()


def build_rev(rev, tmp):
    """REV's release binary, built in a worktree under tmp."""
    tree = os.path.join(tmp, "base")
    git("worktree", "add", "--detach", tree, rev)
    try:
        subprocess.run(["make", "-j2", "--no-print-directory", "build/sparkc"], cwd=tree, check=True,
                       stdout=subprocess.DEVNULL)
        binary = os.path.join(tmp, "sparkc-base")
        shutil.copy(os.path.join(tree, "build", "sparkc"), binary)
        return binary
    finally:
        git("worktree", "remove", "--force", tree)


def run(argv, cwd, stdin=None, sparkc=None):
    env = dict(ENV, SPARKC=sparkc or "", SPARKC_REPO=ROOT)
    try:
        p = subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True, env=env, timeout=600)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return "timeout", b"", b""


def runs():
    """(label, directory to copy or None, argv with SPARKC for the binary, stdin)."""
    cases = os.path.join(ROOT, "tests", "cases")
    for name in sorted(os.listdir(cases)):
        d = os.path.join(cases, name)
        stdin = open(os.path.join(d, "stdin"), "rb").read() if os.path.exists(os.path.join(d, "stdin")) else None
        if os.path.exists(os.path.join(d, "script.sh")):
            yield f"case {name}", d, ["sh", "-e", "script.sh"], stdin
        else:
            cmd = open(os.path.join(d, "cmd")).read() if os.path.exists(os.path.join(d, "cmd")) else "compile input.yaml"
            yield f"case {name}", d, ["SPARKC"] + shlex.split(cmd), stdin
    corpus = sorted(os.path.join(b, f) for sub in ("tests/validation", "samples")
                    for b, _, fs in os.walk(os.path.join(ROOT, sub)) for f in fs if f.endswith(".yaml"))
    fuzz = sorted(os.path.join(ROOT, "tests", "fuzz", "corpus", f)
                  for f in os.listdir(os.path.join(ROOT, "tests", "fuzz", "corpus")))
    for label, files in (("validation corpus and samples", corpus), ("fuzz corpus", fuzz)):
        for argv in (["compile"], ["compile", "--format", "json"], ["validate"], ["validate", "--format", "json"],
                     ["explain"], ["explain", "--format", "json"]):
            yield f"{label}: {' '.join(argv)}", None, ["SPARKC"] + argv + files, None
    for f in corpus:    # one at a time too: a file's own exit status and messages
        yield f"{os.path.relpath(f, ROOT)}: compile", None, ["SPARKC", "compile", f], None


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    mine = os.path.abspath(sys.argv[sys.argv.index("--sparkc") + 1]) if "--sparkc" in sys.argv \
        else os.path.join(ROOT, "build", "sparkc")
    if "--sparkc" in sys.argv:
        args.remove(sys.argv[sys.argv.index("--sparkc") + 1])
    rev = args[0] if args else git("merge-base", "HEAD", "main")
    with tempfile.TemporaryDirectory() as tmp:
        base = build_rev(rev, tmp)
        work = os.path.join(tmp, "work")
        gen = []
        for n in (10000, 2100):
            path = os.path.join(tmp, f"jobs-{n}.yaml")
            subprocess.run([sys.executable, os.path.join(HERE, "gen_jobs.py"), str(n), path], check=True)
            gen += [(f"{n} jobs: compile", None, ["SPARKC", "compile", path], None),
                    (f"{n} jobs: compile --format json", None, ["SPARKC", "compile", "--format", "json", path], None)]
        differ, flaky, total = [], [], 0

        def once(binary, src, argv, stdin):
            shutil.rmtree(work, ignore_errors=True)
            if src:
                shutil.copytree(src, work)
            else:
                os.makedirs(work)
            return run([binary if a == "SPARKC" else a for a in argv], work, stdin, binary)

        for label, src, argv, stdin in list(runs()) + gen:
            total += 1
            a = once(base, src, argv, stdin)
            b = once(mine, src, argv, stdin)
            if a == b:
                continue
            if once(base, src, argv, stdin) != a:
                flaky.append(label)
                continue
            what = [w for w, x, y in zip(("exit status", "stdout", "stderr"), a, b) if x != y]
            differ.append(f"{label}: {', '.join(what)} differ")
        shutil.rmtree(work, ignore_errors=True)
    for f in flaky:
        print(f"not comparable (REV's own runs differ): {f}")
    for d in differ:
        print(f"DIFFERS {d}")
    print(f"{total - len(differ) - len(flaky)} same, {len(differ)} differ, {len(flaky)} not comparable "
          f"(against {rev[:12]})")
    sys.exit(1 if differ else 0)


main()
