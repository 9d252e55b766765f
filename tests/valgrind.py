"""valgrind over samples/, and the samples through the sanitized and the release build."""
import os
import shutil
import subprocess

from harness import ROOT, result, run
from cases import check_manifests


def run_valgrind(sparkc):
    if not shutil.which("valgrind"):
        result("valgrind samples", False, "valgrind is not installed")
        return
    p = subprocess.run(["valgrind", "-q", "--leak-check=full", "--show-leak-kinds=all",
                        "--errors-for-leak-kinds=all", "--error-exitcode=99",
                        os.path.abspath(sparkc), "compile", "samples/"],
                       cwd=ROOT, capture_output=True, timeout=300)
    result("valgrind samples", p.returncode == 0, p.stderr.decode()[-4000:])


# ---- the validation corpus and the differential test ---------------------------------



def check_samples(sanitized, plain):
    """The samples compile and pass the manifest checks; the release build agrees."""
    code, out, err = run([sanitized, "compile", "samples/"], ROOT)
    result("samples compile", code == 0 and not err, err)
    if code == 0:
        check_manifests("samples", out, sanitized, ["compile", "samples/"], ROOT, None)
    release = run([plain, "compile", "samples/"], ROOT)
    result("the release build prints what the sanitized build prints", release == (code, out, err))
