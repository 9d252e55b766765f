"""The command line's options, written in several places, agree.

Each command's options live in main.c (the parser's table and the --help text), in
both completion scripts (completions/sparkc.bash, completions/_sparkc) and in the man
page (doc/sparkc.1). `sparkc <command> --help` is taken as the reference, and for
every command the checks here compare with it:

  - the parser: every option of another command is refused, naming the option (not
    its value), and every long option in main.c's table is named by some command's
    help;
  - bash: the options offered after `sparkc <command> -`, and the options whose
    value it must not complete as an option (its `case "$prev"`);
  - zsh: the options of the command's `_arguments`, and which of them take a value;
  - the man page: the options its SYNOPSIS shows for the command (`[limits]` and
    `[reporting]` stand for the options of its "Limits on untrusted input" and
    "Reporting" sections), and each OPTIONS
    entry, with its short form and whether it takes a value.

-h/--help is taken by every command: both scripts offer it everywhere, and the man
page documents it once. The list of commands is compared too.

Called from tests/run.py: check_options(sparkc, root, result).
"""
import os
import re
import subprocess

HELP = {"-h", "--help"}


def _run(argv):
    p = subprocess.run(argv, capture_output=True, timeout=60,
                       env=dict(os.environ, NO_COLOR="1", ASAN_OPTIONS="detect_leaks=1"))
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


# ---- the reference: --help ------------------------------------------------------

def help_commands(sparkc):
    """The commands `sparkc --help` lists, in its order."""
    out = _run([sparkc, "--help"])[1]
    section = re.search(r"^commands:\n(.*?)(?:\n\n|\Z)", out, re.M | re.S)
    return re.findall(r"^  ([a-z]+)  ", section.group(1), re.M) if section else []


def help_options(sparkc, command):
    """{option: (short or None, takes a value)} from `sparkc COMMAND --help`, keyed by
    the long form."""
    out = _run([sparkc, command, "--help"])[1]
    opts = {}
    for short, long_, metavar in re.findall(r"^ +(?:(-\w), )?(--[a-z][a-z-]*)(?: ([A-Z]+))?", out, re.M):
        opts[long_] = (short or None, bool(metavar))
    return opts


def spellings(opts):
    """Every way of writing the options: short and long forms."""
    return {o for long_, (short, _) in opts.items() for o in (long_, short) if o}


# ---- the places that must agree ---------------------------------------------------

def bash_options(text):
    """({command: options offered}, options whose value is not completed as an option,
    commands offered after `sparkc`)."""
    groups = {"$" + name: words.split() for name, words in re.findall(r'local (limits|reporting)="([^"]*)"', text)}
    per_command = {}
    for cmd, opts in re.findall(r'^\s*(\w+)\) opts="([^"]*)"', text, re.M):
        words = opts.split()
        per_command[cmd] = {w for w in words if w not in groups}
        for w in words:
            per_command[cmd] |= set(groups.get(w, ()))
    prev_case = re.search(r'case "\$prev" in\n(.*?)\n\tesac', text, re.S).group(1)
    takes_value = set()
    for pattern in re.findall(r"^\t(-[-\w|]+)\)", prev_case, re.M):
        takes_value |= set(pattern.split("|"))
    first = re.search(r'COMP_CWORD" -eq 1.*?compgen -W "([^"]*)"', text, re.S).group(1).split()
    return per_command, takes_value, [w for w in first if not w.startswith("-")]


ZSH_PAIR = re.compile(r"\{(-\w),(--[\w-]+)\}'\[[^\]]*\](:?)")
ZSH_ONE = re.compile(r"'(?:\([^)]*\))?\*?(--?[\w-]+)\[[^\]]*\](:?)")


def _zsh_specs(text):
    """{option: takes a value} of the _arguments specs in text."""
    specs = {}
    for short, long_, value in ZSH_PAIR.findall(text):
        specs[short] = specs[long_] = bool(value)
    for opt, value in ZSH_ONE.findall(text):
        specs[opt] = bool(value)
    return specs


def zsh_options(text):
    """({command: {option: takes a value}}, commands offered after `sparkc`)."""
    groups = {"$" + name: _zsh_specs(specs)
              for name, specs in re.findall(r"\t(limits|reporting)=\((.*?)\n\t\)", text, re.S)}
    body = re.search(r"case \$words\[2\] in\n(.*?)\n\tesac", text, re.S).group(1)
    per_command = {}
    for cmd, branch in re.findall(r"^\t(\w+)\)\n?(.*?);;", body, re.M | re.S):
        specs = _zsh_specs(branch)
        for name, group in groups.items():
            if name in branch:
                specs.update(group)
        per_command[cmd] = specs
    first = re.search(r"_values 'command' ([^\n]*)", text).group(1).split()
    return per_command, first


def _roff(s):
    """Text of a roff line, escapes undone: \\- is -, font changes dropped."""
    return re.sub(r"\\f[BIRP]", "", s).replace("\\-", "-")


def man_options(text):
    """({command: long options in its SYNOPSIS}, {option: (short or None, takes a value)}
    of the OPTIONS section, commands with a SYNOPSIS line)."""
    synopsis = re.search(r"^\.SH SYNOPSIS\n(.*?)^\.SH ", text, re.M | re.S).group(1)
    options = re.search(r"^\.SH OPTIONS\n(.*?)^\.SH ", text, re.M | re.S).group(1)
    entries = {}
    groups = {"limits": set(), "reporting": set()}   # the sections a SYNOPSIS names as [limits], [reporting]
    group = None
    lines = options.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(".SS"):
            group = next((g for g in groups if g in line.lower()), None)
        if line != ".TP" or i + 1 >= len(lines):
            continue
        head = lines[i + 1]
        names = re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", _roff(head))
        if not names or not head.startswith("."):
            continue
        long_ = next((n for n in names if n.startswith("--")), None)
        short = next((n for n in names if not n.startswith("--")), None)
        if long_:
            entries[long_] = (short, head.startswith(".BI") or "\\fI" in head)
            if group:
                groups[group].add(long_)
    per_command = {}
    for cmd, block in re.findall(r"^\.B sparkc (\w+)\n(.*?)(?=^\.br|\Z)", synopsis, re.M | re.S):
        names = set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", _roff(block)))
        short_to_long = {s: l for l, (s, _) in entries.items() if s}
        per_command[cmd] = {short_to_long.get(n, n) for n in names}
        for name, members in groups.items():
            if re.search(r"^\.RI \[ %s \]" % name, block, re.M):
                per_command[cmd] |= members
    return per_command, entries, list(per_command)


# ---- the checks --------------------------------------------------------------------

def _diff(want, got):
    return f"missing {sorted(set(want) - set(got))}, extra {sorted(set(got) - set(want))}"


def check_options(sparkc, root, result):
    commands = help_commands(sparkc)
    result("options: sparkc --help lists the commands", "compile" in commands and "validate" in commands,
           f"{commands}")
    ref = {c: help_options(sparkc, c) for c in commands}
    for c, opts in ref.items():
        result(f"options: {c} --help lists -h, --help", opts.get("--help") == ("-h", False), f"{opts}")

    # the parser takes exactly the options of the help, and its table holds no others
    every = {}
    for opts in ref.values():
        every.update(opts)
    for c in commands:
        wrongly = []
        for long_, (_, value) in sorted(every.items()):
            if long_ in ref[c]:
                continue
            code, _, err = _run([sparkc, c, long_] + (["x"] if value else []) + ["--help"])
            if code != 2 or f"{c} does not take the option '{long_}'" not in err:
                wrongly.append(f"{long_}: exit {code} {err.strip()[:200]}")
        result(f"options: {c} refuses the options its help does not name", not wrongly, "\n".join(wrongly))
    main_c = open(os.path.join(root, "compiler", "main.c")).read()
    table = re.findall(r'\{"([a-z][a-z-]*)", (?:no|required|optional)_argument', main_c)
    result("options: every option in main.c's table is in some command's help",
           table and not {"--" + t for t in table} - set(every),
           f"table {table}; not in any help: {sorted({'--' + t for t in table} - set(every))}")

    # bash
    bash_cmds, bash_value, bash_first = bash_options(open(os.path.join(root, "completions", "sparkc.bash")).read())
    result("options: bash completes the commands of --help", sorted(bash_first) == sorted(commands),
           _diff(commands, bash_first))
    for c in commands:
        want = spellings(ref[c])
        got = bash_cmds.get(c, set())
        result(f"options: bash offers the options of {c} --help", got == want, _diff(want, got))
    value_taking = {o for opts in ref.values() for long_, (short, v) in opts.items() if v for o in (long_, short) if o}
    result("options: bash knows which options take a value", bash_value == value_taking,
           _diff(value_taking, bash_value))

    # zsh
    zsh_cmds, zsh_first = zsh_options(open(os.path.join(root, "completions", "_sparkc")).read())
    result("options: zsh completes the commands of --help", sorted(zsh_first) == sorted(commands),
           _diff(commands, zsh_first))
    for c in commands:
        want = {o: v for long_, (short, v) in ref[c].items() for o in (long_, short) if o}
        got = zsh_cmds.get(c, {})
        result(f"options: zsh offers the options of {c} --help", got == want,
               _diff(want, got) + f"; takes a value: want {want}, got {got}")

    # the man page
    man_cmds, man_entries, man_first = man_options(open(os.path.join(root, "doc", "sparkc.1")).read())
    result("options: the man page's SYNOPSIS has the commands of --help", sorted(man_first) == sorted(commands),
           _diff(commands, man_first))
    for c in commands:
        want = set(ref[c]) - HELP
        got = man_cmds.get(c, set())
        result(f"options: the man page's SYNOPSIS shows the options of {c} --help", got == want, _diff(want, got))
    want = {}   # documented once: with a value if some command takes one (schema's --config takes none)
    for opts in ref.values():
        for long_, spec in opts.items():
            if long_ not in want or spec[1]:
                want[long_] = spec
    result("options: the man page's OPTIONS describe every option, short form and value as --help",
           man_entries == want, _diff(want, man_entries) +
           "".join(f"\n{o}: --help {want[o]}, man {man_entries[o]}" for o in want
                   if o in man_entries and man_entries[o] != want[o]))
