"""examples/argocd/plugin.yaml, run as Argo CD's CMP server runs a plugin: each
command of the ConfigManagementPlugin in the application's directory, with a clean
environment holding what the server sets (ARGOCD_APP_NAME, ARGOCD_APP_NAMESPACE,
ARGOCD_APP_REVISION, ARGOCD_APP_SOURCE_*, KUBE_VERSION, ARGOCD_APP_PARAMETERS and a
PARAM_<NAME> per parameter, ARGOCD_ENV_<NAME> per plugin environment variable) and
`sparkc` on the PATH.

- discover.find.command matches a directory of jobs and not one without;
- generate prints only manifests (PyYAML reads every document; each passes the
  operator's strict CRD schema) and exactly what `sparkc compile .` prints, with the
  namespace parameter, the SPARKC_NAMESPACE environment variable (the parameter wins)
  and the templates parameter applied;
- a job with an error fails generate: non-zero exit, nothing on stdout, and
  file:line:col diagnostics on stderr.
The README's YAML snippets are read with PyYAML too.

Called from tests/run.py as check(sparkc, result, env)."""
import json
import os
import re
import shutil
import subprocess
import tempfile

import yaml

import crd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PLUGIN = os.path.join(ROOT, "examples", "argocd", "plugin.yaml")


def cmp_env(bin_dir, env, parameters=(), plugin_env=()):
    """The environment the CMP server gives a plugin command."""
    e = {k: v for k, v in env.items() if k.endswith("SAN_OPTIONS")}
    e.update(PATH=f"{bin_dir}:/usr/local/bin:/usr/bin:/bin", HOME="/home/argocd",
             ARGOCD_APP_NAME="spark-jobs", ARGOCD_APP_NAMESPACE="argocd-apps",
             ARGOCD_APP_REVISION="0123456789abcdef0123456789abcdef01234567",
             ARGOCD_APP_REVISION_SHORT="0123456", ARGOCD_APP_SOURCE_PATH="jobs",
             ARGOCD_APP_SOURCE_REPO_URL="https://git.example.com/data/spark-jobs.git",
             ARGOCD_APP_SOURCE_TARGET_REVISION="main", KUBE_VERSION="1.30.0",
             KUBE_API_VERSIONS="v1,apps/v1,sparkoperator.k8s.io/v1beta2",
             ARGOCD_APP_PARAMETERS=json.dumps([{"name": n, "string": v} for n, v in parameters]))
    for name, value in parameters:
        e["PARAM_" + re.sub(r"[^A-Za-z0-9]", "_", name).upper()] = value
    for name, value in plugin_env:
        e["ARGOCD_ENV_" + name] = value
    return e


def run_command(command, cwd, env):
    p = subprocess.run(command, cwd=cwd, env=env, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def manifests(text):
    """Problems with stdout as a stream of manifests, and the documents."""
    try:
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as e:
        return [f"not YAML: {e}"], []
    problems = []
    for i, d in enumerate(docs):
        if crd.crd_errors(d, crd.DEFAULT) is None:
            problems.append(f"document {i} is not a Spark operator manifest: {str(d)[:200]}")
            continue
        for release in crd.RELEASES:     # compiled for the default (v2.5.2, the oldest): every release takes it
            problems += [f"document {i} [operator {release}]: {'/'.join(map(str, e.path))}: {e.message[:200]}"
                         for e in crd.crd_errors(d, release)]
    return problems, docs


def check(sparkc, result, env):
    plugin = yaml.safe_load(open(PLUGIN))
    spec = plugin["spec"]
    result("argocd: plugin.yaml is a ConfigManagementPlugin named sparkc",
           plugin["apiVersion"] == "argoproj.io/v1alpha1" and plugin["kind"] == "ConfigManagementPlugin"
           and plugin["metadata"]["name"] == "sparkc", str(plugin)[:500])
    generate = spec["generate"]["command"] + spec["generate"].get("args", [])
    find = spec["discover"]["find"]["command"]
    with tempfile.TemporaryDirectory() as tmp:
        bin_dir = os.path.join(tmp, "bin")
        os.mkdir(bin_dir)
        os.symlink(sparkc, os.path.join(bin_dir, "sparkc"))
        app = os.path.join(tmp, "repo", "jobs")
        os.makedirs(os.path.join(app, "nightly"))
        for name in sorted(os.listdir(os.path.join(ROOT, "samples"))):
            shutil.copy(os.path.join(ROOT, "samples", name), os.path.join(app, "nightly" if "hourly" in name else "", name))
        with open(os.path.join(app, "README.md"), "w") as f:
            f.write("Spark jobs, rendered by sparkc.\n")
        other = os.path.join(tmp, "repo", "web")
        os.makedirs(other)
        with open(os.path.join(other, "deploy.yaml"), "w") as f:
            f.write("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n")

        code, out, err = run_command(find, app, cmp_env(bin_dir, env))
        result("argocd: discover matches a directory of jobs", code == 0 and out.strip(), err)
        code, out, err = run_command(find, other, cmp_env(bin_dir, env))
        result("argocd: discover does not match a directory without jobs", code != 0 or not out.strip(), out)
        # each way of writing a top-level kind: spark, one file per directory
        for i, text in enumerate(['kind: "spark"\n', "kind: 'spark'\n", '"kind": spark\n', "'kind': spark  # x\n",
                                  '{\n  "kind": "spark",\n  "metadata": {"name": "x"}\n}\n',
                                  '{"metadata": {"name": "x"}, "kind": "spark"}\n']):
            d = os.path.join(tmp, "discover", str(i))
            os.makedirs(d)
            with open(os.path.join(d, "job.yaml"), "w") as f:
                f.write(text)
            code, out, err = run_command(find, d, cmp_env(bin_dir, env))
            result(f"argocd: discover matches {text.strip()!r}", code == 0 and out.strip(), err)
        d = os.path.join(tmp, "discover", "nested")
        os.makedirs(d)
        with open(os.path.join(d, "other.yaml"), "w") as f:
            f.write("apiVersion: v1\nkind: ConfigMap\ndata:\n  kind: spark\n")
        code, out, err = run_command(find, d, cmp_env(bin_dir, env))
        result("argocd: discover does not match a nested kind: spark", code != 0 or not out.strip(), out)

        reference = run_command([sparkc, "compile", "."], app, cmp_env(bin_dir, env))[1]
        with_ns = run_command([sparkc, "compile", "-n", "team-a", "."], app, cmp_env(bin_dir, env))[1]
        for label, params, penv, want_ns, want in (
                ("no parameters", (), (), None, reference),
                ("namespace parameter", [("namespace", "team-a")], (), "team-a", with_ns),
                ("SPARKC_NAMESPACE environment", (), [("SPARKC_NAMESPACE", "team-a")], "team-a", with_ns),
                ("the parameter before the environment", [("namespace", "team-a")],
                 [("SPARKC_NAMESPACE", "other")], "team-a", with_ns)):
            code, out, err = run_command(generate, app, cmp_env(bin_dir, env, params, penv))
            problems, docs = manifests(out)
            if code or err:
                problems.append(f"exit {code}, stderr {err[:2000]}")
            if len(docs) != 7:
                problems.append(f"{len(docs)} manifests, expected one per sample (7)")
            if want_ns and any(d["metadata"]["namespace"] != want_ns for d in docs):
                problems.append(f"namespaces {[d['metadata']['namespace'] for d in docs]}")
            if out != want:
                problems.append("stdout is not what sparkc compile prints")
            result(f"argocd: generate, {label}: only manifests, CRD-valid", not problems, "\n".join(problems))

        # a realistic application directory: a kustomization and RBAC beside the jobs
        # are skipped (files that hold no Spark job), the sync still succeeds
        with open(os.path.join(app, "kustomization.yaml"), "w") as f:
            f.write("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [rbac.yaml]\n")
        with open(os.path.join(app, "rbac.yaml"), "w") as f:
            f.write("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sparkapp\n---\n"
                    "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: spark\n"
                    "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\n"
                    "subjects: [{kind: ServiceAccount, name: sparkapp}]\n")
        code, out, err = run_command(generate, app, cmp_env(bin_dir, env))
        problems, docs = manifests(out)
        if code or err or out != reference:
            problems.append(f"exit {code}, stderr {err[:2000]}")
        result("argocd: generate, beside a kustomization and RBAC: the jobs' manifests, as without them",
               not problems, "\n".join(problems))
        os.remove(os.path.join(app, "kustomization.yaml"))
        os.remove(os.path.join(app, "rbac.yaml"))

        # templates from the repository: a team default image
        tdir = os.path.join(app, "templates")
        os.mkdir(tdir)
        with open(os.path.join(ROOT, "templates", "defaults.yaml")) as f:
            defaults = f.read()
        with open(os.path.join(tdir, "defaults.yaml"), "w") as f:
            f.write(re.sub(r"(?m)^image: null.*$", "image: registry.example.com/spark:3.5.5", defaults))
        with open(os.path.join(app, "imageless.yaml"), "w") as f:
            f.write("kind: spark\nmetadata:\n  name: imageless\nspec:\n  command: /app/main.py\n")
        # the templates directory is not a job: move it out of the walk's way
        shutil.move(tdir, os.path.join(app, ".templates"))
        code, out, err = run_command(generate, app, cmp_env(bin_dir, env, [("templates", ".templates")]))
        problems, docs = manifests(out)
        images = {d["metadata"]["name"]: d["spec"].get("image") or d["spec"].get("template", {}).get("image")
                  for d in docs}
        if code or err or images.get("imageless") != "registry.example.com/spark:3.5.5":
            problems.append(f"exit {code}, images {images}, stderr {err[:2000]}")
        result("argocd: generate, templates parameter", not problems, "\n".join(problems))
        # a mistyped templates parameter fails the sync rather than using the built-in defaults
        code, out, err = run_command(generate, app, cmp_env(bin_dir, env, [("templates", ".templatez")]))
        result("argocd: generate, a templates parameter naming no directory fails the sync",
               code == 2 and out == "" and "no directory '.templatez'" in err, f"exit {code}\n{out[:500]}\n{err}")
        # an empty parameter is not set, as in the KRM function's config
        code, out, err = run_command(generate, app, cmp_env(bin_dir, env, [("namespace", ""), ("templates", ".templates")]))
        result("argocd: generate, an empty namespace parameter is not set", code == 0 and not err, err)

        # an error fails the sync with file:line:col, and nothing on stdout
        with open(os.path.join(app, "nightly", "broken.yaml"), "w") as f:
            f.write("kind: spark\nmetadata:\n  name: Broken_Job\nspec:\n  command: /a.py\n  image: s\n  replica: 2\n")
        code, out, err = run_command(generate, app, cmp_env(bin_dir, env, [("templates", ".templates")]))
        located = re.findall(r"(?m)^\./nightly/broken\.yaml:(\d+):(\d+): error: ", err)
        result("argocd: generate fails on an error: nothing on stdout, file:line:col on stderr",
               code == 1 and out == "" and located == [("3", "9"), ("7", "3")], f"exit {code}\n{out[:500]}\n{err}")

    readme = open(os.path.join(ROOT, "examples", "argocd", "README.md")).read()
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    bad = []
    for b in blocks:
        try:
            yaml.safe_load(b)
        except yaml.YAMLError as e:
            bad.append(str(e))
    result("argocd: the README's YAML snippets are YAML", blocks and not bad, "\n".join(bad))
