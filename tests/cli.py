"""The command line as a user meets it: every command's options and help, make install,
and the README's examples run as written."""
import os
import re
import shlex
import shutil
import subprocess
import tempfile

import options
from harness import HERE, ROOT, ENV, result, run, diff


SAMPLE_VALUE = {"FMT": "json", "WHEN": "auto", "RULE": "executor-cores", "LEVEL": "warning", "GLOB": "drafts/", "DIR": ".", "NS": "ns", "BYTES": "1000", "N": "10", "CRON": "@daily", "PATH": "x"}


def run_cli(sanitized):
    env = dict(ENV)
    # the commands and their options come from --help; tests/options.py checks that
    # the completions and the man page list the same
    for command in options.help_commands(sanitized):
        code, out, err = run([sanitized, command, "--help"], ROOT)
        # and every option the help names is one the parser takes
        listed = re.findall(r"^\s+(?:-\w, )?(--[a-z-]+)(?: ([A-Z]+))?", out, re.M)
        bad = []
        for opt, metavar in listed:
            argv = [sanitized, command, opt] + ([SAMPLE_VALUE.get(metavar, "x")] if metavar else []) + ["--help"]
            c2, o2, e2 = run(argv, ROOT)
            if c2 != 0:
                bad.append(f"{opt}: exit {c2} {e2.strip()}")
        result(f"cli: {command} accepts every option its help names", not bad and listed, "\n".join(bad))
    # --opt=value and --opt value, short options, and -- ending the options
    job = os.path.join(ROOT, "samples", "sparkreadcsv.yaml")
    a = run([sanitized, "compile", "--format=json", "--namespace=prod", job], ROOT)
    b = run([sanitized, "compile", job, "--format", "json", "-n", "prod"], ROOT)
    result("cli: --opt=value, --opt value and options after files agree", a == b and a[0] == 0, f"{a[2]}{b[2]}")
    c = run([sanitized, "compile", "--", "-n"], ROOT)
    result("cli: -- ends the options", c[0] == 2 and "cannot read -n" in c[2], c[2])
    d = run([sanitized, "validate", "--output", "x", job], ROOT)
    result("cli: an option of another command is refused", d[0] == 2 and "does not take" in d[2], d[2])
    # colour only on a terminal, and never with NO_COLOR
    import pty
    bad_job = os.path.join(HERE, "cases", "err-name", "a.yaml")
    def on_tty(extra_env):
        pid, fd = pty.fork()
        if pid == 0:
            e = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
            e.update(TERM="xterm", ASAN_OPTIONS="detect_leaks=0", **extra_env)
            os.execve(sanitized, [sanitized, "validate", bad_job], e)
        chunks = []
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        os.waitpid(pid, 0)
        return b"".join(chunks).decode("utf-8", "replace")
    result("cli: colour on a terminal", "\x1b[" in on_tty({}), "")
    result("cli: no colour with NO_COLOR", "\x1b[" not in on_tty({"NO_COLOR": "1"}), "")
    piped = run([sanitized, "validate", bad_job], ROOT)
    result("cli: no colour when not a terminal", "\x1b[" not in piped[2], piped[2])


def run_install():
    with tempfile.TemporaryDirectory() as prefix:
        p = subprocess.run(["make", "-s", "install", f"PREFIX={prefix}"], cwd=ROOT, capture_output=True, env=ENV)
        result("install: make install PREFIX=...", p.returncode == 0, p.stderr.decode()[-2000:])
        if p.returncode:
            return
        page = os.path.join(prefix, "share", "man", "man1", "sparkc.1")
        m = subprocess.run(["man", "--warnings", "-l", page], capture_output=True,
                           env=dict(ENV, MANWIDTH="80", MANPAGER="cat", PAGER="cat"))
        text = m.stdout.decode()
        result("install: man -l renders sparkc.1 without warnings",
               m.returncode == 0 and "SYNOPSIS" in text and "EXIT STATUS" in text and not m.stderr.strip(),
               m.stderr.decode())
        comp = os.path.join(prefix, "share", "bash-completion", "completions", "sparkc")
        script = (f"source {shlex.quote(comp)} && complete -p sparkc && "
                  "COMP_WORDS=(sparkc val) COMP_CWORD=1 && _sparkc && echo \"${COMPREPLY[@]}\" && "
                  "COMP_WORDS=(sparkc validate --for) COMP_CWORD=2 && _sparkc && echo \"${COMPREPLY[@]}\" && "
                  "COMP_WORDS=(sparkc validate --format s) COMP_CWORD=3 && _sparkc && echo \"${COMPREPLY[@]}\" && "
                  "COMP_WORDS=(sparkc compile --operator-version m) COMP_CWORD=3 && _sparkc && echo \"${COMPREPLY[@]}\"")
        b = subprocess.run(["bash", "-c", script], capture_output=True,
                           env=dict(ENV, PATH=os.path.join(prefix, "bin") + os.pathsep + ENV.get("PATH", "")))
        out = b.stdout.decode().splitlines()
        result("install: bash completion loads and completes (releases from sparkc --version)",
               b.returncode == 0 and not b.stderr and out[1:] == ["validate", "--format", "sarif", "master"],
               b.stdout.decode() + b.stderr.decode())
        # a job file is committed and opened on other machines: its schema line names
        # the schema beside it, whatever PREFIX the sparkc that wrote it has
        installed = os.path.join(prefix, "bin", "sparkc")
        i = subprocess.run([installed, "init", "job"], capture_output=True)
        first = i.stdout.decode().splitlines()[0] if i.stdout else ""
        result("install: init names the schema beside the job, not the installed one",
               first == "# yaml-language-server: $schema=sparkjob.schema.json" and prefix not in i.stdout.decode(),
               first)


# ---- hostile input -----------------------------------------------------------------



def check_readme(sparkc):
    """The README's tour shows real output: each ```-block that starts with
    `$ sparkc ...` is run (in a directory holding samples/ and tests/readme/'s files)
    and must print what the block shows, up to a closing `...` line."""
    text = open(os.path.join(ROOT, "README.md")).read()
    blocks = re.findall(r"```\n\$ (sparkc [^\n]*)\n(.*?)```", text, re.S)
    with tempfile.TemporaryDirectory() as tmp:
        os.symlink(os.path.join(ROOT, "samples"), os.path.join(tmp, "samples"))
        for name in os.listdir(os.path.join(HERE, "readme")):
            shutil.copy(os.path.join(HERE, "readme", name), tmp)
        for command, shown in blocks:
            argv = shlex.split(command)
            code, out, err = run([sparkc] + argv[1:], tmp)
            lines = shown.splitlines()
            if lines and lines[-1].strip() == "...":
                lines = lines[:-1]
                got = (out + err).splitlines()[:len(lines)]
            else:
                got = (out + err).splitlines()
            result(f"README: {command}", got == lines, diff("\n".join(lines) + "\n", "\n".join(got) + "\n"))
    result("README: the tour shows compile, validate and explain", len(blocks) >= 3, f"{len(blocks)} blocks")
