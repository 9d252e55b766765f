"""Files on hostile file systems, under signals and at scale: what `compile -o`,
`--check`, `--diff`, standard output and the directory walk must withstand.

Symbolic links (in DIR, to outside it, to /dev/zero, in loops), FIFOs, targets that
are directories, a full disk (a small tmpfs) and a read-only one, unreadable files
(as an unprivileged user), signals at random points (fixed seed), parallel writers,
NUL characters in values, duplicate jobs and 100,000 jobs. Every command runs under a
time limit; a check the machine cannot do (mounting without root) is skipped with the
reason printed.

Called from tests/run.py: CHECKS are functions (sanitized, plain, result), each
independent of the others, each in its own temporary directory."""
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ENV = dict(os.environ, NO_COLOR="1", ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
           UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
ROOT_USER = os.geteuid() == 0
# what marks a staging directory as sparkc's (outdir.c): only such a one is removed
STAGING_MARKER = ("sparkc compile -o: this run's files before they are renamed into place.\n"
                  "A run that was killed leaves this directory; the next run removes it.\n")

JOB = """kind: spark
metadata:
  name: {name}
  namespace: {ns}
spec:
  command: /app/{name}.py
  image: spark:3.5.1
  replicas: {replicas}
"""


def sh(argv, cwd, stdin=None, timeout=60, **kw):
    """(exit status, stdout, stderr); a timeout is an exit status of "timeout"."""
    try:
        p = subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True, env=kw.pop("env", ENV),
                           timeout=timeout, **kw)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return "timeout", "", ""


def write_jobs(d, jobs):
    """jobs: [(name, ns, replicas)] as one file each in d."""
    os.makedirs(d, exist_ok=True)
    for name, ns, replicas in jobs:
        with open(os.path.join(d, name + ".yaml"), "w") as f:
            f.write(JOB.format(name=name, ns=ns, replicas=replicas))


def snapshot(d, dir_mtimes=True):
    """Every entry under d: path -> (type, mode, inode, mtime_ns, bytes); a run that
    renames files and puts them back changes its directories' mtimes only."""
    out = {}
    for base, dirs, files in os.walk(d):
        for name in dirs + files:
            p = os.path.join(base, name)
            st = os.lstat(p)
            data = open(p, "rb").read() if stat.S_ISREG(st.st_mode) else None
            mtime = st.st_mtime_ns if dir_mtimes or not stat.S_ISDIR(st.st_mode) else None
            out[os.path.relpath(p, d)] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), st.st_ino, mtime, data)
    return out


def leftovers(d):
    """Staging directories or temporary files sparkc left in d."""
    found = []
    for base, dirs, files in os.walk(d):
        for name in dirs + files:
            if name.startswith(".sparkc-staging") or (name.startswith(".") and name != ".sparkc-index"):
                found.append(os.path.relpath(os.path.join(base, name), d))
    return found


def sanitizer_clean(err):
    return not any(m in err for m in ("Sanitizer", "runtime error:"))


# ---- item by item -------------------------------------------------------------------

def check_empty_output_dir(sanitized, plain, result):
    """-o '' (an unset $OUTDIR) is a usage error, not the root directory."""
    with tempfile.TemporaryDirectory() as tmp:
        write_jobs(tmp, [("empty-dir-probe", "sparkc-files-test", 1)])
        code, out, err = sh([sanitized, "compile", "-o", "", "empty-dir-probe.yaml"], tmp)
        wrote = os.path.exists("/sparkc-files-test")
        if wrote:       # what a sparkc that takes '' for / leaves behind
            shutil.rmtree("/sparkc-files-test", ignore_errors=True)
        result("files: -o '' is a usage error", code == 2 and "-o needs a directory" in err and not wrote,
               f"exit {code}\n{err}")


def check_symlinked_namespace(sanitized, plain, result):
    """DIR/<ns> a link to a directory outside DIR, or a target a link to a file outside:
    nothing is written outside DIR, through any link."""
    with tempfile.TemporaryDirectory() as tmp:
        write_jobs(os.path.join(tmp, "jobs"), [("a", "prod", 1)])
        outside = os.path.join(tmp, "outside")
        os.makedirs(outside)
        os.makedirs(os.path.join(tmp, "out"))
        os.symlink(outside, os.path.join(tmp, "out", "prod"))
        code, out, err = sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        result("files: a namespace directory that is a symlink is not written through",
               code == 2 and os.listdir(outside) == [] and "symbolic link" in err and not leftovers(
                   os.path.join(tmp, "out")), f"exit {code}\n{err}\n{os.listdir(outside)}")
        os.remove(os.path.join(tmp, "out", "prod"))
        os.makedirs(os.path.join(tmp, "out", "prod"))
        secret = os.path.join(outside, "passwd")
        open(secret, "w").write("keep\n")
        os.symlink(secret, os.path.join(tmp, "out", "prod", "a.yaml"))
        code, out, err = sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        result("files: a target that is a symlink is neither read nor written through",
               code == 2 and open(secret).read() == "keep\n" and os.path.islink(
                   os.path.join(tmp, "out", "prod", "a.yaml")), f"exit {code}\n{err}")
        code, out, err = sh([sanitized, "compile", "--check", "-o", "out", "jobs"], tmp)
        result("files: --check does not follow a symlinked target", code == 2 and "symbolic link" in err,
               f"exit {code}\n{out}{err}")


def check_all_or_nothing(sanitized, plain, result):
    """A target that cannot be replaced (a directory) is found before any rename; a
    rename that fails mid-way (an immutable file) puts back what the run replaced."""
    with tempfile.TemporaryDirectory() as tmp:
        jobs = os.path.join(tmp, "jobs")
        write_jobs(jobs, [(n, "ns", 1) for n in ("a", "b", "c")])
        code, _, err = sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        write_jobs(jobs, [(n, "ns", 5) for n in ("a", "b", "c")])
        os.remove(os.path.join(tmp, "out", "ns", "b.yaml"))
        os.makedirs(os.path.join(tmp, "out", "ns", "b.yaml"))
        before = snapshot(os.path.join(tmp, "out"))
        code, _, err = sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        after = snapshot(os.path.join(tmp, "out"))
        result("files: a target that is a directory: exit 2, nothing written, no temp file",
               code == 2 and "is a directory" in err and before == after, f"exit {code}\n{err}")
        if not ROOT_USER or not shutil.which("chattr"):
            print("skip files: roll-back after a failed rename (needs root and chattr)")
            return
        os.rmdir(os.path.join(tmp, "out", "ns", "b.yaml"))
        write_jobs(jobs, [(n, "ns", 1) for n in ("a", "b", "c")])
        sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        write_jobs(jobs, [(n, "ns", 7) for n in ("a", "b", "c")])
        frozen = os.path.join(tmp, "out", "ns", "b.yaml")
        if subprocess.run(["chattr", "+i", frozen], capture_output=True).returncode:
            print("skip files: roll-back after a failed rename (this file system has no immutable files)")
            return
        try:
            before = snapshot(os.path.join(tmp, "out"), False)
            code, _, err = sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
            after = snapshot(os.path.join(tmp, "out"), False)
        finally:
            subprocess.run(["chattr", "-i", frozen])
        result("files: a rename failing mid-way rolls back every file (bytes, inode, mtime)",
               code == 2 and "nothing was changed" in err and before == after and sanitizer_clean(err),
               f"exit {code}\n{err}\n{sorted(set(after.items()) ^ set(before.items()))[:4]}")


def interrupted(argv, cwd, sig, delay):
    p = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    time.sleep(delay)
    try:
        p.send_signal(sig)
    except ProcessLookupError:
        pass
    return p.wait(timeout=120)


def check_signals(sanitized, plain, result):
    """Every catchable terminating signal, at random points of a run (fixed seed):
    all files or none, no staging directory left. SIGKILL leaves one, which --check
    reports (exit 1) and the next run removes."""
    rnd = random.Random(1206)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "gen_jobs.py"), "3000",
                        os.path.join(tmp, "jobs.yaml")], check=True)
        full = os.path.join(tmp, "full")
        sh([plain, "compile", "-o", full, "jobs.yaml"], tmp)
        want = snapshot(full)
        want_files = {k: v[4] for k, v in want.items() if v[4] is not None}
        bad = []
        sigs = [signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGUSR1, signal.SIGUSR2,
                signal.SIGALRM, signal.SIGPIPE, signal.SIGXCPU, signal.SIGVTALRM, signal.SIGPROF]
        for i in range(len(sigs) * 2):
            sig = sigs[i % len(sigs)]
            out = os.path.join(tmp, f"out{i}")
            delay = rnd.uniform(0.05, 0.6)
            code = interrupted([plain, "compile", "-o", out, "jobs.yaml"], tmp, sig, delay)
            got = {k: v[4] for k, v in snapshot(out).items() if v[4] is not None} if os.path.exists(out) else {}
            if leftovers(out) if os.path.exists(out) else False:
                bad.append(f"{sig.name} after {delay:.2f} s: left {leftovers(out)[:3]}")
            elif got and got != want_files:
                bad.append(f"{sig.name} after {delay:.2f} s: {len(got)} of {len(want_files)} files")
            elif code not in (0, -sig):
                bad.append(f"{sig.name} after {delay:.2f} s: exit {code}")
        result(f"files: {len(sigs) * 2} runs signalled at random points: all or nothing, no staging left",
               not bad, "\n".join(bad))
        # and while files are being staged or renamed: soon after the staging directory appears
        bad = []
        for i, sig in enumerate(sigs):
            out = os.path.join(tmp, f"late{i}")
            p = subprocess.Popen([plain, "compile", "-o", out, "jobs.yaml"], cwd=tmp, stderr=subprocess.DEVNULL,
                                 env=ENV)
            while p.poll() is None and not (os.path.isdir(out) and any(
                    n.startswith(".sparkc-staging.") for n in os.listdir(out))):
                time.sleep(0.002)
            time.sleep(rnd.uniform(0, 0.05))
            if p.poll() is None:
                p.send_signal(sig)
            code = p.wait(timeout=120)
            got = {k: v[4] for k, v in snapshot(out).items() if v[4] is not None} if os.path.exists(out) else {}
            if os.path.exists(out) and leftovers(out):
                bad.append(f"{sig.name}: left {leftovers(out)[:3]}")
            elif got and got != want_files:
                bad.append(f"{sig.name}: {len(got)} of {len(want_files)} files")
            elif code not in (0, -sig):
                bad.append(f"{sig.name}: exit {code}")
        result(f"files: {len(sigs)} runs signalled while staging or renaming: all or nothing, no staging left",
               not bad, "\n".join(bad))
        # SIGKILL: the staging directory stays; --check says so; the next run removes it
        out = os.path.join(tmp, "killed")
        sh([plain, "compile", "-o", out, "jobs.yaml"], tmp)
        with open(os.path.join(tmp, "jobs.yaml")) as f:
            text = f.read().replace("replicas: ", "replicas: 1")
        with open(os.path.join(tmp, "jobs2.yaml"), "w") as f:
            f.write(text)
        # killed as soon as its staging directory appears
        p = subprocess.Popen([plain, "compile", "-o", out, "jobs2.yaml"], cwd=tmp, stderr=subprocess.DEVNULL, env=ENV)
        staged = []
        while p.poll() is None and not staged:
            staged = [n for n in os.listdir(out) if n.startswith(".sparkc-staging.")]
            time.sleep(0.002)
        p.kill()
        p.wait()
        if not staged or not os.path.exists(os.path.join(out, staged[0])):
            print("skip files: SIGKILL did not land while staging; a staging directory is made by hand")
            os.makedirs(os.path.join(out, ".sparkc-staging.999999.abcdef"))
            open(os.path.join(out, ".sparkc-staging.999999.abcdef", "0"), "w").write("x")
            open(os.path.join(out, ".sparkc-staging.999999.abcdef", ".sparkc-staging"), "w").write(STAGING_MARKER)
        code, stdout, err = sh([sanitized, "compile", "--check", "-o", out, "jobs.yaml"], tmp, timeout=120)
        result("files: --check reports a staging directory SIGKILL left (exit 1)",
               code == 1 and "left over by an interrupted run" in stdout, f"exit {code}\n{stdout[-2000:]}{err}")
        code, stdout, err = sh([plain, "compile", "-o", out, "jobs.yaml"], tmp, timeout=120)
        result("files: the next -o removes the staging directory SIGKILL left",
               code == 0 and not leftovers(out) and {k: v[4] for k, v in snapshot(out).items() if v[4] is not None}
               == want_files, f"exit {code}\n{err}\n{leftovers(out)[:5]}")
        # running out of memory ends the run through exit(): the staging directory goes
        bad = []
        for limit in (30000, 45000, 60000, 80000):
            o = os.path.join(tmp, f"oom{limit}")
            code, _, err = sh(["sh", "-c", f"ulimit -v {limit}; exec {plain} compile -o {o} jobs.yaml"], tmp,
                              timeout=120)
            if os.path.exists(o) and leftovers(o):
                bad.append(f"ulimit -v {limit}: exit {code}, left {leftovers(o)[:3]}")
        result("files: out of memory leaves no staging directory", not bad, "\n".join(bad))


def check_hostile_targets(sanitized, plain, result):
    """Targets that are links to /dev/zero or FIFOs, or FIFOs themselves: read with
    O_NOFOLLOW|O_NONBLOCK, regular files only, so --check ends at once."""
    with tempfile.TemporaryDirectory() as tmp:
        write_jobs(os.path.join(tmp, "jobs"), [("a", "ns", 1), ("b", "ns", 1)])
        os.makedirs(os.path.join(tmp, "out", "ns"))
        os.symlink("/dev/zero", os.path.join(tmp, "out", "ns", "a.yaml"))
        os.mkfifo(os.path.join(tmp, "out", "ns", "b.yaml"))
        start = time.monotonic()
        code, out, err = sh([sanitized, "compile", "--check", "-o", "out", "jobs"], tmp, timeout=20)
        took = time.monotonic() - start
        result("files: --check on targets linked to /dev/zero and FIFOs ends at once with exit 2",
               code == 2 and "symbolic link" in err and "not a regular file" in err and took < 15,
               f"exit {code} after {took:.1f} s\n{out}{err}")
        code, out, err = sh([sanitized, "compile", "--diff", "-o", "out", "jobs"], tmp, timeout=20)
        result("files: --diff on the same ends at once with exit 2", code == 2, f"exit {code}\n{err}")
        os.remove(os.path.join(tmp, "out", "ns", "a.yaml"))
        os.mkfifo(os.path.join(tmp, "out", "ns", "a.yaml"))
        code, out, err = sh([sanitized, "compile", "-o", "out", "jobs"], tmp, timeout=20)
        result("files: -o over FIFOs ends at once with exit 2, the FIFOs kept",
               code == 2 and stat.S_ISFIFO(os.lstat(os.path.join(tmp, "out", "ns", "a.yaml")).st_mode),
               f"exit {code}\n{err}")


def check_walk(sanitized, plain, result):
    """The walk follows no symlinked directory inside it and reads no FIFO or device;
    a symlink named on the command line is followed."""
    with tempfile.TemporaryDirectory() as tmp:
        d = os.path.join(tmp, "d")
        write_jobs(d, [("a", "ns", 1)])
        os.symlink(".", os.path.join(d, "self"))
        os.makedirs(os.path.join(d, "sub"))
        os.symlink("..", os.path.join(d, "sub", "up"))
        os.symlink("/usr/share", os.path.join(d, "share"))
        os.mkfifo(os.path.join(d, "fifo.yaml"))
        os.symlink("/dev/zero", os.path.join(d, "zero.yaml"))
        code, out, err = sh([sanitized, "compile", "d"], tmp, timeout=30)
        result("files: the walk takes one job once (no loops, no /usr/share, no FIFO, no device)",
               code == 0 and out.count("kind: SparkApplication") == 1 and sanitizer_clean(err),
               f"exit {code}\n{err[-2000:]}")
        os.symlink("d", os.path.join(tmp, "link"))
        code, out, err = sh([sanitized, "compile", "link"], tmp, timeout=30)
        result("files: a symlinked directory named on the command line is walked",
               code == 0 and out.count("kind: SparkApplication") == 1, f"exit {code}\n{err}")
        code, out, err = sh([sanitized, "compile", "d/a.yaml", "d/self/a.yaml"], tmp, timeout=30)
        result("files: the same job given twice is a duplicate", code == 1 and "already defined" in err,
               f"exit {code}\n{err}")


def check_nul_values(sanitized, plain, result):
    """A NUL in a name is an error at its position; in another value it is kept."""
    with tempfile.TemporaryDirectory() as tmp:
        open(os.path.join(tmp, "nul.yaml"), "w").write(
            'kind: spark\nmetadata:\n  name: "ab\\0/../../x"\nspec: {command: /a.py, image: s}\n')
        code, out, err = sh([sanitized, "compile", "-o", "out", "nul.yaml"], tmp)
        result("files: a NUL in the name is an error at 3:9, nothing written",
               code == 1 and "nul.yaml:3:9: error: metadata.name" in err and not os.path.exists(
                   os.path.join(tmp, "out")), f"exit {code}\n{err}")
        for field, text in (("namespace", 'metadata: {name: a, namespace: "n\\0s"}'),
                            ("labels", 'metadata: {name: a, labels: {"k\\0": v}}'),
                            ("annotations", 'metadata: {name: a, annotations: {"k\\x01": v}}')):
            open(os.path.join(tmp, "c.yaml"), "w").write(f"kind: spark\n{text}\nspec: {{command: /a.py, image: s}}\n")
            code, out, err = sh([sanitized, "validate", "c.yaml"], tmp)
            result(f"files: a control character in metadata.{field} is an error", code == 1 and
                   "control character" in err, f"exit {code}\n{err}")
        open(os.path.join(tmp, "arg.yaml"), "w").write(
            'kind: spark\nmetadata: {name: a}\nspec: {command: /a.py, image: s, args: ["x\\0y\\x01z"]}\n')
        code, out, err = sh([sanitized, "compile", "--format", "json", "arg.yaml"], tmp)
        ok = code == 0 and json.loads(out)["spec"]["arguments"] == ["x\0y\x01z"]
        code2, out2, _ = sh([sanitized, "compile", "arg.yaml"], tmp)
        import yaml
        ok = ok and code2 == 0 and yaml.safe_load(out2)["spec"]["arguments"] == ["x\0y\x01z"]
        result("files: a NUL elsewhere is kept whole and escaped (JSON and YAML read it back)", ok, err)


def check_duplicates(sanitized, plain, result):
    """The same namespace/name twice: exit 1 in every command, at the second, naming
    the first's position."""
    with tempfile.TemporaryDirectory() as tmp:
        write_jobs(os.path.join(tmp, "a"), [("same", "ns", 1)])
        write_jobs(os.path.join(tmp, "b"), [("same", "ns", 2)])
        want = "b/same.yaml:3:9: error: metadata.name: a job or manifest with this namespace and name is already defined at a/same.yaml:3:9"
        for argv in (["compile"], ["validate"], ["compile", "-o", "out"], ["compile", "--check", "-o", "out"],
                     ["explain"]):
            code, out, err = sh([sanitized] + argv + ["a/same.yaml", "b/same.yaml"], tmp)
            result(f"files: a duplicate job is an input error ({' '.join(argv)})",
                   code == 1 and want in err and (argv[0] != "compile" or not out) and
                   not os.path.exists(os.path.join(tmp, "out")), f"exit {code}\n{out[:300]}{err}")


def cpu_seconds(argv, cwd, timeout=600):
    """(exit status, user + system CPU seconds) of one run, output discarded: CPU time,
    not wall time, so that a busy machine does not fail the check."""
    p = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            p.returncode = os.waitstatus_to_exitcode(status)
            return p.returncode, usage.ru_utime + usage.ru_stime
        time.sleep(0.05)
    p.kill()
    p.wait()
    return "timeout", float(timeout)


def check_scale(sanitized, plain, result):
    """100,000 jobs: -o to a fresh DIR and --check each take at most 3x the CPU time of
    compiling the same input to stdout (duplicate detection was quadratic: --check took
    28 s and -o 95 s where stdout took about 5 s)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "gen_jobs.py"), "100000",
                        os.path.join(tmp, "jobs.yaml")], check=True)
        code, base = cpu_seconds([plain, "compile", "jobs.yaml"], tmp)
        for argv in (["compile", "-o", "out"], ["compile", "--check", "-o", "out"]):
            code, took = cpu_seconds([plain] + argv + ["jobs.yaml"], tmp)
            result(f"files: 100,000 jobs, {' '.join(argv)}: {took:.1f} s CPU, stdout {base:.1f} s (bound 3x)",
                   code == 0 and took <= 3 * base + 1, f"exit {code}")
        n = sum(len(f) for _, _, f in os.walk(os.path.join(tmp, "out")))
        result("files: 100,000 jobs make 100,000 files and the index", n == 100001, f"{n} files")


def check_invalid_check(sanitized, plain, result):
    """--check with an invalid input: diagnostics only, nothing on stdout; an invalid
    -o run leaves DIR as it was, mtime included."""
    with tempfile.TemporaryDirectory() as tmp:
        jobs = os.path.join(tmp, "jobs")
        write_jobs(jobs, [(f"j{i}", "ns", 1) for i in range(20)])
        sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        write_jobs(jobs, [(f"j{i}", "ns", 2) for i in range(20)])
        open(os.path.join(jobs, "bad.yaml"), "w").write("kind: spark\nmetadata: {name: Bad}\n")
        code, out, err = sh([sanitized, "compile", "--check", "-o", "out", "jobs"], tmp)
        result("files: --check with an invalid input prints nothing on stdout, exit 1",
               code == 1 and out == "" and "error:" in err, f"exit {code}\n{out[:500]}")
        before = snapshot(tmp)
        time.sleep(0.01)
        code, out, err = sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        result("files: an invalid -o run touches nothing in DIR (mtimes included)",
               code == 1 and snapshot(tmp) == before, f"exit {code}")


def check_stdout(sanitized, plain, result):
    """Standard output is never truncated or seeked; a regular file gets whole
    documents even when a signal ends the run while it is being written."""
    with tempfile.TemporaryDirectory() as tmp:
        write_jobs(tmp, [("good", "ns", 1)])
        open(os.path.join(tmp, "bad.yaml"), "w").write("kind: spark\nmetadata: {name: Bad}\n")
        open(os.path.join(tmp, "f"), "w").write("precious content\n")
        code, _, err = sh(["sh", "-c", f"{sanitized} compile good.yaml bad.yaml 1<>f"], tmp)
        result("files: compile bad.yaml 1<>f leaves f as it was", code == 1 and
               open(os.path.join(tmp, "f")).read() == "precious content\n", f"exit {code}\n{err}")
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "gen_jobs.py"), "20000",
                        os.path.join(tmp, "many.yaml")], check=True)
        full = subprocess.run([plain, "compile", "many.yaml"], cwd=tmp, capture_output=True).stdout
        docs = full.split(b"\n---\n")
        boundaries = set()
        at = 0
        for d in docs:
            at += len(d) + 1
            boundaries.add(at)
            at += 4
        rnd = random.Random(1212)
        bad = []
        for i in range(8):
            out = os.path.join(tmp, f"o{i}")
            with open(out, "wb") as f:
                p = subprocess.Popen([plain, "compile", "many.yaml"], cwd=tmp, stdout=f, stderr=subprocess.DEVNULL)
                time.sleep(rnd.uniform(0.2, 1.5))
                p.send_signal(signal.SIGTERM)
                p.wait(timeout=60)
            data = open(out, "rb").read()
            # a run that ends before the signal comes has written everything
            if data and data != full and (not full.startswith(data) or len(data) not in boundaries):
                bad.append(f"run {i}: {len(data)} bytes, not a whole number of documents")
        result("files: SIGTERM while writing to a regular file: whole documents only", not bad, "\n".join(bad))
        code, _, err = sh(["sh", "-c", f"ulimit -f 8; exec {plain} compile many.yaml > big"], tmp)
        result("files: a write past ulimit -f says 'File too large', exit 2",
               code == 2 and "File too large" in err, f"exit {code}\n{err}")
        code, _, err = sh(["sh", "-c", f"ulimit -f 8; exec {plain} compile -o dir many.yaml"], tmp, timeout=120)
        result("files: -o past ulimit -f says 'File too large', exit 2, nothing written",
               code == 2 and "File too large" in err and not any(
                   f.endswith(".yaml") for _, _, fs in os.walk(os.path.join(tmp, "dir")) for f in fs),
               f"exit {code}\n{err}")


def check_smaller(sanitized, plain, result):
    """Modes kept and umask honoured; -dash.yaml named in the message; read-only DIR
    and unreadable targets reported once, as what they are."""
    with tempfile.TemporaryDirectory() as tmp:
        jobs = os.path.join(tmp, "jobs")
        write_jobs(jobs, [("a", "ns", 1), ("b", "ns", 1)])
        sh(["sh", "-c", f"umask 027; exec {sanitized} compile -o out jobs"], tmp)
        mode_new = stat.S_IMODE(os.stat(os.path.join(tmp, "out", "ns", "b.yaml")).st_mode)
        os.chmod(os.path.join(tmp, "out", "ns", "a.yaml"), 0o600)
        write_jobs(jobs, [("a", "ns", 2), ("b", "ns", 1)])
        sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        mode_kept = stat.S_IMODE(os.stat(os.path.join(tmp, "out", "ns", "a.yaml")).st_mode)
        result("files: new files honour the umask, rewritten ones keep their mode",
               mode_new == 0o640 and mode_kept == 0o600, f"new {oct(mode_new)}, rewritten {oct(mode_kept)}")
        shutil.copy(os.path.join(jobs, "a.yaml"), os.path.join(tmp, "-dash.yaml"))
        code, _, err = sh([sanitized, "compile", "-dash.yaml"], tmp)
        result("files: compile -dash.yaml names the argument", code == 2 and "'-dash.yaml'" in err and
               "./-dash.yaml" in err, err)
        if not ROOT_USER:
            print("skip files: unreadable targets and read-only DIR as another user (needs root)")
            return
        nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        os.chmod(tmp, 0o755)
        os.chmod(os.path.join(tmp, "out", "ns", "a.yaml"), 0o600)
        write_jobs(jobs, [("a", "ns", 3), ("b", "ns", 3)])
        for p in (jobs, os.path.join(jobs, "a.yaml"), os.path.join(jobs, "b.yaml")):
            os.chmod(p, 0o755 if os.path.isdir(p) else 0o644)
        code, out, err = sh(nobody + [plain, "compile", "--check", "-o", "out", "jobs"], tmp)
        result("files: an unreadable target is reported as unreadable, not missing (exit 2)",
               code == 2 and "Permission denied" in err and "missing" not in out, f"exit {code}\n{out}{err}")
        code, out, err = sh(nobody + [plain, "compile", "-o", "out", "jobs"], tmp)
        result("files: a read-only DIR is one error line, exit 2",
               code == 2 and len(err.strip().splitlines()) == 1, f"exit {code}\n{err}")


def check_full_disk(sanitized, plain, result):
    """A small tmpfs: a run that does not fit leaves every file as it was (bytes, inode,
    mtime), and nothing staged."""
    if not ROOT_USER:
        print("skip files: a full disk (mounting a small tmpfs needs root)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        mnt = os.path.join(tmp, "mnt")
        os.makedirs(mnt)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt], capture_output=True).returncode:
            print("skip files: a full disk (mount -t tmpfs is not permitted here)")
            return
        try:
            jobs = os.path.join(tmp, "jobs")
            write_jobs(jobs, [(f"j{i:03d}", "ns", 1) for i in range(40)])
            code, _, err = sh([sanitized, "compile", "-o", os.path.join(mnt, "out"), "jobs"], tmp)
            first = code == 0
            write_jobs(jobs, [(f"j{i:03d}", "ns", 2) for i in range(400)])
            before = snapshot(mnt, False)
            code, _, err = sh([sanitized, "compile", "-o", os.path.join(mnt, "out"), "jobs"], tmp)
            after = snapshot(mnt, False)
            result("files: a full disk: exit 2, every file as it was, nothing staged",
                   first and code == 2 and before == after and "No space left" in err and sanitizer_clean(err),
                   f"first run ok: {first}; exit {code}\n{err}")
            subprocess.run(["mount", "-o", "remount,ro", mnt], check=True)
            code, _, err = sh([sanitized, "compile", "-o", os.path.join(mnt, "out"), "jobs"], tmp)
            result("files: a read-only file system: exit 2, one error line",
                   code == 2 and len(err.strip().splitlines()) == 1, f"exit {code}\n{err}")
        finally:
            subprocess.run(["umount", "-l", mnt])


def check_parallel_writers(sanitized, plain, result):
    """Four -o runs and a --check at once on one DIR: each file is whole and right, no
    staging left (the runs take turns through a lock on DIR)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "gen_jobs.py"), "2000",
                        os.path.join(tmp, "jobs.yaml")], check=True)
        sh([plain, "compile", "-o", "want", "jobs.yaml"], tmp)
        procs = [subprocess.Popen([plain, "compile", "-o", "out", "jobs.yaml"], cwd=tmp,
                                  stderr=subprocess.PIPE) for _ in range(4)]
        procs.append(subprocess.Popen([plain, "compile", "--check", "-o", "out", "jobs.yaml"], cwd=tmp,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        codes = [p.wait(timeout=120) for p in procs]
        same = subprocess.run(["diff", "-r", "want", "out"], cwd=tmp, capture_output=True).returncode == 0
        result("files: parallel writers: all succeed, the tree is exactly one run's, nothing left",
               codes[:4] == [0] * 4 and codes[4] in (0, 1) and same and not leftovers(os.path.join(tmp, "out")),
               f"exits {codes}; same tree: {same}; left {leftovers(os.path.join(tmp, 'out'))[:3]}")


def check_diff_colour(sanitized, plain, result):
    """--diff colours only on a terminal (script(1) gives it one), never with NO_COLOR."""
    import shlex
    with tempfile.TemporaryDirectory() as tmp:
        write_jobs(os.path.join(tmp, "jobs"), [("a", "ns", 1)])

        def on_tty(no_color):
            cmd = f"{shlex.quote(sanitized)} compile --diff -o out jobs"
            env = {k: v for k, v in ENV.items() if k != "NO_COLOR"}
            env.update(TERM="xterm", ASAN_OPTIONS="detect_leaks=0", **({"NO_COLOR": "1"} if no_color else {}))
            return sh(["script", "-qec", cmd, "/dev/null"], tmp, env=env)[1]
        coloured = on_tty(False)
        result("files: --diff is coloured on a terminal", "\x1b[32m+" in coloured and "+++ ns/a.yaml" in coloured,
               coloured[:300])
        result("files: --diff is not coloured with NO_COLOR", "\x1b[" not in on_tty(True), "")
        code, out, err = sh([sanitized, "compile", "--diff", "-o", "out", "jobs"], tmp)
        result("files: --diff is not coloured in a pipe, exit 1 on a difference",
               code == 1 and "\x1b[" not in out and out.startswith("--- /dev/null\n+++ ns/a.yaml\n@@ -0,0 +1,"), out[:300])


def check_no_tmp(sanitized, plain, result):
    """No writable /tmp (a container FROM scratch): compile to stdout needs no temporary
    file while its manifests fit the in-memory spool (8 MiB); past it, a writing -o run
    spools in DIR's staging directory and still succeeds, and when invalid input ends it
    DIR is as it was (times included); to stdout (and under --check, --diff, which write
    nothing in DIR), the error names TMPDIR."""
    if not ROOT_USER or not shutil.which("unshare"):
        print("skip files: no writable /tmp (a private mount namespace needs root and unshare)")
        return
    # the work directory outside /tmp, which is hidden under a read-only tmpfs
    work = tempfile.mkdtemp(prefix="notmp-", dir=os.path.join(ROOT, "build"))
    try:
        write_jobs(os.path.join(work, "few"), [(f"j{i}", "ns", 1) for i in range(20)])
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "gen_jobs.py"), "2000",
                        os.path.join(work, "many.yaml")], check=True)
        with open(os.path.join(work, "many.yaml")) as f, open(os.path.join(work, "bad.yaml"), "w") as g:
            g.write(f.read() + "---\nkind: spark\nmetadata: {name: Bad}\n")
        env = {k: v for k, v in ENV.items() if k != "TMPDIR"}

        def no_tmp(cmd):
            # in the work directory before /tmp is covered, and sparkc named from there, so
            # that both stay reachable when the checkout itself lies under /tmp
            script = f"cd {work} || exit 98; mount -t tmpfs -o ro,size=64k none /tmp || exit 99; {cmd}"
            return sh(["unshare", "-m", "sh", "-c", script], work, env=env, timeout=300)
        sanitized, plain = (os.path.relpath(b, work) for b in (sanitized, plain))
        code, out, err = no_tmp(f"{sanitized} compile few")
        if code == 99:
            print("skip files: no writable /tmp (mount -t tmpfs is not permitted here)")
            return
        result("files: no writable /tmp: compile to stdout works", code == 0 and out.count("kind: SparkApplication")
               == 20 and sanitizer_clean(err), f"exit {code}\n{err}")
        code, out, err = no_tmp(f"{plain} compile many.yaml")
        result("files: no writable /tmp: past 8 MiB to stdout, exit 2 naming TMPDIR, nothing printed",
               code == 2 and out == "" and "set TMPDIR" in err, f"exit {code}\n{err}")
        code, out, err = no_tmp(f"{sanitized} compile -o out many.yaml")
        check, _, _ = sh([os.path.join(work, plain), "compile", "--check", "-o", "out", "many.yaml"], work)
        result("files: no writable /tmp: past 8 MiB, -o spools in DIR and writes every file, nothing left",
               code == 0 and check == 0 and sum(len(f) for _, _, f in os.walk(os.path.join(work, "out"))) == 2001 and
               not leftovers(os.path.join(work, "out")) and sanitizer_clean(err), f"exit {code}\n{err[-2000:]}")
        before = snapshot(os.path.join(work, "out"))
        time.sleep(0.01)
        code, out, err = no_tmp(f"{sanitized} compile -o out bad.yaml")
        result("files: no writable /tmp: an invalid run past 8 MiB leaves DIR as it was (times included)",
               code == 1 and snapshot(os.path.join(work, "out")) == before and sanitizer_clean(err),
               f"exit {code}\n{err[-2000:]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


CHECKS = [check_no_tmp, check_scale, check_signals, check_stdout, check_parallel_writers, check_empty_output_dir,
          check_symlinked_namespace, check_all_or_nothing, check_hostile_targets, check_walk, check_nul_values,
          check_duplicates, check_invalid_check, check_smaller, check_full_disk, check_diff_colour]
