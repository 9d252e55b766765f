#!/usr/bin/env python3
"""sparkc's test runner: the one entry point of `make test`. Each kind of test lives in
its own file (cases.py, corpus.py, cli.py, hostile.py, valgrind.py, files.py, bounds.py,
editor.py, reports.py, krm.py, lsp.py, argocd.py, ...) and shares harness.py's runner and count;
this file runs them side by side (harness.run_groups: the longest first, a line per
file of tests as its last check ends) and prints the closing `N passed, N failed`.

The cases (tests/cases.py) walk tests/cases/*/ and check what sparkc does with each.

A case is a directory. What it runs:
  cmd        arguments for sparkc, one line (default: compile input.yaml)
  script.sh  or a shell script, run with $SPARKC set (for -o, --check, directories)
  stdin      fed to standard input if present
What it expects (each optional, compared exactly):
  expected.out   standard output
  expected.err   standard error
  exit           exit status (default 0)
Every YAML manifest a case prints is also checked by tools sparkc does not share code
with: the Spark operator's strict CRD schema (Python jsonschema), PyYAML (a YAML 1.1
reader) reading back the same values as `--format json` gives, and yamllint.
Then tests/validation/: each file ends with `# expect: RULE LINE:COL` lines naming
exactly the diagnostics `sparkc validate` must report, and Python jsonschema, reading
the same file as YAML 1.2 with schemas/sparkjob.schema.json, must reach the same
valid/invalid verdict as sparkc's schema layer. Then the fuzzer's regression inputs and corpus
run, and valgrind runs sparkc over samples/.

usage: tests/run.py SPARKC_SANITIZED SPARKC [--valgrind=SPARKC_DYNAMIC] [--update] [CASE...]
(valgrind needs a dynamically linked sparkc; SPARKC by default)
"""
import os
import sys

# Temporary directories in memory where the system has such a file system: the tests
# write and remove hundreds of thousands of small files (100,000 jobs with -o, runs
# signalled at random points), which on a disk shared with other work waits minutes on
# its journal and takes seconds in memory. A TMPDIR already set is kept.
if "TMPDIR" not in os.environ and os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK | os.X_OK):
    os.environ["TMPDIR"] = "/dev/shm"

import harness
from harness import HERE, ROOT, ENV, result, run

import argocd
import bounds
import krm
import linkage
import makefile
import options
import pyyaml_syntax
import reports
import roundtrip
import rules
import spark_registry
from cases import run_case
from cli import check_readme, run_cli, run_install
from corpus import Core12Loader, run_corpus
from hostile import check_fuzz_inputs, check_utf8_across_reads, run_hostile
from valgrind import check_samples, run_valgrind


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    update = "--update" in sys.argv
    grind = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--valgrind=")), args[1])
    sanitized, plain = os.path.abspath(args[0]), os.path.abspath(args[1])
    only = set(args[2:])
    cases_dir = os.path.join(HERE, "cases")
    # Every case and every section is independent of the others (each works in its own
    # temporary directory), so they run side by side, the longest first; each file of
    # tests is a group, and prints a line when its last job ends.
    jobs = []
    if not only or "hostile" in only:
        jobs += [(run_hostile, sanitized, plain), (check_utf8_across_reads, sanitized),
                 (bounds.run, result, run, sanitized, plain, os.path.join(os.path.dirname(plain), "runstat"))]
    if not only:
        jobs += [(check_fuzz_inputs, sanitized), (run_valgrind, os.path.abspath(grind)),
                 (linkage.check_linkage, result, plain, os.path.abspath(grind)),
                 (pyyaml_syntax.check_syntax_verdicts, result, run, plain, ROOT),
                 (check_samples, sanitized, plain)]
    if not only or "files" in only:
        import files  # tests/files.py: hostile file systems, signals, scale
        import hostile_dir  # tests/hostile_dir.py: a committed DIR and index as a pull request makes them
        jobs += [(check, sanitized, plain, result) for check in files.CHECKS + hostile_dir.CHECKS]
    if not only or "validation" in only:
        jobs.append((run_corpus, sanitized, update))
    if not only or "secrets" in only:
        import secret_masking
        jobs.append((secret_masking.run, sanitized, result, ENV))
    if not only or "registry" in only:
        jobs.append((spark_registry.check_registry, result, sanitized))
    if not only or "cli" in only:
        jobs += [(check_readme, sanitized), (run_cli, sanitized), (run_install,), (makefile.check_makefile, ROOT, result)]
        jobs.append((options.check_options, sanitized, ROOT, result))
    if not only or "editor" in only:
        import editor
        jobs += editor.jobs(sanitized, plain, result, Core12Loader)
    if not only or "reports" in only:
        jobs.append((reports.check, sanitized, result, ENV))
    if not only or "rules" in only:
        jobs.append((rules.check, sanitized, result, ENV))
    if not only or "roundtrip" in only:
        jobs.append((roundtrip.check, sanitized, result))
    if not only or "krm" in only:
        jobs.append((krm.check, sanitized, result, ENV))
    if not only or "lsp" in only:
        import lsp  # tests/lsp.py: sparkc lsp driven as an editor drives it
        jobs += lsp.jobs(sanitized, plain, result)
    if not only or "lsp" in only or "lsp_editors" in only:
        import lsp_editors  # tests/lsp_editors.py: sparkc lsp in Neovim, Emacs, Helix, VS Code
        jobs += lsp_editors.jobs(sanitized, result)
    if not only or "argocd" in only:
        jobs.append((argocd.check, sanitized, result, ENV))
    if not only or "operator" in only:
        import operator_manifests  # tests/operator_manifests.py: SparkApplication manifests as input
        jobs.append((operator_manifests.check, sanitized, result))
        import upstreams  # tests/upstreams.py: schemas/upstreams.yaml against its readers
        jobs.append((upstreams.check, sanitized, result))
    jobs += [(run_case, os.path.join(cases_dir, name), sanitized, update)
             for name in sorted(os.listdir(cases_dir)) if not only or name in only]

    harness.run_groups(jobs, os.path.join(os.path.dirname(plain), "test-times.json"))
    print(f"{harness.passed} passed, {harness.failed} failed")
    sys.exit(1 if harness.failed else 0)


main()
