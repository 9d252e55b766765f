"""-o DIR as a pull request can make it: everything in DIR is committed, .sparkc-index
included, so each check builds the tree an attacker with write access to a branch
would, runs sparkc, and fails if a file that is not sparkc's own is touched (bytes,
inode, mtime), if a run writes over or removes it, or if an index sparkc must tolerate
(duplicate lines from a merge=union attribute, CRLF, NUL, junk) makes it fail or
forget an orphan. One check per defect found by a hostile round; the time and memory
of a 30 MB index and a 50 MB --diff are measured in tests/bounds.py.

Called from tests/run.py: CHECKS are functions (sanitized, plain, result), each in its
own temporary directory."""
import hashlib
import os
import signal
import subprocess
import tempfile
import time

from files import ENV, STAGING_MARKER, leftovers, sanitizer_clean, sh, snapshot

JOB = "kind: spark\nmetadata: {{name: {name}, namespace: {ns}}}\nspec: {{command: /app/x.py, image: spark:3.5.1, " \
      "replicas: {replicas}}}\n"
SEALED = "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: db, namespace: prod}\n" \
         "spec: {encryptedData: {password: AgBy3i4OJSWK}}\n"


def jobs(d, specs):
    """specs: [(name, ns, replicas)], one file each in d/jobs (emptied first)."""
    j = os.path.join(d, "jobs")
    os.makedirs(j, exist_ok=True)
    for f in os.listdir(j):
        os.remove(os.path.join(j, f))
    for name, ns, replicas in specs:
        with open(os.path.join(j, name + ".yaml"), "w") as f:
            f.write(JOB.format(name=name, ns=ns, replicas=replicas))


def put(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def untouched(before, after, paths):
    """The entries of paths whose (type, mode, inode, mtime, bytes) changed or vanished."""
    return [p for p in paths if before.get(p) != after.get(p)]


def index_lines(out):
    return [line for line in open(os.path.join(out, ".sparkc-index"), "rb").read().decode().split("\n")
            if line and not line.startswith("#")]


def check_index_line_for_hand_written_file(sanitized, plain, result):
    """1. One added index line, with or without a hash (the right hash too: the attacker
    can read the file), for a hand-written SealedSecret: --check does not call it
    sparkc's orphan, and -o keeps it whole and stops listing it."""
    for form in ("bare", "hashed", "wrong hash"):
        with tempfile.TemporaryDirectory() as tmp:
            jobs(tmp, [("etl", "prod", 1)])
            sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
            secret = os.path.join(tmp, "out", "prod", "sealed-secret.yaml")
            put(secret, SEALED)
            line = {"bare": "prod/sealed-secret.yaml", "hashed": f"{sha(secret)}  prod/sealed-secret.yaml",
                    "wrong hash": "0" * 64 + "  prod/sealed-secret.yaml"}[form]
            put(os.path.join(tmp, "out", ".sparkc-index"), line + "\n", "a")
            before = snapshot(os.path.join(tmp, "out"))
            code, out, err = sh([sanitized, "compile", "--check", "-o", "out", "jobs"], tmp)
            ok = code == 1 and "sparkc wrote it" not in out and "sealed-secret.yaml: orphan, but it" in out
            code2, _, err2 = sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
            after = snapshot(os.path.join(tmp, "out"))
            gone = untouched(before, after, ["prod/sealed-secret.yaml", "prod/etl.yaml"])
            listed = any("sealed-secret" in x for x in index_lines(os.path.join(tmp, "out")))
            result(f"hostile dir: an index line ({form}) for a hand-written file: kept whole, not called sparkc's, "
                   "no longer listed", ok and code2 == 0 and not gone and not listed and "not written by sparkc"
                   in err2 and sanitizer_clean(err + err2), f"--check exit {code}: {out}{err}\n-o exit {code2}: "
                   f"{err2}\nchanged: {gone}; still listed: {listed}")


def check_index_line_for_kustomization(sanitized, plain, result):
    """1. The line kustomization.yaml beside a hand-written kustomization: with
    --kustomization the run fails naming it (nothing written); without, it stays."""
    with tempfile.TemporaryDirectory() as tmp:
        jobs(tmp, [("etl", "prod", 1)])
        sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        mine = "resources:\n  - prod/etl.yaml\n  - extra/rbac.yaml\n"
        put(os.path.join(tmp, "out", "kustomization.yaml"), mine)
        put(os.path.join(tmp, "out", ".sparkc-index"), "kustomization.yaml\n", "a")
        jobs(tmp, [("etl", "prod", 2)])
        before = snapshot(os.path.join(tmp, "out"))
        code, _, err = sh([sanitized, "compile", "-o", "out", "--kustomization", "jobs"], tmp)
        result("hostile dir: an index line kustomization.yaml: --kustomization does not overwrite a hand-written one "
               "(exit 2, nothing written)", code == 2 and "kustomization.yaml: was not written by sparkc" in err and
               snapshot(os.path.join(tmp, "out")) == before and sanitizer_clean(err), f"exit {code}\n{err}")
        code, _, err = sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        result("hostile dir: an index line kustomization.yaml: without --kustomization the hand-written one stays",
               code == 0 and open(os.path.join(tmp, "out", "kustomization.yaml")).read() == mine and
               sanitizer_clean(err), f"exit {code}\n{err}")


def check_new_job_over_hand_written_file(sanitized, plain, result):
    """2. A new job whose target holds a hand-written file: an error naming the file,
    nothing written; it never joins the index, so deleting the job later leaves it.
    And a generated file edited by hand is not written over."""
    with tempfile.TemporaryDirectory() as tmp:
        jobs(tmp, [("etl", "prod", 1)])
        sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        creds = os.path.join(tmp, "out", "prod", "db-creds.yaml")
        put(creds, "apiVersion: v1\nkind: Secret\nmetadata: {name: db-creds}\nstringData: {password: hunter2}\n")
        jobs(tmp, [("etl", "prod", 3), ("db-creds", "prod", 1)])
        before = snapshot(os.path.join(tmp, "out"))
        code, out, err = sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        result("hostile dir: a new job over a hand-written file: exit 2 naming it, DIR as it was",
               code == 2 and "out/prod/db-creds.yaml: was not written by sparkc" in err and
               snapshot(os.path.join(tmp, "out")) == before and sanitizer_clean(err), f"exit {code}\n{err}")
        code, out, err = sh([sanitized, "compile", "--check", "-o", "out", "jobs"], tmp)
        result("hostile dir: --check says a run would stop at the hand-written file",
               code == 1 and "prod/db-creds.yaml: differs, but it was not written by sparkc" in out, f"{out}{err}")
        jobs(tmp, [("etl", "prod", 3)])
        sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        code, _, err = sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        result("hostile dir: the job deleted again, the hand-written file stays",
               code == 0 and snapshot(os.path.join(tmp, "out")).get("prod/db-creds.yaml") ==
               before["prod/db-creds.yaml"], f"exit {code}\n{err}")
        edited = os.path.join(tmp, "out", "prod", "etl.yaml")
        put(edited, "# hot fix\n", "a")
        jobs(tmp, [("etl", "prod", 4)])
        before = snapshot(os.path.join(tmp, "out"))
        code, _, err = sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        result("hostile dir: a generated file edited by hand is not written over (exit 2, DIR as it was)",
               code == 2 and "etl.yaml: was edited by hand since sparkc wrote it" in err and
               snapshot(os.path.join(tmp, "out")) == before, f"exit {code}\n{err}")
        os.remove(edited)
        code, _, err = sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        _, want, _ = sh([sanitized, "compile", "jobs/etl.yaml"], tmp)
        result("hostile dir: once the edited file is removed, the run writes it",
               code == 0 and os.path.exists(edited) and open(edited).read() == want, f"exit {code}\n{err}")


def check_committed_staging_and_dirs(sanitized, plain, result):
    """3. A committed .sparkc-staging.* directory without sparkc's marker (or with it,
    beside a file sparkc does not make) is left alone and not reported; an index line
    NAME/ never removes a directory sparkc did not empty itself."""
    with tempfile.TemporaryDirectory() as tmp:
        jobs(tmp, [("etl", "prod", 1)])
        sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        out = os.path.join(tmp, "out")
        put(os.path.join(out, ".sparkc-staging.1.abcdef", "0"), "committed\n")
        put(os.path.join(out, ".sparkc-staging.1.abcdef", "notes.txt"), "committed\n")
        put(os.path.join(out, ".sparkc-staging.2.abcdef", ".sparkc-staging"), STAGING_MARKER)
        put(os.path.join(out, ".sparkc-staging.2.abcdef", "README"), "not sparkc's\n")
        os.makedirs(os.path.join(out, "team"))      # someone's empty directory
        put(os.path.join(out, ".sparkc-index"), "team/\nprod/\n", "a")
        before = snapshot(out)
        foreign = [p for p in before if p.startswith((".sparkc-staging", "team"))]
        code, stdout, err = sh([sanitized, "compile", "--check", "-o", "out", "jobs"], tmp)
        result("hostile dir: --check does not report committed staging directories that are not sparkc's",
               code == 0 and "left over" not in stdout, f"exit {code}\n{stdout}{err}")
        jobs(tmp, [("etl", "prod", 2)])
        code, _, err = sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        changed = untouched(before, snapshot(out), foreign)
        result("hostile dir: -o leaves committed staging directories and a listed empty directory alone",
               code == 0 and not changed and sanitizer_clean(err), f"exit {code}\n{err}\nchanged: {changed}")
        # sparkc's own: the directory it made, emptied by removing its last manifest
        jobs(tmp, [("etl", "prod", 2), ("report", "reports", 1)])
        sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        jobs(tmp, [("etl", "prod", 2)])
        code, _, err = sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
        result("hostile dir: the namespace directory sparkc made goes with its last manifest",
               code == 0 and not os.path.exists(os.path.join(out, "reports")) and os.path.isdir(
                   os.path.join(out, "team")), f"exit {code}\n{err}")


def check_other_kustomizations(sanitized, plain, result):
    """4. --kustomization beside a hand-written kustomization.yml or Kustomization: kustomize
    reads one a directory, so the run fails naming it, writing nothing."""
    for other in ("kustomization.yml", "Kustomization"):
        with tempfile.TemporaryDirectory() as tmp:
            jobs(tmp, [("etl", "prod", 1)])
            put(os.path.join(tmp, "out", other), "resources: [prod/etl.yaml]\n")
            before = snapshot(os.path.join(tmp, "out"))
            code, _, err = sh([sanitized, "compile", "-o", "out", "--kustomization", "jobs"], tmp)
            result(f"hostile dir: --kustomization beside a hand-written {other}: exit 2 naming it, nothing written",
                   code == 2 and f"out/{other}: is a kustomization sparkc did not write" in err and
                   snapshot(os.path.join(tmp, "out")) == before, f"exit {code}\n{err}")


def check_kustomization_job_counts(sanitized, plain, result):
    """5. -o --kustomization of 1 to 6 jobs, then --check and -o again: up to date, and
    no manifest of a job taken for an orphan (the kustomization was appended to a list
    then binary-searched as sorted)."""
    bad = []
    for count in range(1, 7):
        with tempfile.TemporaryDirectory() as tmp:
            # names after "kustomization.yaml" in byte order, as most namespaces are
            jobs(tmp, [(f"job{i}", "prod", 1) for i in range(count)])
            code1, _, err1 = sh([sanitized, "compile", "-o", "out", "--kustomization", "jobs"], tmp)
            code2, out2, _ = sh([sanitized, "compile", "--check", "-o", "out", "--kustomization", "jobs"], tmp)
            code3, _, err3 = sh([sanitized, "compile", "-o", "out", "--kustomization", "jobs"], tmp)
            files = sorted(os.listdir(os.path.join(tmp, "out", "prod")))
            if (code1, code2, code3) != (0, 0, 0) or files != [f"job{i}.yaml" for i in range(count)]:
                bad.append(f"{count} jobs: exits {code1} {code2} {code3}; {out2}{err1}{err3}; files {files}")
    result("hostile dir: --kustomization with 1 to 6 jobs: up to date at once, nothing removed", not bad,
           "\n".join(bad))


def check_tolerated_index_forms(sanitized, plain, result):
    """6. The index as a merge=union attribute leaves it (a path twice, with the old and
    the new hash), with CRLF line ends, with a NUL, with junk lines: never fatal, never a
    reason to forget an orphan, and normalised by the next run."""
    for form in ("duplicate lines", "CRLF", "NUL", "junk lines"):
        with tempfile.TemporaryDirectory() as tmp:
            jobs(tmp, [("etl", "prod", 1), ("report", "prod", 1)])
            sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
            idx = os.path.join(tmp, "out", ".sparkc-index")
            text = open(idx, "rb").read()
            if form == "duplicate lines":
                text += b"".join(line + b"\n" for line in text.split(b"\n") if b"  " in line)
                text += b"0" * 64 + b"  prod/report.yaml\nprod/report.yaml\nprod/report.yaml\nprod/\nprod/\n"
            elif form == "CRLF":
                text = text.replace(b"\n", b"\r\n")
            elif form == "NUL":
                text = b"# \0\0\0\n\0junk\n" + text
            else:
                text = b"../../etc/passwd\n/abs/path.yaml\nprod/../x.yaml\n" + text + b"prod\\x.yaml\n\xff\xfe\n"
            open(idx, "wb").write(text)
            jobs(tmp, [("etl", "prod", 1)])
            code, out, err = sh([sanitized, "compile", "--check", "-o", "out", "jobs"], tmp)
            ok_check = code == 1 and "prod/report.yaml: orphan (sparkc wrote it" in out
            code2, _, err2 = sh([sanitized, "compile", "-o", "out", "jobs"], tmp)
            lines = open(idx, "rb").read()
            normal = b"\r" not in lines and b"\0" not in lines and b"junk" not in lines and b".." not in lines \
                and len(set(lines.split(b"\n"))) == len(lines.split(b"\n"))
            result(f"hostile dir: an index with {form}: --check finds the orphan, -o removes it, the index normalised",
                   ok_check and code2 == 0 and not os.path.exists(os.path.join(tmp, "out", "prod", "report.yaml"))
                   and normal and sanitizer_clean(err + err2),
                   f"--check exit {code}: {out}{err}\n-o exit {code2}: {err2}\n{lines[:400]!r}")


def check_index_hashes(sanitized, plain, result):
    """The index's hashes are the files' SHA-256 as sha256sum computes them (its own -c
    reads the index), and a file whose bytes match its line is sparkc's to replace."""
    with tempfile.TemporaryDirectory() as tmp:
        jobs(tmp, [(f"j{i}", "ns", i) for i in range(1, 6)])
        code, _, err = sh([sanitized, "compile", "-o", "out", "--kustomization", "jobs"], tmp)
        p = subprocess.run(["sha256sum", "-c", ".sparkc-index"], cwd=os.path.join(tmp, "out"), capture_output=True)
        listed = [line.split("  ", 1) for line in index_lines(os.path.join(tmp, "out")) if "  " in line]
        result("hostile dir: sha256sum -c checks every file the index lists",
               code == 0 and p.returncode == 0 and len(listed) == 6 and all(
                   h == sha(os.path.join(tmp, "out", f)) for h, f in listed), p.stdout.decode() + p.stderr.decode())


def check_signal_during_index_read(sanitized, plain, result):
    """7. SIGTERM and SIGINT (a CI cancel, Ctrl-C) while a 30 MB index is being read end
    the run within a second, and leave DIR as it was."""
    with tempfile.TemporaryDirectory() as tmp:
        jobs(tmp, [("etl", "prod", 1)])
        sh([plain, "compile", "-o", "out", "jobs"], tmp)
        idx = os.path.join(tmp, "out", ".sparkc-index")
        with open(idx, "a") as f:
            size, i = 0, 0
            while size < 30 << 20:
                line = f"{hashlib.sha256(str(i).encode()).hexdigest()}  prod/job-{i:07d}.yaml\n"
                f.write(line)
                size += len(line)
                i += 1
        jobs(tmp, [("etl", "prod", 2)])
        before = snapshot(os.path.join(tmp, "out"))
        bad, interrupted = [], 0
        for k, (sig, delay) in enumerate([(signal.SIGTERM, 0.05), (signal.SIGINT, 0.1), (signal.SIGTERM, 0.2),
                                          (signal.SIGINT, 0.3), (signal.SIGTERM, 0.4), (signal.SIGINT, 0.5)]):
            argv = [plain, "compile", "-o", "out", "jobs"] if k % 2 == 0 else \
                [plain, "compile", "--check", "-o", "out", "jobs"]
            p = subprocess.Popen(argv, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
            time.sleep(delay)
            if p.poll() is not None:
                continue        # done before the signal: nothing to learn
            sent = time.monotonic()
            p.send_signal(sig)
            try:
                code = p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                code = p.wait()
            took = time.monotonic() - sent
            what = f"{' '.join(argv[1:3])}, {sig.name} after {delay} s"
            if code == 0:
                continue        # it finished first
            interrupted += 1
            if took > 1.0:
                bad.append(f"{what}: ended {took:.2f} s after the signal")
            if snapshot(os.path.join(tmp, "out")) != before or leftovers(os.path.join(tmp, "out")):
                bad.append(f"{what}: exit {code}, DIR changed or staging left")
        result(f"hostile dir: SIGTERM and SIGINT during a 30 MB index read end the run within a second, DIR as it "
               f"was ({interrupted} runs interrupted)", not bad and interrupted >= 3, "\n".join(bad))


def check_diff_applies(sanitized, plain, result):
    """8. --diff is now a linear-space diff: over 150 files in DIR made from a manifest by
    random edits (lines dropped, repeated, moved, changed, the last newline lost), GNU
    patch applies each diff to give exactly what -o writes, and each changes as few
    lines as GNU diff's minimal diff (diff -d)."""
    import random
    rnd = random.Random(2311)
    bad = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(150):
            args = ", ".join(str(rnd.randint(0, 3)) for _ in range(rnd.randint(0, 20)))
            put(os.path.join(tmp, "jobs", "etl.yaml"), "kind: spark\nmetadata: {name: etl, namespace: prod}\n"
                f"spec: {{command: /app/x.py, image: spark:3.5.1, replicas: {rnd.randint(1, 9)}, args: [{args}]}}\n")
            _, new, _ = sh([plain, "compile", "jobs"], tmp)
            lines = new.splitlines(True)
            old = list(lines)
            for _ in range(rnd.randint(1, 15)):
                op = rnd.random()
                if op < 0.3 and old:
                    del old[rnd.randrange(len(old))]
                elif op < 0.6:
                    old.insert(rnd.randint(0, len(old)), rnd.choice(lines + ["x: 1\n", "  - y\n"]))
                elif old:
                    old[rnd.randrange(len(old))] = rnd.choice(lines)
            old = "".join(old)
            if rnd.random() < 0.2:
                old = old.rstrip("\n")
            put(os.path.join(tmp, "out", "prod", "etl.yaml"), old)
            code, diff, err = sh([sanitized, "compile", "--diff", "-o", "out", "jobs"], tmp)
            put(os.path.join(tmp, "d.diff"), diff)
            p = subprocess.run(["patch", "-s", "-p0", "-d", "out", "-i", "../d.diff"], cwd=tmp, capture_output=True)
            got = open(os.path.join(tmp, "out", "prod", "etl.yaml")).read()
            put(os.path.join(tmp, "old"), old)
            put(os.path.join(tmp, "new"), new)
            gnu = subprocess.run(["diff", "-u", "-d", "old", "new"], cwd=tmp, capture_output=True).stdout.decode()

            def changed(d):
                return sum(1 for line in d.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---")))
            if got != new or (old != new and code != 1) or changed(diff) != changed(gnu) or not sanitizer_clean(err):
                bad.append(f"case {i}: exit {code}, patch {p.returncode} {p.stderr.decode()[:200]}, "
                           f"{changed(diff)} lines changed where GNU diff changes {changed(gnu)}\n{diff[:800]}")
                if len(bad) > 3:
                    break
    result("hostile dir: 150 random --diff cases: patch applies each, as short as GNU diff's minimal", not bad,
           "\n".join(bad))


CHECKS = [check_signal_during_index_read, check_index_line_for_hand_written_file, check_index_line_for_kustomization,
          check_new_job_over_hand_written_file, check_committed_staging_and_dirs, check_other_kustomizations,
          check_kustomization_job_counts, check_tolerated_index_forms, check_index_hashes, check_diff_applies]
