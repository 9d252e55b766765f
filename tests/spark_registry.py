"""The registry of Spark's configuration keys (schemas/spark-config.tsv).

Two checks, called from tests/run.py:
- the committed registry against facts about well-known keys, per release line, that
  Spark's documentation and release notes state (type, unit, release added,
  deprecation, removal, allowed values);
- tools/spark-config-registry.py itself, run on a small Spark-like source tree written
  here in two releases, against the registry it must make of it.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LINES = ["3.2", "3.3", "3.4", "3.5", "4.0"]


def vkey(v):
    parts = [int(x) for x in v.split(".")[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


def load(text):
    keys, ns, tpl, header = {}, {}, [], []
    ext = load.ext = []
    for line in text.splitlines():
        if line.startswith("#"):
            header.append(line)
            continue
        f = line.split("\t")
        if f[0] == "ns":
            ns[f[1]] = f[2]
        elif f[0] == "tpl":
            tpl.append(f[1])
        elif f[0] == "ext":
            ext.append(f[1])
        else:
            assert len(f) == 11, line
            keys[f[0]] = dict(zip(["type", "unit", "since", "deprecated", "deprecated_note", "removed",
                                   "removed_note", "values", "default", "flags"], f[1:]))
    return keys, ns, tpl, header


def known(e, line):
    """Whether a Spark of release line `line` reads the key (as the compiler decides)."""
    if e["since"] and vkey(e["since"]) > vkey(line + ".99"):
        return False
    return not (e["removed"] and vkey(e["removed"]) <= vkey(line + ".0"))


# (key, field, expected) that hold on every line where the key exists, and the lines
# on which it must exist / must not.
FACTS = [
    ("spark.executor.memoryOverheadFactor", {"type": "double", "since": "3.3.0"}, ["3.3", "3.4", "3.5", "4.0"], ["3.2"]),
    ("spark.driver.memoryOverheadFactor", {"type": "double", "since": "3.3.0"}, ["3.3", "4.0"], ["3.2"]),
    ("spark.driver.minMemoryOverhead", {"type": "bytes", "unit": "m", "since": "4.0.0"}, ["4.0"], ["3.5"]),
    ("spark.kubernetes.memoryOverheadFactor", {"type": "double", "deprecated": "3.3.0"}, ["2.4"] + LINES, []),
    ("spark.kubernetes.pyspark.pythonVersion", {"deprecated": "3.1.0"}, ["2.4", "3.5"], []),
    ("spark.kubernetes.python.pyFiles", {"removed": "3.2.0", "flags": "i"}, ["2.4"], ["3.2"]),
    ("spark.sql.adaptive.coalescePartitions.enabled", {"type": "bool", "since": "3.0.0"}, LINES, ["2.4"]),
    ("spark.kubernetes.driver.request.cores", {"since": "3.0.0"}, LINES, ["2.4"]),
    ("spark.kubernetes.executor.request.cores", {"since": "2.4.0"}, ["2.4"] + LINES, []),
    ("spark.executor.memory", {"type": "bytes", "unit": "m", "default": "1g"}, LINES, []),
    ("spark.executor.memoryOverhead", {"type": "bytes", "unit": "m"}, LINES, []),
    ("spark.network.timeout", {"type": "time", "unit": "s", "default": "120s"}, LINES, []),
    ("spark.executor.heartbeatInterval", {"type": "time", "unit": "ms"}, LINES, []),
    ("spark.sql.shuffle.partitions", {"type": "int", "default": "200"}, LINES, []),
    ("spark.executor.instances", {"type": "int"}, LINES, []),
    ("spark.task.cpus", {"type": "int", "default": "1"}, LINES, []),
    ("spark.sql.adaptive.enabled", {"type": "bool", "default": "true"}, LINES, []),
    ("spark.sql.ansi.enabled", {"type": "bool", "since": "3.0.0"}, LINES, []),
    ("spark.sql.autoBroadcastJoinThreshold", {"type": "bytes", "unit": "b"}, LINES, []),
    ("spark.dynamicAllocation.shuffleTracking.enabled", {"type": "bool", "since": "3.0.0"}, LINES, []),
    ("spark.kubernetes.container.image.pullPolicy", {"values": "Always,Never,IfNotPresent"}, LINES, []),
    ("spark.kubernetes.driver.service.ipFamilyPolicy",
     {"since": "3.4.0", "values": "SingleStack,PreferDualStack,RequireDualStack"}, ["3.4", "3.5"], ["3.2", "3.3"]),
    ("spark.kubernetes.executor.rollPolicy", {"since": "3.3.0", "flags": "c"}, ["3.3", "3.5"], ["3.2"]),
    ("spark.kubernetes.allocation.maxPendingPods", {"type": "int", "since": "3.2.0"}, ["3.2", "3.5"], []),
    ("spark.sql.ansi.enforceReservedKeywords", {"type": "bool", "since": "3.3.0"}, ["3.3"], ["3.2"]),
    ("spark.sql.hive.verifyPartitionPath", {"removed": "4.0.0", "default": "false", "flags": "r"},
     ["3.2", "3.5"], ["4.0"]),
    ("spark.sql.ansi.strictIndexOperator", {"since": "3.3.0", "removed": "3.4.0", "flags": "r"}, ["3.3"],
     ["3.2", "3.4", "4.0"]),
    ("spark.blacklist.enabled", {"deprecated": "3.1.0"}, [], []),
    ("spark.files.userClassPathFirst", {"deprecated": "1.3", "deprecated_note": "spark.executor.userClassPathFirst"}, [], []),
    ("spark.shuffle.unsafe.file.output.buffer", {"deprecated": "4.0.0", "type": "bytes", "unit": "k"}, LINES, []),
    ("spark.sql.execution.arrow.enabled", {"deprecated": "3.0"}, [], []),
    ("spark.sql.parquet.compression.codec", {"flags": "c"}, LINES, []),
    ("spark.sql.catalog.spark_catalog", {"type": "string", "since": "3.0.0"}, LINES, []),
    # SQLConf.deprecatedSQLConfigs names X.alternatives.head: the legacy name is deprecated,
    # X is not; the alternatives are read as X where the source names them.
    ("spark.sql.parquet.int96RebaseModeInWrite", {"deprecated": "", "since": "3.1.0"}, LINES, ["2.4"]),
    ("spark.sql.legacy.parquet.int96RebaseModeInWrite",
     {"deprecated": "3.2", "deprecated_note": "Use 'spark.sql.parquet.int96RebaseModeInWrite' instead."},
     LINES, ["2.4", "4.1"]),
    ("spark.sql.parquet.datetimeRebaseModeInRead", {"deprecated": ""}, LINES, []),
    ("spark.sql.legacy.parquet.datetimeRebaseModeInRead",
     {"deprecated": "3.2", "deprecated_note": "Use 'spark.sql.parquet.datetimeRebaseModeInRead' instead."},
     LINES + ["4.1"], []),
    ("spark.sql.avro.datetimeRebaseModeInWrite", {"deprecated": ""}, LINES, []),
    ("spark.sql.legacy.avro.datetimeRebaseModeInWrite", {"deprecated": "3.2", "values": "EXCEPTION,LEGACY,CORRECTED"},
     LINES, ["4.1"]),
    # Read by name, no ConfigBuilder: SparkLauncher, UIUtils, PySpark, Volcano, Kafka 0-10.
    ("spark.driver.defaultJavaOptions", {"since": "3.0.0"}, LINES, ["2.4"]),
    ("spark.executor.defaultJavaOptions", {"since": "3.0.0"}, LINES, ["2.4"]),
    ("spark.ui.proxyBase", {"type": "string"}, ["2.4"] + LINES, []),
    ("spark.python.worker.memory", {"default": "512m"}, ["2.4"] + LINES, []),
    ("spark.python.profile", {"type": "bool"}, LINES, []),
    ("spark.kubernetes.scheduler.volcano.podGroupTemplateFile", {"since": "3.3.0"}, ["3.3", "3.5"], ["3.2"]),
    ("spark.streaming.kafka.maxRatePerPartition", {"type": "long"}, LINES, []),
    ("spark.files.overwrite", {"type": "bool"}, LINES, []),
]


def check_facts(result):
    path = os.path.join(ROOT, "schemas", "spark-config.tsv")
    keys, ns, tpl, header = load(open(path, encoding="utf-8").read())
    problems = []
    for key, fields, present, absent in FACTS:
        e = keys.get(key)
        if not e:
            problems.append(f"{key}: missing")
            continue
        for f, want in fields.items():
            got = e[f]
            if f == "flags" or (f == "values" and "," in want and "," not in got):
                ok = all(ch in got for ch in want) if f == "flags" else got == want
            else:
                ok = got == want
            if not ok:
                problems.append(f"{key}: {f} is {got!r}, expected {want!r}")
        for line in present:
            if not known(e, line):
                problems.append(f"{key}: not known on {line}")
        for line in absent:
            if known(e, line):
                problems.append(f"{key}: known on {line}, where Spark lacks it")
    result("registry: facts about well-known keys", not problems, "\n".join(problems))

    selfish = [k for k, e in keys.items() if e["deprecated"] and e["deprecated_note"] in (k, f"Use '{k}' instead.")]
    result("registry: no key is deprecated in favour of itself", not selfish, "\n".join(selfish))

    counts = [sum(1 for e in keys.values() if known(e, l) and "r" not in e["flags"]) for l in LINES]
    result("registry: each release line knows more keys than the one before, over 800",
           all(a < b for a, b in zip(counts, counts[1:])) and counts[0] > 800, str(dict(zip(LINES, counts))))
    order = list(keys)
    result("registry: sorted by key in byte order (the compiler looks keys up by bisection)",
           order == sorted(order, key=lambda k: k.encode()))
    need = {"spark.*.io.maxRetries", "spark.*.io.numConnectionsPerPeer", "spark.*.io.mode",
            "spark.kubernetes.driver.label.**", "spark.kubernetes.executor.volumes.*.*.mount.path",
            "spark.executor.resource.*.amount", "spark.sql.catalog.**", "spark.hadoop.**",
            "spark.kubernetes.driverEnv.**", "spark.executorEnv.**"}
    result("registry: templated keys", need <= set(tpl), str(need - set(tpl)))
    third = {"spark.sql.iceberg.", "spark.databricks.delta.", "spark.delta.", "spark.sql.hive."}
    result("registry: third-party prefixes inside Spark's namespaces", third <= set(load.ext),
           str(third - set(load.ext)))
    result("registry: Spark's namespaces, each read through 3.5 at least",
           {"spark.kubernetes.", "spark.sql.", "spark.executor."} <= set(ns)
           and all(vkey(v) >= vkey("3.5.0") for v in ns.values()), str(ns))
    result("registry: the header names the Spark releases read",
           all(any(f"Spark {v}" in h for h in header) for v in ("2.4.5", "3.2.3", "3.3.1", "3.5.0", "4.1.1")),
           "\n".join(header))


# A Spark-like source tree: what the script must read, in two releases.
CORE_OLD = '''
package object config {
  private[spark] val EXECUTOR_CORES = ConfigBuilder(SparkLauncher.EXECUTOR_CORES)
    .version("1.0.0")
    .intConf
    .createWithDefault(1)

  private[spark] val GONE = ConfigBuilder("spark.test.gone")
    .doc("Removed in the next release; \\"quoted\\" .createOptional in a string.")
    .version("3.2.0")
    .booleanConf
    .createWithDefault(false)
}
'''
CORE_NEW = '''
package object config {
  // ConfigBuilder("spark.commented.out") in a comment
  private[spark] val EXECUTOR_CORES = ConfigBuilder(SparkLauncher.EXECUTOR_CORES)
    .version("1.0.0")
    .intConf
    .createWithDefault(1)

  private[spark] val PREFIX = "spark.test"

  private[spark] val TIMEOUT = ConfigBuilder(s"$PREFIX.timeout")
    .version("3.3.0")
    .timeConf(TimeUnit.SECONDS)
    .createWithDefaultString("120s")

  private[spark] val SIZE = ConfigBuilder("spark.test.size")
    .version("3.4.1")
    .bytesConf(ByteUnit.MiB)
    .createOptional

  private[spark] val SIZE_ALIAS = ConfigBuilder("spark.test.size2")
    .version("3.5.0")
    .fallbackConf(SIZE)

  object Mode extends Enumeration {
    val FAST, SAFE = Value
  }

  private[spark] val MODE = ConfigBuilder("spark.test.mode")
    .version("3.5.0")
    .stringConf
    .transform(_.toUpperCase(Locale.ROOT))
    .checkValues(Mode.values.map(_.toString))
    .createWithDefault(Mode.FAST.toString)

  private[spark] val CODECS = ConfigBuilder("spark.test.codecs")
    .version("3.5.0")
    .stringConf
    .toSequence
    .checkValues(Set("lz4", "zstd"))
    .createWithDefault(Nil)
}
'''
SPARKCONF = '''
private[spark] object SparkConf {
  private val deprecatedConfigs: Map[String, DeprecatedConfig] = {
    val configs = Seq(
      DeprecatedConfig("spark.test.old", "3.4.0",
        "Please use " + "spark.test.timeout instead.")
    )
  }
  private val configsWithAlternatives = Map[String, Seq[AlternateConfig]](
    EXECUTOR_CORES.key -> Seq(
      AlternateConfig("spark.test.cores", "2.0"))
  )
}
'''
LAUNCHER = 'public class SparkLauncher {\n  public static final String EXECUTOR_CORES = "spark.executor.cores";\n}\n'


def write(root, rel, text):
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)


def check_script(result):
    with tempfile.TemporaryDirectory() as tmp:
        for version, core in (("3.2.0", CORE_OLD), ("3.5.0", CORE_NEW)):
            write(tmp, f"{version}/core/src/main/scala/org/apache/spark/internal/config/package.scala", core)
            write(tmp, f"{version}/core/src/main/scala/org/apache/spark/SparkConf.scala", SPARKCONF)
            write(tmp, f"{version}/launcher/src/main/java/org/apache/spark/launcher/SparkLauncher.java", LAUNCHER)
        p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "spark-config-registry.py"), tmp],
                           capture_output=True, text=True)
        if p.returncode:
            result("registry script: runs", False, p.stderr)
            return
        keys, _, _, header = load(p.stdout)
        want = {
            "spark.executor.cores": {"type": "int", "since": "1.0.0", "default": "1"},
            "spark.test.gone": {"type": "bool", "since": "3.2.0", "removed": "3.5.0"},
            "spark.test.timeout": {"type": "time", "unit": "s", "since": "3.3.0", "default": "120s"},
            "spark.test.size": {"type": "bytes", "unit": "m", "since": "3.4.1"},
            "spark.test.size2": {"type": "bytes", "unit": "m", "since": "3.5.0"},
            "spark.test.mode": {"values": "FAST,SAFE", "flags": "c", "default": ""},
            "spark.test.codecs": {"values": "lz4,zstd", "flags": "l"},
            "spark.test.old": {"deprecated": "3.4.0", "deprecated_note": "Please use spark.test.timeout instead."},
            "spark.test.cores": {"deprecated": "2.0", "deprecated_note": "spark.executor.cores"},
        }
        # the keys the script adds by name, whatever the source tree holds
        import importlib.util
        spec = importlib.util.spec_from_file_location("registry", os.path.join(ROOT, "tools", "spark-config-registry.py"))
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        by_name = {k for k, *_ in script.READ_BY_NAME}
        problems = [f"unexpected key {k}" for k in keys if k not in want and k not in by_name]
        for k, fields in want.items():
            for f, v in fields.items():
                got = keys.get(k, {}).get(f)
                if got != v:
                    problems.append(f"{k}: {f} is {got!r}, expected {v!r}")
        if not any("Spark 3.2.0" in h for h in header) or not any("Spark 3.5.0" in h for h in header):
            problems.append("header does not name both releases:\n" + "\n".join(header))
        result("registry script: reads a Spark source tree", not problems, "\n".join(problems) + "\n" + p.stdout)


def check_registry(result):
    check_facts(result)
    check_script(result)
