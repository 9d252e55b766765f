"""What `sparkc compile -o DIR --kustomization` writes validates clean.

For every case of tests/cases/ whose jobs compile clean (a `compile`, `validate` or
`explain` cmd of files, exit 0, no diagnostics), the same compile writes a tree with -o DIR --kustomization, and
`sparkc validate DIR` must then report nothing at all, no error and no warning: the
manifests sparkc writes are ones it accepts, the kustomization and the companion
objects beside them are skipped as files that hold no Spark job.

Called from tests/run.py: check(sparkc, result).
"""
import os
import shlex
import shutil
import tempfile

from harness import HERE, run

# Options that choose how the run reports or where it writes, which the tree's compile
# sets itself.
DROPPED = {"--format", "--diagnostics", "-o", "--output"}


def compile_args(case_dir):
    """The arguments of the case's compile, without its output options; None when the
    case is not a clean compile of files."""
    files = set(os.listdir(case_dir))
    if "script.sh" in files or "exit" in files or "expected.err" in files or "stdin" in files:
        return None
    args = shlex.split(open(os.path.join(case_dir, "cmd")).read()) if "cmd" in files else ["compile", "input.yaml"]
    if not args or args[0] not in ("compile", "validate", "explain") or {"--check", "--diff", "-"} & set(args):
        return None     # a clean validate or explain of files compiles clean
    kept, skip = [], False
    for a in args[1:]:
        if skip:
            skip = False
        elif a in DROPPED:
            skip = True
        elif a.split("=", 1)[0] not in DROPPED:
            kept.append(a)
    return kept


def release_args(args):
    """The releases the compile was for, which the validation of its tree follows too."""
    out = []
    for i, a in enumerate(args):
        name = a.split("=", 1)[0]
        if name in ("--mlrun-version", "--operator-version"):
            out += [a] if "=" in a else args[i:i + 2]
    return out


def check(sparkc, result):
    cases = os.path.join(HERE, "cases")
    checked = 0
    for name in sorted(os.listdir(cases)):
        args = compile_args(os.path.join(cases, name))
        if args is None:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            work = os.path.join(tmp, name)
            shutil.copytree(os.path.join(cases, name), work)
            out = os.path.join(tmp, "out")
            code, _, err = run([sparkc, "compile", "--no-config", "-o", out, "--kustomization"] + args, work)
            if code:
                result(f"roundtrip: {name} compiles to a tree", False, err)
                continue
            code, stdout, stderr = run([sparkc, "validate", "--no-config"] + release_args(args) + [out], work)
            result(f"roundtrip: {name}: validate is clean on what compile -o --kustomization wrote",
                   code == 0 and not stdout and not stderr, f"exit {code}\n{stdout}{stderr}")
            checked += 1
    result("roundtrip: cases were checked", checked > 80, f"{checked} cases")
