#!/usr/bin/env python3
"""make test-dist: the release `make dist` wrote, installed and run as its users do.

- one version everywhere: compiler/version.h, each binary's `--version`, the man
  page, CHANGELOG.md, the archive, package and image names, the package's and the
  image's own fields; one home: the repository URLs and `uses:` of the docs are
  compiler/version.h's SPARKC_REPOSITORY; the libraries the build links are named
  wherever a user is told what building sparkc needs (the hooks, the README);
- the archives: SHA256SUMS (sha256sum -c), what each holds, a static binary of its
  architecture; the linux-arm64 binary passes the cases under qemu-user-static;
- the .deb: lintian, then installed, run, listed and removed with dpkg (in a root of
  its own, --root, so the test leaves the machine as it was; arm64 too, as a foreign
  architecture of that root);
- the OCI image: its layout read as a runtime reads it (digests checked), its root
  unpacked and run per its configuration (entrypoint, user, working directory) in
  bubblewrap: the root read-only, only the working directory writable, no /tmp,
  /proc or /dev, no network; validate, compile to stdout, compile -o;
- portable C: built with -D_POSIX_C_SOURCE=200809L alone, and with musl (libyaml
  and jansson for musl from Debian's source packages, built with their own CMake
  builds), each passing the cases;
- action.yml: its steps run as the runner runs them (bash, the step's env: with the
  inputs, GITHUB_PATH between steps) with a fake GITHUB_* environment: from the
  release archive (amd64, arm64), from source when no release matches;
- .pre-commit-hooks.yaml: the real pre-commit from a file:// clone of the repository
  on a PATH without sparkc: the hooks build sparkc once, catch two jobs with the
  same name in different files, and the manifests hook runs on a hand edit under
  manifests/; a commit that changes only a ServiceAccount passes, one that adds a job
  whose name another file has fails.

usage: tests/dist.py DIST_DIR [CHECK...]   (CHECK: versions, home, needs, archives, deb, image,
                                          action, precommit, arm64, posix, musl; default all)
Ends with `N passed, N failed`."""
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import traceback
from concurrent.futures import ThreadPoolExecutor

import yaml

import harness
from harness import ROOT, result

PY = "/usr/bin/python3"
VERSION_H = open(os.path.join(ROOT, "compiler", "version.h")).read()
VERSION = re.search(r'#define SPARKC_VERSION "(.*)"', VERSION_H)[1]
HOME = re.search(r'#define SPARKC_REPOSITORY "(.*)"', VERSION_H)[1]
ARCHS = {"amd64": 62, "arm64": 183}         # Debian's architecture -> ELF e_machine
QEMU = {"arm64": "qemu-aarch64-static"}
HOST = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
CASES = sorted(os.listdir(os.path.join(ROOT, "tests", "cases")))


def sh(argv, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("timeout", 600)
    p = subprocess.run(argv, **kw)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def elf(path):
    """(e_machine, dynamically linked) of an ELF executable, else (None, None)."""
    with open(path, "rb") as f:
        data = f.read(1 << 16)
    if data[:4] != b"\x7fELF" or data[4] != 2:
        return None, None
    machine = int.from_bytes(data[18:20], "little")
    phoff, phentsize, phnum = (int.from_bytes(data[32:40], "little"), int.from_bytes(data[54:56], "little"),
                               int.from_bytes(data[56:58], "little"))
    types = [int.from_bytes(data[phoff + i * phentsize:phoff + i * phentsize + 4], "little") for i in range(phnum)]
    return machine, 3 in types      # PT_INTERP: asks for a dynamic loader


def runner_for(binary, arch, tmp):
    """A path that runs BINARY: itself on this machine, through qemu on another."""
    if arch == HOST:
        return binary
    os.makedirs(tmp, exist_ok=True)
    wrapper = os.path.join(tmp, f"sparkc-{arch}")
    with open(wrapper, "w") as f:
        f.write(f'#!/bin/sh\nexec {QEMU[arch]} "{binary}" "$@"\n')
    os.chmod(wrapper, 0o755)
    return wrapper


def first_line(argv):
    code, out, err = sh(argv)
    return out.splitlines()[0] if code == 0 and out else f"exit {code}: {out}{err}"


def check_cases(name, sparkc):
    """tests/run.py's cases and validation corpus with SPARKC in place of both builds."""
    code, out, err = sh([PY, os.path.join(ROOT, "tests", "run.py"), sparkc, sparkc] + CASES + ["validation"],
                        cwd=ROOT, timeout=1800)
    last = (out.strip().splitlines() or ["no output"])[-1]
    counts = re.fullmatch(r"(\d+) passed, (\d+) failed", last)
    result(f"dist: {name} passes the cases and the validation corpus ({last})",
           code == 0 and counts and int(counts[2]) == 0 and int(counts[1]) > len(CASES), (out + err)[-4000:])


def snapshot(dest):
    """The working tree as git sees it (tracked and new files, not ignored ones)."""
    code, out, _ = sh(["git", "-C", ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"])
    for rel in sorted(set(out.split("\0")) - {""}):
        src = os.path.join(ROOT, rel)
        if os.path.lexists(src):
            os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
            shutil.copy2(src, os.path.join(dest, rel), follow_symlinks=False)


def git(repo, *args):
    return sh(["git", "-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.com", *args])


# ---- versions and archives ----------------------------------------------------------------

class Release:
    """The archives unpacked once, for every check that runs their binaries."""

    def __init__(self, dist, tmp):
        self.dist, self.tmp = dist, tmp
        self.names = {arch: f"sparkc-{VERSION}-linux-{arch}" for arch in ARCHS}
        self.binary, self.runner = {}, {}
        for arch, name in self.names.items():
            path = os.path.join(dist, name + ".tar.gz")
            if os.path.exists(path):
                with tarfile.open(path) as t:
                    t.extractall(tmp)
                self.binary[arch] = os.path.join(tmp, name, "sparkc")
                self.runner[arch] = runner_for(self.binary[arch], arch, tmp)


def check_versions(rel):
    want = f"sparkc {VERSION}"
    for arch in ARCHS:
        got = first_line([rel.runner[arch], "--version"]) if arch in rel.runner else "no archive"
        result(f"version: the linux-{arch} binary says '{want}'", got == want, got)
    man = open(os.path.join(ROOT, "doc", "sparkc.1")).readline()
    result("version: the man page's .TH names it", f'"{want}"' in man, man)
    releases = re.findall(r"^## \[(\d[^\]]*)\]", open(os.path.join(ROOT, "CHANGELOG.md")).read(), re.M)
    result("version: CHANGELOG.md's latest release is it", releases[:1] == [VERSION], str(releases[:3]))
    named = []
    for doc in ("README.md", "examples/argocd/README.md", ".pre-commit-hooks.yaml", "action.yml"):
        text = open(os.path.join(ROOT, doc)).read()
        named += [(doc, v) for v in re.findall(r"(?:sparkc[-_:]|sparkc@v|rev: v|/v)(\d+\.\d+\.\d+)\b", text)]
    result("version: the README, the examples, the hooks and the Action name this version",
           named and all(v == VERSION for _, v in named), str(sorted(set(named))))
    files = sorted(os.listdir(rel.dist))
    want_files = sorted([f"{n}.tar.gz" for n in rel.names.values()] + [f"{n}.oci.tar" for n in rel.names.values()]
                        + [f"sparkc_{VERSION}_{a}.deb" for a in ARCHS] + ["SHA256SUMS"])
    result("dist: make dist wrote the archives, packages and images of this version, and SHA256SUMS",
           files == want_files, f"{files}\nwanted {want_files}")


def check_home():
    """The project's home is compiler/version.h's SPARKC_REPOSITORY (which the binary
    prints and puts into SARIF): every repository URL and `uses:` of the docs names it."""
    owner_name = re.fullmatch(r"https://github\.com/([^/]+/[^/]+)", HOME)
    named = []
    for doc in ("README.md", "examples/argocd/README.md", "action.yml", ".pre-commit-hooks.yaml", "docs/design.md"):
        text = open(os.path.join(ROOT, doc)).read()
        named += [(doc, m) for m in re.findall(r"https://github\.com/[\w.<>-]+/sparkc\b", text)]
        named += [(doc, "https://github.com/" + m) for m in re.findall(r"uses: ([\w.<>-]+/sparkc)@", text)]
    result("home: compiler/version.h's SPARKC_REPOSITORY is a GitHub repository, and the docs name it alone",
           owner_name and named and all(u == HOME for _, u in named), f"{HOME}: {sorted(set(named))}")


def check_needs():
    """A user who builds sparkc (pre-commit's first run, the Action without a release,
    from source) is told every library the Makefile links: a missing jansson fails the
    build as surely as a missing libyaml."""
    makefile = open(os.path.join(ROOT, "Makefile")).read()
    libs = sorted({{"yaml-0.1": "libyaml"}.get(n, n) for n in re.findall(r"pkg-config --libs ([\w.-]+)", makefile)})
    readme = open(os.path.join(ROOT, "README.md")).read()
    texts = {
        "tools/pre-commit-sparkc": open(os.path.join(ROOT, "tools", "pre-commit-sparkc")).read(),
        ".pre-commit-hooks.yaml": open(os.path.join(ROOT, ".pre-commit-hooks.yaml")).read(),
        "README.md's pre-commit": readme.partition("**pre-commit**")[2].partition("\n\n")[0],
        "README.md's from source": readme.partition("**From source**")[2].partition("\n\n")[0],
    }
    missing = [(where, lib) for where, text in texts.items() for lib in libs if lib not in text]
    result(f"needs: the hooks' build message and the README name every library the build links ({', '.join(libs)})",
           len(libs) >= 2 and not missing, str(missing))


def check_archives(rel):
    code, out, err = sh(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=rel.dist)
    listed = sorted(line.split()[1].lstrip("*") for line in open(os.path.join(rel.dist, "SHA256SUMS")))
    result("archives: sha256sum -c SHA256SUMS, which lists every other file",
           code == 0 and listed == sorted(set(os.listdir(rel.dist)) - {"SHA256SUMS"}), out + err)
    for arch, name in rel.names.items():
        with tarfile.open(os.path.join(rel.dist, name + ".tar.gz")) as t:
            members = {m.name: m for m in t.getmembers()}
        files = sorted(n[len(name) + 1:] for n, m in members.items() if m.isfile())
        want = sorted(["sparkc", "sparkc.1", "sparkjob.schema.json", "LICENSE", "README.md", "CHANGELOG.md",
                       "completions/sparkc.bash", "completions/_sparkc", "licenses/libyaml", "licenses/jansson",
                       "licenses/glibc"])
        owners = {(m.uid, m.gid) for m in members.values()}
        result(f"archives: linux-{arch} holds the binary, man page, completions, schema, LICENSE and README",
               files == want and all(n == name or n.startswith(name + "/") for n in members) and owners == {(0, 0)},
               f"{files}\nowners {owners}")
        top = os.path.join(rel.tmp, name)
        same = [f for f in ("LICENSE", "README.md", "CHANGELOG.md", "completions/sparkc.bash", "completions/_sparkc")
                if open(os.path.join(top, f), "rb").read() == open(os.path.join(ROOT, f), "rb").read()]
        result(f"archives: linux-{arch}'s documents and completions are the repository's", len(same) == 5, str(same))
        machine, dynamic = elf(rel.binary[arch])
        mode = members[name + "/sparkc"].mode
        result(f"archives: linux-{arch}'s sparkc is a static {arch} executable",
               machine == ARCHS[arch] and dynamic is False and mode == 0o755, f"machine {machine}, dynamic {dynamic}")
        code, printed, err = sh([rel.runner[arch], "schema"])
        result(f"archives: linux-{arch}'s sparkjob.schema.json is the one its sparkc prints",
               code == 0 and printed == open(os.path.join(top, "sparkjob.schema.json")).read(), err)
    code, out, err = sh([rel.runner["amd64"], "compile", "samples/"], cwd=ROOT)
    dev = sh([os.path.join(ROOT, "build", "sparkc"), "compile", "samples/"], cwd=ROOT)
    result("archives: the release binary compiles samples/ as the development build does",
           code == 0 and (code, out, err) == dev, err)
    page = os.path.join(rel.tmp, rel.names["amd64"], "sparkc.1")
    code, out, err = sh(["man", "--warnings", "-l", page], env=dict(os.environ, MANWIDTH="80", MANPAGER="cat"))
    result("archives: man -l renders the archive's sparkc.1 without warnings",
           code == 0 and "SYNOPSIS" in out and not err.strip(), err)


def check_arm64_cases(rel):
    check_cases("the linux-arm64 binary (qemu-user-static)", rel.runner["arm64"])


# ---- the Debian package ---------------------------------------------------------------

DEB_FILES = {"usr/bin/sparkc", "usr/share/man/man1/sparkc.1.gz", "usr/share/bash-completion/completions/sparkc",
             "usr/share/zsh/vendor-completions/_sparkc", "usr/share/sparkc/sparkjob.schema.json",
             "usr/share/doc/sparkc/copyright", "usr/share/doc/sparkc/changelog.gz",
             "usr/share/doc/sparkc/CHANGELOG.md.gz", "usr/share/lintian/overrides/sparkc"}


def check_deb(rel):
    debs = {arch: os.path.join(rel.dist, f"sparkc_{VERSION}_{arch}.deb") for arch in ARCHS}
    for arch, deb in debs.items():
        code, out, err = sh(["dpkg-deb", "--field", deb, "Package", "Version", "Architecture", "Depends"])
        fields = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
        result(f"deb: {os.path.basename(deb)} is sparkc {VERSION} for {arch}, static (no Depends)",
               fields == {"Package": "sparkc", "Version": VERSION, "Architecture": arch}, out + err)
    code, out, err = sh(["lintian", "--fail-on", "error,warning"] + list(debs.values()), timeout=900)
    result("deb: lintian finds no error or warning", code == 0 and not re.search(r"^[EW]: ", out, re.M), out + err)
    with tempfile.TemporaryDirectory() as root:
        admin = os.path.join(root, "var", "lib", "dpkg")
        for d in ("info", "updates", "triggers"):
            os.makedirs(os.path.join(admin, d))
        for f in ("status", "available"):
            open(os.path.join(admin, f), "w").close()
        dpkg = ["dpkg", f"--root={root}", "--force-not-root"]
        for arch, deb in debs.items():
            if arch != HOST:
                sh(dpkg + ["--add-architecture", arch])
            code, out, err = sh(dpkg + ["--install", deb])
            result(f"deb: dpkg --install sparkc_{VERSION}_{arch}.deb", code == 0, out + err)
            code, out, err = sh(dpkg + ["--listfiles", f"sparkc:{arch}"])
            listed = {p.lstrip("/") for p in out.splitlines() if os.path.isfile(os.path.join(root, p.lstrip("/")))}
            result(f"deb: dpkg --listfiles names what it installed ({arch})", listed == DEB_FILES,
                   str(sorted(listed ^ DEB_FILES)))
            installed = runner_for(os.path.join(root, "usr", "bin", "sparkc"), arch, rel.tmp + f"/deb-{arch}")
            got = first_line([installed, "--version"]) if os.path.exists(os.path.join(root, "usr/bin/sparkc")) else ""
            result(f"deb: the installed /usr/bin/sparkc says 'sparkc {VERSION}' ({arch})", got == f"sparkc {VERSION}", got)
            page = gzip.decompress(open(os.path.join(root, "usr/share/man/man1/sparkc.1.gz"), "rb").read())
            result(f"deb: the installed man page is doc/sparkc.1 ({arch})",
                   page == open(os.path.join(ROOT, "doc", "sparkc.1"), "rb").read())
            code, out, err = sh(dpkg + ["--purge", "sparkc"])
            left = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(root, "usr")) for f in fs]
            result(f"deb: dpkg --purge removes every file ({arch})", code == 0 and not left, out + err + str(left))


# ---- the OCI image ----------------------------------------------------------------------

def read_layout(archive, dest):
    """An oci-archive read as a runtime reads it: index -> manifest -> config and layers,
    every blob checked against its digest and size. Returns (config, [layer paths])."""
    with tarfile.open(archive) as t:
        t.extractall(dest)
    layout = json.load(open(os.path.join(dest, "oci-layout")))
    index = json.load(open(os.path.join(dest, "index.json")))

    def blob(desc):
        algo, digest = desc["digest"].split(":")
        path = os.path.join(dest, "blobs", algo, digest)
        data = open(path, "rb").read()
        assert hashlib.sha256(data).hexdigest() == digest and len(data) == desc["size"], desc["digest"]
        return path

    assert layout["imageLayoutVersion"] == "1.0.0" and len(index["manifests"]) == 1
    desc = index["manifests"][0]
    assert desc["annotations"]["org.opencontainers.image.ref.name"] == VERSION
    manifest = json.load(open(blob(desc)))
    assert manifest["config"]["mediaType"] == "application/vnd.oci.image.config.v1+json"
    config = json.load(open(blob(manifest["config"])))
    return config, [blob(layer) for layer in manifest["layers"]]


def unpack(layers, rootfs):
    for layer in layers:
        with tarfile.open(layer) as t:
            for m in t.getmembers():
                assert not os.path.basename(m.name).startswith(".wh."), m.name   # no whiteouts in one layer
            t.extractall(rootfs)


def check_image(rel):
    for arch in ARCHS:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                config, layers = read_layout(os.path.join(rel.dist, f"{rel.names[arch]}.oci.tar"), tmp + "/layout")
            except (AssertionError, KeyError, OSError, ValueError) as e:
                result(f"image: linux-{arch} is an OCI layout whose blobs match their digests", False, repr(e))
                continue
            c = config["config"]
            result(f"image: linux-{arch}'s configuration: {arch}, the binary as entrypoint, a user, /work",
                   config["architecture"] == arch and config["os"] == "linux"
                   and c["Entrypoint"] == ["/usr/bin/sparkc"] and c["WorkingDir"] == "/work"
                   and c["User"] == "65532:65532" and c["Labels"]["org.opencontainers.image.version"] == VERSION
                   and c["Labels"]["org.opencontainers.image.licenses"] == "Apache-2.0", json.dumps(config))
            rootfs = os.path.join(tmp, "rootfs")
            unpack(layers, rootfs)
            top = sorted(os.listdir(rootfs))
            machine, dynamic = elf(os.path.join(rootfs, "usr", "bin", "sparkc"))
            result(f"image: linux-{arch}'s root is the static binary and its data, no /tmp",
                   top == ["usr", "work"] and machine == ARCHS[arch] and dynamic is False, f"{top} {machine}")
            if arch == HOST:
                check_copy_from(rootfs)
            run_image(rel, arch, config, rootfs, tmp)


def check_copy_from(rootfs):
    """examples/argocd's Dockerfile takes the binary from the release image: the stage's
    image is this version's and the path it copies is the image's binary."""
    text = open(os.path.join(ROOT, "examples", "argocd", "README.md")).read()
    block = (re.search(r"```dockerfile\n(.*?)```", text, re.S) or [None, ""])[1]
    stage = re.search(r"^FROM sparkc:(\S+) AS (\w+)$", block, re.M)
    copy = stage and re.search(rf"^COPY --from={stage[2]} (/\S+) ", block, re.M)
    result("image: examples/argocd's Dockerfile copies the binary out of this release's image",
           stage and copy and stage[1] == VERSION and elf(os.path.join(rootfs, copy[1].lstrip("/")))[0] is not None,
           block)


def run_image(rel, arch, config, rootfs, tmp):
    """Run the image's root as a container runtime would, in bubblewrap: chosen over a
    plain chroot because it gives what a pod with readOnlyRootFilesystem gets (the root
    read-only, one writable volume, the image's user, fresh namespaces, nothing
    mounted that the image lacks: no /tmp, /proc or /dev) without a daemon, and as
    root or not. Another architecture's binary runs through qemu-user-static, bound
    in as a runtime's binfmt handler would supply it."""
    work = os.path.join(tmp, "work")
    os.makedirs(os.path.join(work, "jobs"))
    os.chmod(work, 0o777)
    for f in ("sparkreadcsv.yaml", "hourly-report.yaml"):       # a job, and a scheduled one
        shutil.copy(os.path.join(ROOT, "samples", f), os.path.join(work, "jobs"))
    uid, gid = config["config"]["User"].split(":")
    prefix = ["bwrap", "--unshare-all", "--die-with-parent", "--unshare-user", "--uid", uid, "--gid", gid,
              "--ro-bind", rootfs, "/", "--bind", work, config["config"]["WorkingDir"],
              "--chdir", config["config"]["WorkingDir"], "--clearenv"]
    if arch != HOST:
        open(os.path.join(rootfs, ".qemu"), "w").close()       # the mount point, in the test's copy
        prefix += ["--ro-bind", shutil.which(QEMU[arch]), "/.qemu", "--", "/.qemu"]
    else:
        prefix += ["--"]
    entry = prefix + config["config"]["Entrypoint"]
    host = rel.runner[arch]
    want = sh([host, "compile", "jobs/"], cwd=work)
    code, out, err = sh(entry + ["validate", "jobs/"])
    result(f"image: linux-{arch}: validate in the image's root", code == 0 and not out, f"exit {code}\n{out}{err}")
    code, out, err = sh(entry + ["compile", "jobs/"])
    result(f"image: linux-{arch}: compile to stdout with no /tmp, read-only root",
           code == 0 and (code, out, err) == want and out.startswith("apiVersion:"), f"exit {code}\n{err}")
    code, out, err = sh(entry + ["compile", "-o", "manifests", "jobs/"])
    os.makedirs(os.path.join(tmp, "host"))
    shutil.copytree(os.path.join(work, "jobs"), os.path.join(tmp, "host", "jobs"))
    sh([host, "compile", "-o", "manifests", "jobs/"], cwd=os.path.join(tmp, "host"))
    got = sh(["diff", "-r", os.path.join(tmp, "host", "manifests"), os.path.join(work, "manifests")])
    result(f"image: linux-{arch}: compile -o into the working directory writes what sparkc writes outside",
           code == 0 and got[0] == 0 and os.path.isdir(os.path.join(work, "manifests")), f"exit {code}\n{err}{got}")
    code, out, err = sh(entry + ["compile", "-o", "/usr/out", "jobs/"])
    result(f"image: linux-{arch}: the root is read-only (compile -o /usr/out fails, exit 2)", code == 2, err)


# ---- portable C ---------------------------------------------------------------------------

def check_posix():
    """POSIX.1-2008 alone, as macOS's and musl's headers give it: the build (with
    -Werror) must not need more, and no file may ask for more on its own (each file's
    macros as the preprocessor leaves them: no _GNU_SOURCE or _DEFAULT_SOURCE), so
    that its fallbacks for Linux's calls are what this build compiles and tests."""
    with tempfile.TemporaryDirectory() as build:
        code, out, err = sh(["make", "-s", "-j2", f"BUILD={build}", "FEATURES=-D_POSIX_C_SOURCE=200809L",
                             f"{build}/sparkc"], cwd=ROOT, env=dict(os.environ, MAKEFLAGS=""))
        result("posix: builds with -D_POSIX_C_SOURCE=200809L alone", code == 0, (out + err)[-4000:])
        asks = []
        for src in sorted(os.listdir(os.path.join(ROOT, "compiler"))):
            if src.endswith(".c"):
                macros = sh(["cc", "-D_POSIX_C_SOURCE=200809L", "-Icompiler", f"-I{build}", "-dM", "-E",
                             os.path.join("compiler", src)], cwd=ROOT)[1]
                asks += [f"{src}: {m}" for m in re.findall(r"^#define (_GNU_SOURCE|_DEFAULT_SOURCE|_BSD_SOURCE)\b",
                                                           macros, re.M)]
        result("posix: no file asks for more than POSIX in that build", not asks, "\n".join(asks))
        if code == 0:
            check_cases("the -D_POSIX_C_SOURCE=200809L build", os.path.join(build, "sparkc"))


def musl_source(name):
    """Where tools/fetch-musl-sources.sh unpacked Debian's source package name."""
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "sparkc-test", name,
                        "src")


# The libraries the binary links, each built for musl with its own CMake build.
MUSL_LIBRARIES = {
    "libyaml": ["-DBUILD_SHARED_LIBS=OFF", "-DBUILD_TESTING=OFF"],
    "jansson": ["-DJANSSON_BUILD_SHARED_LIBS=OFF", "-DJANSSON_WITHOUT_TESTS=ON", "-DJANSSON_EXAMPLES=OFF",
                "-DJANSSON_BUILD_DOCS=OFF"],
}


def check_musl():
    missing = [musl_source(n) for n in MUSL_LIBRARIES if not os.path.isdir(musl_source(n))]
    if missing:
        result("musl: Debian's libyaml and jansson sources are there", False,
               f"{missing} missing: run tools/install-deps.sh test-dist")
        return
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "musl")
        for name, options in MUSL_LIBRARIES.items():
            steps = [["cmake", "-S", musl_source(name), "-B", os.path.join(tmp, name + "-build"),
                      "-DCMAKE_C_COMPILER=musl-gcc", "-DCMAKE_BUILD_TYPE=Release", f"-DCMAKE_INSTALL_PREFIX={prefix}",
                      *options],
                     ["cmake", "--build", os.path.join(tmp, name + "-build"), "-j2"],
                     ["cmake", "--install", os.path.join(tmp, name + "-build")]]
            for step in steps:
                code, out, err = sh(step)
                if code:
                    break
            result(f"musl: {name} builds with musl-gcc from Debian's source package", code == 0,
                   (out + err)[-3000:])
            if code:
                return
        build = os.path.join(tmp, "build")
        # pkg-config would name the machine's glibc libraries: point it at none, and give
        # musl's by hand
        code, out, err = sh(["make", "-s", "-j2", f"BUILD={build}", "CC=musl-gcc", "STATIC=1",
                             f"CFLAGS=-O2 -I{prefix}/include", f"LDFLAGS=-L{prefix}/lib", f"{build}/sparkc"],
                            cwd=ROOT, env=dict(os.environ, MAKEFLAGS="", PKG_CONFIG_LIBDIR=os.path.join(tmp, "none")))
        result("musl: sparkc builds with musl-gcc", code == 0, (out + err)[-4000:])
        if code:
            return
        machine, dynamic = elf(os.path.join(build, "sparkc"))
        strings = open(os.path.join(build, "sparkc"), "rb").read()
        result("musl: the binary is static and musl's (no glibc in it)",
               dynamic is False and b"GLIBC" not in strings, f"dynamic {dynamic}")
        check_cases("the musl build", os.path.join(build, "sparkc"))


# ---- the GitHub Action ------------------------------------------------------------------

EXPR = re.compile(r"\$\{\{\s*([a-z_.-]+)\s*\}\}")


def run_action(action_path, workspace, inputs, context, runner_env, tmp):
    """action.yml's composite steps as the runner runs them: each step's env: with its
    ${{ }} expressions evaluated (inputs, github.*), the script through
    `bash --noprofile --norc -eo pipefail`, in the workspace, with what a step appends
    to $GITHUB_PATH or $GITHUB_ENV given to the steps after it. Returns
    [(step name, exit, stdout, stderr)], stopping at the first failure."""
    action = yaml.safe_load(open(os.path.join(action_path, "action.yml")))
    assert action["runs"]["using"] == "composite"
    values = {f"inputs.{k}": v.get("default", "") for k, v in action["inputs"].items()}
    values.update({f"inputs.{k}": v for k, v in inputs.items()})
    values.update({f"github.{k}": v for k, v in context.items()})
    os.makedirs(tmp)
    files = {name: os.path.join(tmp, name) for name in ("path", "env", "output", "summary")}
    for f in files.values():
        open(f, "w").close()
    env = dict(runner_env, GITHUB_PATH=files["path"], GITHUB_ENV=files["env"], GITHUB_OUTPUT=files["output"],
               GITHUB_STEP_SUMMARY=files["summary"], GITHUB_ACTION_PATH=action_path, GITHUB_WORKSPACE=workspace)
    steps = []
    for step in action["runs"]["steps"]:
        assert "${{" not in step["run"], "expressions belong in env:, not in the script"
        assert step["shell"] == "bash"
        step_env = dict(env)
        added = [line for line in open(files["path"]).read().splitlines() if line]
        step_env["PATH"] = ":".join(list(reversed(added)) + [env["PATH"]])
        for line in open(files["env"]).read().splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                step_env[k] = v
        for k, v in step.get("env", {}).items():
            step_env[k] = EXPR.sub(lambda m: str(values[m[1]]), str(v))
        code, out, err = sh(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                            cwd=workspace, env=step_env, timeout=900)
        steps.append((step["name"], code, out, err))
        if code:
            break
    return steps


def check_action(rel, no_sparkc_path):
    with tempfile.TemporaryDirectory() as tmp:
        # the runner checks an action out under _actions/OWNER/NAME/REF
        action_path = os.path.join(tmp, "_actions", "acme", "sparkc", f"v{VERSION}")
        snapshot(action_path)
        server = os.path.join(tmp, "server")
        release = os.path.join(server, "acme", "sparkc", "releases", "download", f"v{VERSION}")
        shutil.copytree(rel.dist, release)
        workspace = os.path.join(tmp, "workspace")
        os.makedirs(os.path.join(workspace, "jobs"))
        shutil.copy(os.path.join(ROOT, "samples", "sparkreadcsv.yaml"), os.path.join(workspace, "jobs"))
        with open(os.path.join(workspace, "bad.yaml"), "w") as f:
            f.write("kind: spark\nmetadata:\n  name: Etl\nspec:\n  command: /a.py\n  image: spark:3.5.1\n")

        def env(arch, run_dir):
            os.makedirs(run_dir)
            return {"PATH": no_sparkc_path, "HOME": tmp, "RUNNER_OS": "Linux", "RUNNER_ARCH": arch,
                    "RUNNER_TEMP": run_dir, "GITHUB_SERVER_URL": "file://" + server, "GITHUB_ACTIONS": "true",
                    "GITHUB_REPOSITORY": "acme/spark-jobs", "GITHUB_WORKSPACE": workspace, "CI": "true"}

        def installed(run_dir):
            return os.path.join(run_dir, f"sparkc-{VERSION}", "bin", "sparkc")

        # 1. linux-amd64 from the release, the repository read from the action's path
        #    (composite actions do not always get github.action_repository)
        run_dir = os.path.join(tmp, "run1")
        steps = run_action(action_path, workspace, {"paths": "jobs/"}, {"action_repository": ""},
                           env("X64", run_dir), tmp + "/run1-files")
        ok = [s[1] for s in steps] == [0, 0] and f"from file://{release}" in steps[0][3]
        result("action: X64 installs the linux-amd64 release archive and validates the paths",
               ok and open(installed(run_dir), "rb").read() == open(rel.binary["amd64"], "rb").read(), str(steps))
        # 2. findings are annotations, and fail the job
        run_dir = os.path.join(tmp, "run2")
        steps = run_action(action_path, workspace, {"paths": "jobs/\nbad.yaml", "options": "--max-depth 3"},
                           {"action_repository": "acme/sparkc"}, env("X64", run_dir), tmp + "/run2-files")
        out = steps[-1][2] if steps else ""
        result("action: a finding is a ::error annotation at its file, line and column, and fails the step",
               [s[1] for s in steps] == [0, 1]
               and re.search(r"^::error file=bad\.yaml,line=3,col=9,title=sparkc[^:]*::metadata\.name: ", out, re.M),
               str(steps))
        result("action: the options input reaches sparkc validate",
               re.search(r"^::error file=jobs/sparkreadcsv\.yaml,.*nesting deeper than 3 levels", out, re.M), out)
        # 3. linux-arm64 from the release
        run_dir = os.path.join(tmp, "run3")
        steps = run_action(action_path, workspace, {}, {"action_repository": "acme/sparkc"},
                           env("ARM64", run_dir), tmp + "/run3-files")
        got = installed(run_dir)
        result("action: ARM64 installs the linux-arm64 release archive",
               steps and steps[0][1] == 0 and os.path.exists(got) and elf(got)[0] == ARCHS["arm64"]
               and first_line([QEMU["arm64"], got, "--version"]) == f"sparkc {VERSION}", str(steps[:1]))
        # 4. no release matches: built from the action's source
        run_dir = os.path.join(tmp, "run4")
        steps = run_action(action_path, workspace, {"release-url": "file://" + os.path.join(tmp, "nowhere")},
                           {"action_repository": "acme/sparkc"}, env("X64", run_dir), tmp + "/run4-files")
        result("action: with no release archive, sparkc is built from the action's source",
               [s[1] for s in steps] == [0, 0] and "building sparkc from" in steps[0][3]
               and first_line([installed(run_dir), "--version"]) == f"sparkc {VERSION}", str(steps)[-3000:])
        # 5. another version than the action's, with no release: an error, not a build
        run_dir = os.path.join(tmp, "run5")
        steps = run_action(action_path, workspace, {"version": "9.9.9"}, {"action_repository": "acme/sparkc"},
                           env("X64", run_dir), tmp + "/run5-files")
        result("action: a version with no release archive is an error naming it",
               [s[1] for s in steps] == [2] and "::error title=sparkc::no sparkc 9.9.9 release" in steps[0][3],
               str(steps))


# ---- pre-commit ------------------------------------------------------------------------

def check_precommit(no_sparkc_path):
    with tempfile.TemporaryDirectory() as tmp:
        hooks_repo = os.path.join(tmp, "sparkc")
        snapshot(hooks_repo)
        sh(["git", "init", "-q", hooks_repo])
        git(hooks_repo, "add", "-A")
        git(hooks_repo, "commit", "-qm", "snapshot")
        rev = git(hooks_repo, "rev-parse", "HEAD")[1].strip()
        env = {"PATH": no_sparkc_path, "HOME": tmp, "PRE_COMMIT_HOME": os.path.join(tmp, "cache"),
               "NO_COLOR": "1", "LANG": "C.UTF-8"}
        repo = os.path.join(tmp, "jobs-repo")
        os.makedirs(os.path.join(repo, "jobs"))
        sh(["git", "init", "-q", repo])

        def config(rev_):
            with open(os.path.join(repo, ".pre-commit-config.yaml"), "w") as f:
                f.write(f"repos:\n  - repo: file://{hooks_repo}\n    rev: {rev_}\n    hooks:\n"
                        "      - id: sparkc-validate\n      - id: sparkc-check-manifests\n")

        def pre_commit(*args):
            return sh(["pre-commit", "run", "--color", "never", *args], cwd=repo, env=env, timeout=900)

        def job(path, name):
            with open(os.path.join(repo, path), "w") as f:
                f.write(f"kind: spark\nmetadata:\n  name: {name}\nspec:\n  command: /a.py\n  image: spark:3.5.1\n")

        hooks = yaml.safe_load(open(os.path.join(hooks_repo, ".pre-commit-hooks.yaml")))
        result("pre-commit: every hook runs as one process (require_serial)",
               all(h.get("require_serial") is True for h in hooks), str(hooks))
        config(rev)
        job("jobs/etl.yaml", "Etl")
        # what an application directory holds beside its jobs: skipped, not errors
        with open(os.path.join(repo, "jobs", "kustomization.yaml"), "w") as f:
            f.write("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [etl.yaml, sa.yaml]\n")
        with open(os.path.join(repo, "jobs", "sa.yaml"), "w") as f:
            f.write("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sparkapp\n")
        git(repo, "add", "-A")
        code, out, err = pre_commit("--all-files", "--verbose")
        result("pre-commit: with no sparkc on PATH the hooks build it and run: a bad job fails",
               code == 1 and "building sparkc for pre-commit" in out
               and re.search(r"sparkc validate\.+Failed", out)
               and "jobs/etl.yaml:3:9: error: metadata.name: 'Etl' is not a valid name" in out, out + err)
        built = [os.path.join(d, "sparkc") for d, _, fs in os.walk(env["PRE_COMMIT_HOME"])
                 if d.endswith(os.path.join("build", "pre-commit")) and "sparkc" in fs]
        result("pre-commit: sparkc is built once, into pre-commit's cache",
               len(built) == 1 and first_line([built[0], "--version"]) == f"sparkc {VERSION}", str(built))

        # the same namespace and name in two files, among enough files that pre-commit
        # would split them between processes (at least 4 a process) if it could
        job("jobs/etl.yaml", "etl")
        os.makedirs(os.path.join(repo, "jobs", "team"))
        for i in range(8):
            job(f"jobs/team/report-{i}.yaml", f"report-{i}")
        job("jobs/team/etl.yaml", "etl")
        git(repo, "add", "-A")
        code, out, err = pre_commit("--all-files", "--verbose")
        result("pre-commit: two jobs with the same name in different files fail sparkc-validate, in one process",
               code == 1 and "building sparkc" not in out and re.search(r"sparkc validate\.+Failed", out)
               and "jobs/team/etl.yaml:3:9" in out and "jobs/etl.yaml:3:9" in out, out + err)

        os.remove(os.path.join(repo, "jobs", "team", "etl.yaml"))
        sh([built[0] if built else "false", "compile", "-o", "manifests", "jobs/"], cwd=repo)
        git(repo, "add", "-A")
        code, out, err = pre_commit("--all-files")
        result("pre-commit: fixed jobs and their manifests pass both hooks",
               code == 0 and re.search(r"sparkc validate\.+Passed", out)
               and re.search(r"sparkc compile --check\.+Passed", out), out + err)
        git(repo, "commit", "-qm", "jobs and manifests")
        manifest = os.path.join(repo, "manifests", "default-tenant", "etl.yaml")
        with open(manifest, "a") as f:
            f.write("# edited by hand\n")
        git(repo, "add", "-A")
        code, out, err = pre_commit()
        result("pre-commit: a hand edit under manifests/ alone runs the manifests hook, which fails",
               code == 1 and re.search(r"sparkc validate\.+\(no files to check\)Skipped", out)
               and re.search(r"sparkc compile --check\.+Failed", out)
               and "manifests/default-tenant/etl.yaml: differs" in out, out + err)
        git(repo, "checkout", "HEAD", "--", "manifests")

        # a commit that changes only a file of other objects: sparkc-validate gets that
        # file alone, skips it, and passes (--allow-no-jobs in the hook's entry)
        with open(os.path.join(repo, "jobs", "sa.yaml"), "a") as f:
            f.write("  labels: {team: data}\n")
        git(repo, "add", "-A")
        code, out, err = pre_commit("--verbose")
        result("pre-commit: a commit that changes only a ServiceAccount beside the jobs passes",
               code == 0 and re.search(r"sparkc validate\.+Passed", out)
               and re.search(r"sparkc compile --check\.+Passed", out), out + err)
        git(repo, "commit", "-qm", "label the service account")
        # ... while one that adds a job with a name already taken still fails
        job("jobs/team/etl.yaml", "etl")
        git(repo, "add", "-A")
        code, out, err = pre_commit("--verbose")
        result("pre-commit: a commit adding a job with a name another file has fails",
               code == 1 and re.search(r"sparkc compile --check\.+Failed", out)
               and re.search(r"jobs/team/etl\.yaml:3:9: error: metadata\.name: a job or manifest with this namespace "
                             r"and name is already defined at jobs/etl\.yaml:3:9", out), out + err)


def no_sparkc_path(tmp):
    """A directory of links to every program in /usr/bin and /usr/sbin but sparkc: what a
    machine without sparkc has (a sparkc installed on this one is left out)."""
    bin_dir = os.path.join(tmp, "bin")
    os.makedirs(bin_dir)
    for d in ("/usr/sbin", "/usr/bin"):
        for name in os.listdir(d):
            if name != "sparkc" and not os.path.lexists(os.path.join(bin_dir, name)):
                os.symlink(os.path.join(d, name), os.path.join(bin_dir, name))
    return bin_dir


def main():
    dist = os.path.abspath(sys.argv[1])
    only = set(sys.argv[2:])
    with tempfile.TemporaryDirectory() as tmp:
        rel = Release(dist, tmp)
        path = no_sparkc_path(tmp)
        jobs = [(check_versions, rel), (check_home,), (check_needs,), (check_archives, rel), (check_deb, rel), (check_image, rel),
                (check_action, rel, path), (check_precommit, path), (check_arm64_cases, rel), (check_posix,),
                (check_musl,)]
        jobs = [j for j in jobs if not only or j[0].__name__.split("_")[1] in only]

        def guarded(fn, *a):
            try:
                fn(*a)
            except Exception:  # a check that breaks is a failed check, not a lost run
                result(fn.__name__, False, traceback.format_exc())

        with ThreadPoolExecutor(max_workers=2) as pool:
            for job in jobs:
                pool.submit(guarded, *job)
    print(f"{harness.passed} passed, {harness.failed} failed")
    sys.exit(1 if harness.failed else 0)


if __name__ == "__main__":
    main()
