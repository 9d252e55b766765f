"""The registry of Spark's configuration keys (schemas/spark-config.tsv).

Checks, called from tests/run.py:
- the committed registry against facts read in Spark's source, each with the file and
  line of the release it comes from (a key's release, type, deprecation and removal,
  release by release);
- a sweep: every key of each release's documentation tables (tests/spark-docs/VERSION.txt,
  extracted by tools/spark-config-registry.py --doc-keys) validates without conf-unknown
  or conf-too-new for that release;
- tools/spark-config-registry.py itself, run on a small Spark-like source tree written
  here in two releases, against the registry it must make of it.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
COLUMNS = ["lines", "type", "unit", "since", "deprecated", "deprecated_note", "removed", "removed_note",
           "values", "default", "flags", "doc"]


def vkey(v):
    parts = [int(x) for x in re.findall(r"\d+", v)[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


def load(text):
    rows, meta, header = {}, {"ns": {}, "tpl": [], "ext": [], "cm": [], "vendor": [], "lines": []}, []
    for line in text.splitlines():
        if line.startswith("#"):
            header.append(line)
            continue
        f = line.split("\t")
        if f[0] == "lines":
            meta["lines"] = f[1].split()
        elif f[0] == "ns":
            meta["ns"][f[1]] = f[2]
        elif f[0] in ("tpl", "ext", "cm", "vendor"):
            meta[f[0]].append(f[1])
        else:
            assert len(f) == 13, line
            rows.setdefault(f[0], []).append(dict(zip(COLUMNS, f[1:])))
    return rows, meta, header


def row_for(rows, key, version):
    """The row holding a key's facts for a Spark version of one of the registry's lines
    (as sparkconf.c's place() decides), or None."""
    line = ".".join(version.split(".")[:2])
    for r in rows.get(key, []):
        for entry in r["lines"].split():
            l, _, first = entry.partition(":")
            if l == line:
                return r if vkey(first or l + ".0") <= vkey(version) else None
    return None


# (key, Spark version, expected facts or None for "not read by that release", the source
# line that says so). Each class of claim the registry makes, checked where it can go wrong.
FACTS = [
    # Presence in the tree first: the label is newer than the tree that holds the key.
    ("spark.sql.timestampType", "3.2.3", {"type": "string"},
     "3.2.3 sql/catalyst/.../SQLConf.scala:2931 buildConf(\"spark.sql.timestampType\") (labelled 3.4.0)"),
    # Backports: labelled 3.4.2, absent from 3.5.0 (cut before the backport).
    ("spark.sql.adaptive.applyFinalStageShuffleOptimizations", "3.5.0", None,
     "3.5.0 SQLConf.scala has no such key; 4.1.1 SQLConf.scala:956 labels it 3.4.2"),
    ("spark.sql.adaptive.applyFinalStageShuffleOptimizations", "3.4.1", None, "label 3.4.2"),
    ("spark.sql.adaptive.applyFinalStageShuffleOptimizations", "3.4.2", {"type": "bool"}, "label 3.4.2"),
    ("spark.sql.adaptive.applyFinalStageShuffleOptimizations", "4.1.1", {"type": "bool"},
     "4.1.1 SQLConf.scala:956"),
    ("spark.kubernetes.legacy.useReadWriteOnceAccessMode", "3.5.0", None,
     "3.5.0 Config.scala has 75 keys, not this one (labelled 3.4.3)"),
    ("spark.kubernetes.legacy.useReadWriteOnceAccessMode", "4.0.0", {"type": "bool", "default": "false"},
     "4.0.0's compiled Config$: KUBERNETES_USE_LEGACY_PVC_ACCESS_MODE"),
    # Deprecation tables per release: akka alternatives are gone from 3.5's SparkConf.
    ("spark.akka.frameSize", "3.3.1", {"deprecated": "1.6", "deprecated_note": "spark.rpc.message.maxSize"},
     "3.3.1 core/.../SparkConf.scala:698 AlternateConfig(\"spark.akka.frameSize\", \"1.6\")"),
    ("spark.akka.frameSize", "3.5.0", None, "3.5.0 SparkConf.scala: no akka entries"),
    ("spark.akka.frameSize", "4.1.1", None, "4.1.1 SparkConf.scala: no akka entries"),
    ("spark.blacklist.enabled", "3.5.0",
     {"deprecated": "3.1.0", "deprecated_note": "Please use spark.excludeOnFailure.enabled"},
     "3.5.0 SparkConf.scala:618"),
    ("spark.blacklist.enabled", "4.1.1",
     {"deprecated": "3.1.0", "deprecated_note": "Not used anymore. Please use spark.excludeOnFailure.enabled"},
     "4.1.1 SparkConf.scala:690"),
    # Only what the source says: no deprecation of spark.kubernetes.memoryOverheadFactor.
    ("spark.kubernetes.memoryOverheadFactor", "3.5.0", {"type": "double", "deprecated": ""},
     "3.5.0 Config.scala:537 MEMORY_OVERHEAD_FACTOR; SparkConf.deprecatedConfigs lacks it"),
    ("spark.kubernetes.pyspark.pythonVersion", "3.5.0", {"deprecated": "3.1.0", "values": "3"},
     "3.5.0 Config.scala:550 doc \"(Deprecated since Spark 3.1\", :555 .checkValue(\"3\" == _"),
    ("spark.kubernetes.pyspark.pythonVersion", "2.4.5", {"deprecated": "", "values": "2,3"},
     "2.4.5 Config.scala:224 .checkValue(pv => List(\"2\", \"3\").contains(pv)"),
    # Removals from SQLConf.removedSQLConfigs, with the value Spark still accepts.
    ("spark.sql.legacy.parquet.datetimeRebaseModeInWrite", "4.0.0",
     {"removed": "4.0.0", "default": "CORRECTED", "flags": "r"},
     "4.1.1 SQLConf.scala:6775 RemovedConfig(..., \"4.0.0\", LegacyBehaviorPolicy.CORRECTED.toString"),
    ("spark.sql.legacy.parquet.datetimeRebaseModeInWrite", "3.5.0",
     {"deprecated": "3.2", "values": "EXCEPTION,LEGACY,CORRECTED"},
     "3.5.0 SQLConf.scala withAlternative, deprecatedSQLConfigs PARQUET_REBASE_MODE_IN_WRITE.alternatives.head"),
    ("spark.sql.hive.verifyPartitionPath", "4.1.1", {"removed": "4.0.0", "default": "false", "flags": "r"},
     "4.1.1 SQLConf.scala:6765"),
    ("spark.sql.ansi.strictIndexOperator", "3.4.0", {"removed": "3.4.0", "default": "true", "flags": "r"},
     "4.1.1 SQLConf.scala:6761 RemovedConfig(..., \"3.4.0\", \"true\""),
    ("spark.deploy.spreadOut", "4.1.1", {"type": "bool"},
     "4.1.1 core/.../config/Deploy.scala:93 .withAlternative(\"spark.deploy.spreadOut\")"),
    # Types per release.
    ("spark.sql.autoBroadcastJoinThreshold", "2.4.5", {"type": "long"},
     "2.4.5 SQLConf.scala:228 buildConf(...).longConf"),
    ("spark.sql.autoBroadcastJoinThreshold", "3.5.0", {"type": "bytes", "unit": "b"}, "3.5.0 SQLConf.scala bytesConf"),
    # Read by name outside the config definitions.
    ("spark.network.sasl.serverAlwaysEncrypt", "3.5.0", {"type": "bool"},
     "3.5.0 common/network-common/.../TransportConf.java:249 conf.getBoolean"),
    ("spark.shuffle.maxChunksBeingTransferred", "3.5.0", {"type": "long"}, "TransportConf.java:284 conf.getLong"),
    ("spark.network.crypto.enabled", "3.5.0", {"type": "bool"}, "TransportConf.java:212, config/Network.scala"),
    ("spark.files.fetchTimeout", "3.5.0", {"type": "time", "unit": "s"},
     "3.5.0 core/.../util/Utils.scala:715 conf.getTimeAsSeconds(\"spark.files.fetchTimeout\", \"60s\")"),
    ("spark.testing.reservedMemory", "3.5.0", {"type": "long"}, "3.5.0 core/.../config/Tests.scala:45"),
    # Other cluster managers' keys: known, marked.
    ("spark.yarn.jars", "3.5.0", {"flags": "m"}, "3.5.0 resource-managers/yarn/.../config.scala:167"),
    ("spark.yarn.jar", "3.5.0", {"deprecated": "2.0", "deprecated_note": "spark.yarn.jars"},
     "SparkConf.configsWithAlternatives \"spark.yarn.jars\" -> AlternateConfig(\"spark.yarn.jar\", \"2.0\")"),
    # ... unless the release reads it as a key of every cluster manager: then it is that
    # key's old name, not another manager's key. A val name resolves in the module that uses
    # it (Mesos' config.scala has an EXECUTOR_MEMORY_OVERHEAD of its own).
    ("spark.yarn.executor.memoryOverhead", "3.3.1",
     {"deprecated": "2.3", "deprecated_note": "spark.executor.memoryOverhead", "not_flags": "m"},
     "3.3.1 core/.../SparkConf.scala:708 EXECUTOR_MEMORY_OVERHEAD.key -> "
     "AlternateConfig(\"spark.yarn.executor.memoryOverhead\", \"2.3\")"),
    ("spark.yarn.driver.memoryOverhead", "3.5.0", {"deprecated": "2.3", "deprecated_note": "spark.driver.memoryOverhead"},
     "3.5.0 SparkConf.scala:698 DRIVER_MEMORY_OVERHEAD.key -> AlternateConfig(\"spark.yarn.driver.memoryOverhead\""),
    ("spark.yarn.keytab", "3.0.1", {"deprecated": "3.0", "deprecated_note": "spark.kerberos.keytab", "not_flags": "m"},
     "3.0.1 SparkConf.scala:696 KEYTAB.key -> AlternateConfig(\"spark.yarn.keytab\", \"3.0\")"),
    ("spark.yarn.executor.failuresValidityInterval", "4.1.1",
     {"deprecated": "3.5", "deprecated_note": "spark.executor.failuresValidityInterval"},
     "4.1.1 SparkConf.scala:795; 3.5.0 package.scala EXECUTOR_ATTEMPT_FAILURE_VALIDITY_INTERVAL_MS: "
     "\"YARN, or Kubernetes when spark.kubernetes.allocation.pods.allocator is set to 'direct'\""),
    ("spark.yarn.keytab", "2.4.5", {"flags": "m"}, "2.4.5 resource-managers/yarn/.../config.scala KEYTAB"),
    # SQLConf.deprecatedSQLConfigs entries whose message is a triple-quoted string.
    ("spark.sql.legacy.replaceDatabricksSparkAvro.enabled", "3.5.0",
     {"deprecated": "3.2", "deprecated_note": "Use `.format(\"avro\")` in `DataFrameWriter` or `DataFrameReader` instead."},
     "3.5.0 SQLConf.scala:4400 DeprecatedConfig(LEGACY_REPLACE_DATABRICKS_SPARK_AVRO_ENABLED.key, \"3.2\", \"\"\"Use ..."),
    ("spark.sql.legacy.replaceDatabricksSparkAvro.enabled", "3.1.2", {"deprecated": ""},
     "3.1.2 SQLConf.scala deprecatedSQLConfigs lacks it"),
    # 4.x Kubernetes keys.
    ("spark.kubernetes.executor.useDriverPodIP", "4.0.0", None, "since 4.1.0 (SPARK-53944)"),
    ("spark.kubernetes.executor.useDriverPodIP", "4.1.1", {"type": "bool", "default": "false"},
     "apache/spark#55591: since 4.1.0"),
    ("spark.kubernetes.driver.pod.excludedFeatureSteps", "4.2.0", {"flags": "l"}, "4.1.0 feature-step exclusion"),
    ("spark.kubernetes.allocation.batch.size", "4.2.0", {"default": "20"}, "SPARK-54422: 20 in 4.2.0"),
    ("spark.kubernetes.allocation.batch.size", "4.0.0", {"default": "10"}, "4.0.0's compiled Config$"),
    # 4.0's record is Kubernetes' Config.scala alone: it says nothing of keys the releases
    # around it define elsewhere (2.4 read spark.files by name in Kubernetes' code).
    ("spark.files", "4.0.0", {"type": "string", "flags": "l"},
     "3.5.0 and 4.1.1 core/.../config/package.scala FILES = ConfigBuilder(\"spark.files\")"),
    ("spark.master", "4.0.0", {"type": "string"}, "3.5.0 and 4.1.1 SparkContext/SparkConf read spark.master"),
    ("spark.kubernetes.executor.hadoopConfigMapName", "4.0.0", {"type": "string"},
     "3.5.0 resource-managers/kubernetes/.../Constants.scala HADOOP_CONFIG_MAP_NAME, read by name; "
     "not in Config.scala"),
    ("spark.driver.minMemoryOverhead", "4.0.0", {"type": "bytes", "unit": "m"},
     "4.1.1 core/.../config/package.scala:132 .version(\"4.0.0\")"),
    ("spark.driver.minMemoryOverhead", "3.5.0", None, "3.5.0 package.scala has no such key"),
    ("spark.executor.memoryOverheadFactor", "3.3.1", {"type": "double"}, "3.3.1 package.scala .version(\"3.3.0\")"),
    ("spark.executor.memoryOverheadFactor", "3.2.3", None, "3.2.3 package.scala has no such key"),
    # 3.0 and 3.1 are lines of their own, read from their trees (not the 3.2 line's labels).
    ("spark.storage.safetyFraction", "3.1.2", {"type": "double"},
     "3.1.2 core/.../config/package.scala:367 ConfigBuilder(\"spark.storage.safetyFraction\") .doubleConf"),
    ("spark.storage.safetyFraction", "3.2.3", None, "3.2.3 package.scala has no such key"),
    ("spark.blacklist.enabled", "3.0.1", {"type": "bool", "deprecated": ""},
     "3.0.1 core/.../config/package.scala:664 ConfigBuilder(\"spark.blacklist.enabled\"); deprecated from 3.1.0"),
    ("spark.kubernetes.pyspark.pythonVersion", "3.0.1", {"deprecated": "", "values": "2,3"},
     "3.0.1 resource-managers/kubernetes/.../Config.scala:283 .checkValue(pv => List(\"2\", \"3\").contains(pv)"),
    ("spark.test.executor.decommission.initial.sleep.millis", "3.1.2", {"type": "int", "flags": "n"},
     "3.1.2 core/.../executor/CoarseGrainedExecutorBackend.scala:309 env.conf.getInt("),
    # A label of a later patch release than the line's tree: in the line from that patch.
    ("spark.kubernetes.allocation.driver.readinessTimeout", "3.1.3", {"type": "time", "unit": "s"},
     "label 3.1.3 (4.3.0-dev Config.scala KUBERNETES_ALLOCATION_DRIVER_READINESS_TIMEOUT)"),
    ("spark.kubernetes.allocation.driver.readinessTimeout", "3.1.2", None,
     "3.1.2 resource-managers/kubernetes/.../Config.scala has no readinessTimeout"),
    # A backport labelled with an older line's patch release: its patch release in the
    # newer line is undated ('b').
    ("spark.sql.adaptive.applyFinalStageShuffleOptimizations", "3.5.1", {"flags": "b"},
     "label 3.4.2 (4.1.1 SQLConf.scala:956); 3.5.0 lacks it"),
    # Keys read by name through SQLConf.getConfString / SQLContext.getConf and string constants.
    ("spark.sql.TungstenAggregate.testFallbackStartsAt", "2.4.5", {"flags": "n"},
     "2.4.5 sql/core/.../aggregate/HashAggregateExec.scala:87 sqlContext.getConf(\"spark.sql.TungstenAggregate..."),
    ("spark.streaming.kinesis.retry.maxAttempts", "3.5.0", {"type": "int", "flags": "n"},
     "3.5.0 connector/kinesis-asl/.../KinesisReadConfigurations.scala:47 getConf.getInt(RETRY_MAX_ATTEMPTS_KEY"),
    ("spark.scheduler.allocation.file", "2.4.5", {"flags": "n"},
     "2.4.5 core/.../scheduler/SchedulableBuilder.scala:87 conf.getOption(SCHEDULER_ALLOCATION_FILE_PROPERTY)"),
    # A line read from no tree of its own: no value claim where the trees around it differ.
    ("spark.sql.adaptive.skewJoin.skewedPartitionFactor", "3.4.1", {"type": "string", "values": ""},
     "3.3.1 SQLConf.scala .intConf, 3.5.0 SQLConf.scala:771 .doubleConf; no 3.4 tree"),
    ("spark.sql.adaptive.skewJoin.skewedPartitionFactor", "3.5.0", {"type": "double"}, "3.5.0 SQLConf.scala:771"),
    ("spark.kubernetes.executor.rollPolicy", "3.4.1", {"values": ""},
     "3.3.1 and 3.5.0 Config.scala ExecutorRollPolicy differ (PEAK_JVM_*_MEMORY, TOTAL_SHUFFLE_WRITE, DISK_USED)"),
    ("spark.sql.parquet.compression.codec", "4.0.0", {"values": ""},
     "3.5.0 SQLConf.scala checkValues lz4raw, 4.1.1 lz4_raw; no 4.0 tree"),
    # 4.1 and 4.2 Kubernetes keys from apache/spark master's Config.scala (labels), and
    # SPARK-54189 (apache/spark#52889, 2025-11-05) removing spark.kubernetes.pyspark.pythonVersion.
    ("spark.kubernetes.executor.resizeInterval", "4.2.0", {"type": "time", "unit": "s"},
     "master Config.scala EXECUTOR_RESIZE_INTERVAL .version(\"4.2.0\") .timeConf(TimeUnit.SECONDS)"),
    ("spark.kubernetes.executor.resizeInterval", "4.1.1", None, "label 4.2.0"),
    ("spark.kubernetes.allocation.maximum", "4.1.1", {"type": "int"},
     "master Config.scala KUBERNETES_ALLOCATION_MAXIMUM .version(\"4.1.0\") .intConf"),
    ("spark.kubernetes.pyspark.pythonVersion", "4.2.0", None, "SPARK-54189 removed it before 4.2's branch"),
    # The 3.2.3 copy read adds keys of its own, labelled "Dat version": not Apache Spark's.
    ("spark.memory.cacheMode", "3.2.3", None,
     "tiendatngcs/spark-3.2.3 core/.../config/package.scala:367 ConfigBuilder(\"spark.memory.cacheMode\") "
     ".version(\"Dat version\"); no Apache release defines it"),
    ("spark.kubernetes.pyspark.pythonVersion", "4.1.1", {"flags": "u"},
     "SPARK-54189 merged 2025-11-05: whether 4.1 has it, no record here says"),
]


def check_facts(result, rows, meta):
    problems = []
    for key, version, want, source in FACTS:
        r = row_for(rows, key, version)
        if want is None:
            if r is not None and "u" not in r["flags"]:
                problems.append(f"{key} on {version}: known, but {source}")
            continue
        if r is None:
            problems.append(f"{key} on {version}: not known, but {source}")
            continue
        for f, v in want.items():
            if f == "not_flags":    # flags the row must not carry
                if any(ch in r["flags"] for ch in v):
                    problems.append(f"{key} on {version}: flags are {r['flags']!r}, without {v!r} ({source})")
                continue
            ok = all(ch in r[f] for ch in v) if f == "flags" else r[f] == v
            if not ok:
                problems.append(f"{key} on {version}: {f} is {r[f]!r}, expected {v!r} ({source})")
    result("registry: facts read in Spark's source, release by release", not problems, "\n".join(problems))


def check_shape(result, rows, meta, header):
    keys = list(rows)
    result("registry: sorted by key in byte order (the compiler looks keys up by bisection)",
           keys == sorted(keys, key=lambda k: k.encode()))
    lines = meta["lines"]
    result("registry: release lines 2.4, 3.0 to 4.2",
           lines == ["2.4", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "4.0", "4.1", "4.2"], str(lines))
    bad = []
    for k, rs in rows.items():
        seen = [e.split(":")[0] for r in rs for e in r["lines"].split()]
        if seen != sorted(seen, key=lambda l: lines.index(l)) or len(seen) != len(set(seen)):
            bad.append(k)
    result("registry: a key's rows hold each line once, in order", not bad, "\n".join(bad[:20]))
    counts = {l: sum(1 for k in rows if (lambda r: r and "r" not in r["flags"])(row_for(rows, k, l + ".99")))
              for l in lines}
    result("registry: 3.0 and 3.1 know over 950 keys, each line from 3.2 over 1,100, 4.x over 1,450",
           all(counts[l] > 950 for l in ("3.0", "3.1")) and all(counts[l] > 1100 for l in lines if l >= "3.2")
           and all(counts[l] > 1450 for l in lines if l >= "4.0"), str(counts))
    # A namespace's keys are judged unknown only on lines whose own source was read for it.
    sql, k8s = meta["ns"].get("spark.sql.", "").split(), meta["ns"].get("spark.kubernetes.", "").split()
    result("registry: namespaces judged only on lines read from their own source (not 3.4; 4.0 for SQL; 4.1, "
           "4.2 for Kubernetes)",
           "3.5" in sql and "3.4" not in sql and "4.0" not in sql and "4.0" in k8s and "4.1" not in k8s
           and "4.2" not in k8s and "3.3" not in meta["ns"].get("spark.streaming.", "").split(), str(meta["ns"]))
    selfish = [k for k, rs in rows.items() for r in rs
               if r["deprecated"] and r["deprecated_note"] in (k, f"Use '{k}' instead.")]
    result("registry: no key is deprecated in favour of itself", not selfish, "\n".join(selfish))
    need = {"spark.*.io.maxRetries", "spark.kubernetes.driver.label.**", "spark.executor.resource.*.amount",
            "spark.sql.catalog.**", "spark.hadoop.**", "spark.scheduler.listenerbus.eventqueue.*.capacity"}
    result("registry: templated keys", need <= set(meta["tpl"]), str(need - set(meta["tpl"])))
    result("registry: cluster managers and vendors",
           {"spark.yarn.", "spark.mesos.", "spark.deploy."} <= set(meta["cm"])
           and {"Amazon EMR", "Databricks Runtime", "Cloudera", "Google Dataproc"} <= set(meta["vendor"]),
           str(meta["cm"]) + str(meta["vendor"]))
    result("registry: the header names the Spark releases read",
           all(any(f"Spark {v}" in h for h in header) for v in ("2.4.5", "3.0.1", "3.1.2", "3.2.3", "3.3.1", "3.5.0",
                                                                "4.0.0", "4.1.1", "4.2.0")), "\n".join(header))


def sample_key(key):
    """A documented key with its placeholders named: spark.kubernetes.driver.label.[LabelName]
    -> spark.kubernetes.driver.label.name1."""
    return re.sub(r"\[[^\]]*\]|\{[^}]*\}|\$\{[^}]*\}|<[^>]*>|\*", "name1", key).replace("$name1", "name1")


def check_documented(result, sparkc):
    """Every key of a release's documentation tables is a key of that release."""
    problems = []
    docs = os.path.join(HERE, "spark-docs")
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(os.listdir(docs)):
            version = name[:-4]
            keys = [sample_key(k) for k in open(os.path.join(docs, name), encoding="utf-8").read().split()]
            job = {"kind": "spark", "metadata": {"name": "docs", "project": "p"},
                   "spec": {"command": "local:///app/main.py", "image": "apache/spark:" + version,
                            "spark_version": version, "spark_conf": {k: "1" for k in keys}}}
            path = os.path.join(tmp, version + ".yaml")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(job, f)
            p = subprocess.run([sparkc, "validate", "--format", "json", path], capture_output=True, text=True)
            try:
                items = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
            except ValueError:
                problems.append(f"{version}: sparkc said {p.stdout[:200]} {p.stderr[:200]}")
                continue
            for d in items:
                if d.get("rule") in ("conf-unknown", "conf-too-new"):
                    problems.append(f"{version}: {d.get('rule')}: {d.get('message')}")
    result("registry: every documented key is known for its release (%d releases)" % len(os.listdir(docs)),
           not problems, "\n".join(problems[:40]))


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

  private[spark] val WIDE = ConfigBuilder("spark.test.wide")
    .version("1.0.0")
    .longConf
    .createWithDefault(10)
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
    .doc("How long to wait.")
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

  private[spark] val WIDE = ConfigBuilder("spark.test.wide")
    .version("1.0.0")
    .bytesConf(ByteUnit.BYTE)
    .createWithDefault(10)

  private[spark] val OLDER = ConfigBuilder("spark.test.older")
    .version("3.6.0")
    .booleanConf
    .createWithDefault(false)

  private[spark] val FORK = ConfigBuilder("spark.test.forkOnly")
    .version("Our version")
    .booleanConf
    .createWithDefault(false)

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
SPARKCONF_OLD = '''
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
SPARKCONF_NEW = SPARKCONF_OLD.replace('''
    EXECUTOR_CORES.key -> Seq(
      AlternateConfig("spark.test.cores", "2.0"))''', "")
READER = '''
class Reader(conf: SparkConf) {
  val a = conf.getBoolean("spark.test.byName", false)
  val b = conf.getSizeAsMb("spark.test.byNameSize", "1m")
  val c = sqlConf.getConfString("spark.test.rawSql", "false") == "true"
  val d = conf.getInt(Reader.RETRIES_KEY, 3)
}
object Reader {
  val RETRIES_KEY = "spark.test.byConstant"
}
'''
# A third release: a key labelled with a later patch of an older line than its tree
# (a backport), a key whose type changed, and the record of a removal.
CORE_NEWER = CORE_NEW.replace('''  private[spark] val OLDER''', '''  private[spark] val BACKPORT = ConfigBuilder("spark.test.backport")
    .version("3.4.2")
    .booleanConf
    .createWithDefault(false)

  private[spark] val SAME_LINE = ConfigBuilder("spark.test.sameLine")
    .version("3.5.2")
    .booleanConf
    .createWithDefault(false)

  private[spark] val OLDER''').replace('''ConfigBuilder("spark.test.wide")
    .version("1.0.0")
    .bytesConf(ByteUnit.BYTE)''', '''ConfigBuilder("spark.test.wide")
    .version("1.0.0")
    .doubleConf''')
DOCS = '''<table>
<tr><th>Property Name</th><th>Default</th><th>Meaning</th><th>Since Version</th></tr>
<tr>
  <td><code>spark.test.documented</code></td>
  <td>(none)</td>
  <td>A key the documentation lists.</td>
  <td>3.2.0</td>
</tr>
<tr>
  <td><code>spark.test.label.[LabelName]</code></td>
  <td>(none)</td>
  <td>A templated key.</td>
  <td>3.2.0</td>
</tr>
</table>
'''
# Another module's val of the same name as core's (Mesos' EXECUTOR_MEMORY_OVERHEAD): SparkConf
# in core means core's.
MESOS = '''
package object config {
  private[spark] val EXECUTOR_CORES = ConfigBuilder("spark.mesos.test.cores")
    .version("1.0.0")
    .intConf
    .createWithDefault(1)
}
'''
# SQLConf's deprecations, one with a triple-quoted message.
SQLCONF = '''
object SQLConf {
  val AVRO_COMPAT = buildConf("spark.sql.test.avroCompat")
    .version("2.4.0")
    .booleanConf
    .createWithDefault(true)

  val deprecatedSQLConfigs: Map[String, DeprecatedConfig] = {
    val configs = Seq(
      DeprecatedConfig(AVRO_COMPAT.key, "3.2",
        """Use `.format("avro")` instead.""")
    )
  }
}
'''
# Kubernetes' Config.scala, and a key its module reads by name in another file: a record of
# Config.scala alone says nothing of the other file's key.
K8S_CONFIG = '''
private[spark] object Config {
  val PODS = ConfigBuilder("spark.kubernetes.test.pods")
    .version("3.0.0")
    .intConf
    .createWithDefault(5)
}
'''
K8S_READER = 'class Step(conf: SparkConf) { val m = conf.get("spark.kubernetes.test.byName", "x") }\n'
K8S = "resource-managers/kubernetes/core/src/main/scala/org/apache/spark/deploy/k8s/"
LAUNCHER = 'public class SparkLauncher {\n  public static final String EXECUTOR_CORES = "spark.executor.cores";\n}\n'
CORE = "core/src/main/scala/org/apache/spark/"


def write(root, rel, text):
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)


def check_script(result):
    with tempfile.TemporaryDirectory() as tmp:
        for version, core, sparkconf in (("3.2.0", CORE_OLD, SPARKCONF_OLD), ("3.5.0", CORE_NEW, SPARKCONF_NEW),
                                         ("4.1.0", CORE_NEWER, SPARKCONF_NEW)):
            write(tmp, f"{version}/{CORE}internal/config/package.scala", core)
            write(tmp, f"{version}/{CORE}SparkConf.scala", sparkconf)
            write(tmp, f"{version}/launcher/src/main/java/org/apache/spark/launcher/SparkLauncher.java", LAUNCHER)
            write(tmp, f"{version}/docs/configuration.md", DOCS)
            write(tmp, f"{version}/resource-managers/mesos/src/main/scala/org/apache/spark/deploy/mesos/config.scala",
                  MESOS)
        for version in ("3.5.0", "4.1.0"):
            write(tmp, f"{version}/sql/catalyst/src/main/scala/org/apache/spark/sql/internal/SQLConf.scala", SQLCONF)
            write(tmp, f"{version}/{K8S}Config.scala", K8S_CONFIG)
            write(tmp, f"{version}/{K8S}features/Step.scala", K8S_READER)
        write(tmp, "4.0.0/keys.tsv", f"source\ta record of 4.0.0's Config.scala\nfile\t{K8S}Config.scala\tas\t3.5.0\n")
        write(tmp, f"3.5.0/{CORE}util/Reader.scala", READER)
        # A partial record of a fourth release: one key added, one removed.
        write(tmp, "4.2.0/keys.tsv", "source\ta record of 4.2.0\n"
              f"file\t{CORE}internal/config/package.scala\tpartial\n"
              "key\tspark.test.fresh\tbool\t\t4.2.0\tfalse\t\t\tNew in 4.2.0.\n"
              "gone\tspark.test.timeout\n")
        p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "spark-config-registry.py"), tmp],
                           capture_output=True, text=True)
        if p.returncode:
            result("registry script: runs", False, p.stderr)
            return
        rows, meta, header = load(p.stdout)
        want = [
            ("spark.executor.cores", "3.2.0", {"type": "int", "since": "1.0.0", "default": "1"}),
            ("spark.test.gone", "3.2.0", {"type": "bool", "since": "3.2.0"}),
            ("spark.test.gone", "3.5.0", None),
            ("spark.test.timeout", "3.5.0", {"type": "time", "unit": "s", "default": "120s",
                                             "doc": "How long to wait."}),
            ("spark.test.size", "3.4.1", {"type": "bytes", "unit": "m"}),
            ("spark.test.size", "3.4.0", None),             # labelled 3.4.1: in 3.4 from that patch
            ("spark.test.size2", "3.5.0", {"type": "bytes", "unit": "m"}),
            ("spark.test.wide", "3.2.0", {"type": "long"}),  # a type per release
            ("spark.test.wide", "3.5.0", {"type": "bytes", "unit": "b"}),
            ("spark.test.older", "3.5.0", {"type": "bool"}),  # in the tree, whatever the label says
            ("spark.test.mode", "3.5.0", {"values": "FAST,SAFE", "flags": "c", "default": ""}),
            ("spark.test.codecs", "3.5.0", {"values": "lz4,zstd", "flags": "l"}),
            ("spark.test.old", "3.5.0", {"deprecated": "3.4.0", "deprecated_note": "Please use spark.test.timeout instead."}),
            ("spark.test.cores", "3.2.0", {"deprecated": "2.0", "deprecated_note": "spark.executor.cores"}),  # not Mesos'
            ("spark.test.cores", "3.5.0", None),             # the newer table dropped it
            ("spark.test.byName", "3.5.0", {"type": "bool", "flags": "n"}),
            ("spark.test.byNameSize", "3.5.0", {"type": "bytes", "unit": "m"}),
            ("spark.test.documented", "3.2.0", {"flags": "d", "doc": "A key the documentation lists."}),
            ("spark.test.forkOnly", "3.5.0", None),                  # labelled with no release
            ("spark.test.rawSql", "3.5.0", {"flags": "n"}),          # SQLConf.getConfString
            ("spark.test.byConstant", "3.5.0", {"type": "int", "flags": "n"}),   # getInt(CONSTANT, ...)
            ("spark.test.sameLine", "3.5.2", {"type": "bool"}),      # a later patch of the tree's line
            ("spark.test.sameLine", "3.5.1", None),
            ("spark.test.backport", "3.4.2", {"type": "bool"}),      # labelled 3.4.2
            ("spark.test.backport", "3.5.1", {"flags": "b"}),        # after 3.5.0, patch undated
            ("spark.test.backport", "3.5.0", None),
            ("spark.test.wide", "4.0.0", {"type": "string", "unit": ""}),   # bytes in 3.5.0, double in 4.1.0
            ("spark.test.wide", "4.1.0", {"type": "double"}),
            ("spark.test.fresh", "4.2.0", {"type": "bool"}),
            ("spark.test.timeout", "4.1.0", {"type": "time"}),
            ("spark.test.timeout", "4.2.0", None),                    # the record's 'gone'
            ("spark.sql.test.avroCompat", "3.5.0", {"deprecated": "3.2",
                                                    "deprecated_note": 'Use `.format("avro")` instead.'}),
            ("spark.kubernetes.test.pods", "4.0.0", {"type": "int"}),     # the record
            ("spark.kubernetes.test.byName", "4.0.0", {"flags": "n"}),    # not in the record's file
        ]
        problems = []
        for k, version, fields in want:
            r = row_for(rows, k, version)
            if fields is None:
                if r is not None:
                    problems.append(f"{k} on {version}: known, expected not")
                continue
            if r is None:
                problems.append(f"{k} on {version}: missing")
                continue
            for f, v in fields.items():
                ok = all(ch in r[f] for ch in v) if f == "flags" else r[f] == v
                if not ok:
                    problems.append(f"{k} on {version}: {f} is {r[f]!r}, expected {v!r}")
        if "spark.test.label.**" not in meta["tpl"]:
            problems.append("documented template spark.test.label.** missing: %s" % meta["tpl"])
        if "spark.test.documented" not in p.stderr:
            problems.append("the documented-only key is not printed on stderr:\n" + p.stderr)
        if not any("Spark 3.2.0" in h for h in header) or not any("Spark 3.5.0" in h for h in header):
            problems.append("header does not name both releases:\n" + "\n".join(header))
        result("registry script: reads a Spark source tree", not problems, "\n".join(problems) + "\n" + p.stdout)


# Rules that are claims about a key: a corpus of real sparkConf maps must draw none.
CLAIMS = ("conf-unknown", "conf-too-new", "conf-removed", "conf-deprecated", "conf-value", "heap-too-small")


def check_corpus(result, sparkc):
    """The operator's own examples and tests/spark-corpus/ (data-on-eks and EMR on EKS
    shapes): real sparkConf maps, no claim about their keys."""
    files = sorted(glob.glob(os.path.join(HERE, "operator", "examples", "*.yaml"))
                   + glob.glob(os.path.join(HERE, "spark-corpus", "*.yaml")))
    problems = []
    for path in files:
        p = subprocess.run([sparkc, "validate", "--format", "json", path], capture_output=True, text=True)
        for line in p.stdout.splitlines():
            d = json.loads(line)
            if d.get("rule") in CLAIMS or re.search(r"Spark \d+\.\d+\.\d+(?! \(assumed)", d.get("message", "")) \
                    and d.get("rule", "").startswith("conf-"):
                problems.append(f"{os.path.relpath(path, ROOT)}:{d.get('line')}: {d.get('rule')}: {d.get('message')}")
    result(f"registry: {len(files)} real sparkConf maps draw no claim about their keys", files and not problems,
           "\n".join(problems))


def check_registry(result, sparkc):
    rows, meta, header = load(open(os.path.join(ROOT, "schemas", "spark-config.tsv"), encoding="utf-8").read())
    check_facts(result, rows, meta)
    check_shape(result, rows, meta, header)
    check_documented(result, sparkc)
    check_corpus(result, sparkc)
    check_script(result)
