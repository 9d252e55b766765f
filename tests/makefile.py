"""The Makefile's habits: a plain `make` and `make install` build and install sparkc
and nothing else -- packagers run them without network or root, and do not expect
apt-get -- while `make run`, `make test` and `make bench` first install what a fresh
Debian machine lacks (tools/install-deps.sh). Read from `make -n`, which prints the
commands a target would run without running them. Also:

- every link step honours LDFLAGS (packagers and cross builds pass theirs);
- `make run` prints the manifests alone on standard output, even when it builds
  (`make run | kubectl apply -f -`, `make run > out.yaml`);
- `make deps` (tools/install-deps.sh build) installs with apt, apk, dnf or brew, and
  on a machine with none of them names what to install: run against stand-ins for
  the package managers on a PATH that holds nothing else.

Called from tests/run.py: check_makefile(root, result).
"""
import os
import shutil
import subprocess
import tempfile

import yaml


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
    for target in ("run", "test", "bench", "dist", "test-dist"):
        code, out = _dry_run(root, [target])
        result(f"makefile: make {target} installs what is missing first",
               code == 0 and out.lstrip().startswith("tools/install-deps.sh"), out[-3000:])
    _check_ldflags(root, result)
    _check_run_stdout(root, result)
    _check_package_managers(root, result)


LINKED = ("sparkc", "sparkc-san", "sparkc-dynamic", "runstat", "embed_tree", "fuzz_compile")


def _check_ldflags(root, result):
    """Every command that links (a compiler run with -o and without -c) passes LDFLAGS."""
    marker = "-Wl,--ldflags-marker"
    with tempfile.TemporaryDirectory() as build:
        code, out = _dry_run(root, ["-B", f"BUILD={build}", f"LDFLAGS={marker}"]
                             + [os.path.join(build, name) for name in LINKED])
    links = [line for line in out.replace("\\\n", " ").splitlines()
             if " -o " in line and " -c " not in line and line.split()[0].endswith(("cc", "clang", "gcc"))]
    missing = [line[:200] for line in links if marker not in line]
    result("makefile: every link step honours LDFLAGS",
           code == 0 and len(links) == len(LINKED) and not missing,
           f"{len(links)} link steps for {len(LINKED)} programs\n" + "\n".join(missing) + out[-2000:])


def _check_run_stdout(root, result):
    """make run with something to build: a copy of the build tree with main.c newer than
    its object, so make compiles and links before compiling samples/."""
    plain = os.path.join(root, "build", "sparkc")
    want = subprocess.run([plain, "compile", "samples/"], cwd=root, capture_output=True)
    with tempfile.TemporaryDirectory() as tmp:
        build = os.path.join(tmp, "build")
        shutil.copytree(os.path.join(root, "build", "obj"), os.path.join(build, "obj"))
        for name in os.listdir(os.path.join(root, "build")):
            if name.endswith(".c") or name == "embed_tree":
                shutil.copy2(os.path.join(root, "build", name), build)
        # as a user runs it from a shell: not as a sub-make of make test (MAKELEVEL), for
        # which make itself prints "Entering directory" lines on stdout
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
        p = subprocess.run(["make", "run", f"BUILD={build}", "-W", "compiler/main.c"], cwd=root,
                           capture_output=True, timeout=300, env=env)
    out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    try:
        kinds = [d["kind"] for d in yaml.safe_load_all(out)]
    except yaml.YAMLError as e:
        kinds = [repr(e)]
    result("makefile: make run prints the manifests alone on stdout, the build on stderr",
           p.returncode == 0 and out == want.stdout.decode() and f"-o {build}/sparkc " in err and kinds
           and set(kinds) <= {"SparkApplication", "ScheduledSparkApplication"},
           f"exit {p.returncode}; kinds {kinds[:5]}\nstdout starts: {out[:300]}\nstderr: {err[-1500:]}")


STAND_IN = """#!/bin/sh
echo "$(basename "$0") $*" >> "$LOG"
"""


def _check_package_managers(root, result):
    script = os.path.join(root, "tools", "install-deps.sh")
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "base")
        os.mkdir(base)
        for tool in ("sh", "id", "grep", "dirname", "basename", "cat"):
            os.symlink(shutil.which(tool), os.path.join(base, tool))

        def run_with(*tools, target="build"):
            bin_dir = tempfile.mkdtemp(dir=tmp)
            for tool in tools:
                path = os.path.join(bin_dir, tool)
                with open(path, "w") as f:
                    f.write(STAND_IN if tool in ("apk", "dnf", "brew", "sudo") else "#!/bin/sh\n")
                os.chmod(path, 0o755)
            log = os.path.join(bin_dir, "log")
            p = subprocess.run(["sh", script, target], capture_output=True,
                               env={"PATH": f"{bin_dir}:{base}", "LOG": log, "HOME": tmp})
            calls = open(log).read().splitlines() if os.path.exists(log) else []
            return p.returncode, [c for c in calls if not c.startswith("sudo")], p.stderr.decode()

        for manager, call in (("apk", "apk add --no-cache build-base pkgconf yaml-dev jansson-dev"),
                              ("dnf", "dnf install -y -q gcc make pkgconf-pkg-config libyaml-devel jansson-devel"),
                              ("brew", "brew install --quiet libyaml jansson pkg-config")):
            code, calls, err = run_with(manager, "sudo")
            result(f"makefile: make deps installs with {manager}", code == 0 and calls == [call],
                   f"exit {code}, calls {calls}, stderr {err}")
        code, calls, err = run_with("apk", "cc", "make", "pkg-config")
        result("makefile: make deps installs nothing when cc, make, libyaml and jansson are there",
               code == 0 and calls == [], f"exit {code}, calls {calls}, stderr {err}")
        code, calls, err = run_with()
        result("makefile: make deps on a machine with no package manager names what to install",
               code == 1 and "no package manager" in err and "libyaml" in err and "jansson" in err and "make" in err,
               err)
        code, calls, err = run_with("apk", target="test")
        result("makefile: make test outside Debian says which packages it needs",
               code == 1 and "valgrind" in err, err)
