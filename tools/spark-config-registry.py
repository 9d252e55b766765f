#!/usr/bin/env python3
"""Build schemas/spark-config.tsv, sparkc's registry of Spark's configuration keys, from
Apache Spark's own source, release by release.

    tools/spark-config-registry.py SRC_DIR [--doc-keys DIR] > schemas/spark-config.tsv

--doc-keys DIR writes DIR/VERSION.txt: the keys of each release's documentation tables,
one a line, for the tests' sweep (every documented key is known for its release).

SRC_DIR holds one directory per Spark release, named by its version (3.2.3/, 3.5.0/, ...),
with that release's source tree (any part of it: the main sources of core, common, sql,
streaming, connector, resource-managers and docs/ are read) and optionally:
  SOURCE      where the tree came from (copied into the header);
  keys.tsv    keys of files the tree lacks, from another record of the same release (its
              compiled classes, its documentation); see read_supplement.

What is read, per release:
  - every ConfigBuilder / buildConf / buildStaticConf definition in the main sources: type,
    unit, allowed values, default, .doc() text, .version() label, .withAlternative names;
  - keys read by name (conf.getBoolean("spark.network.crypto.enabled", ...) and the like),
    typed by the getter;
  - SparkConf.deprecatedConfigs and configsWithAlternatives, SQLConf.deprecatedSQLConfigs
    and SQLConf.removedSQLConfigs (with the value Spark still accepts);
  - the keys of the documentation tables (docs/*.md), a second source: a documented key the
    definitions lack is known, and printed on stderr.

A key belongs to a release when that release's tree defines or reads it; its .version()
label is only a hint, used for the release lines no tree was read for (and within a line,
for the patch release a key arrived in). Each release line's facts (type, deprecation,
removal) come from that line's tree, or from the trees around it. Python 3, standard
library only.
"""
import os
import re
import sys

# The release lines the registry answers for, oldest first.
LINES = ["2.4", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "4.0", "4.1", "4.2"]

# Directories whose main sources are read (tests are not Spark's configuration).
SOURCE_DIRS = ("core/", "common/", "launcher/", "sql/", "streaming/", "connector/", "external/",
               "resource-managers/", "mllib/", "graphx/")
DOC_DIR = "docs/"

# Constants defined in files no tree of some releases has, with their values in every
# release read: CatalogManager.SESSION_CATALOG_NAME, MavenUtils.JAR_IVY_SETTING_PATH_KEY,
# network-shuffle's Constants.
EXTRA_CONSTANTS = {
    "SESSION_CATALOG_NAME": "spark_catalog",
    "JAR_IVY_SETTING_PATH_KEY": "spark.jars.ivySettings",
    "SHUFFLE_SERVICE_FETCH_RDD_ENABLED": "spark.shuffle.service.fetch.rdd.enabled",
    "SHUFFLE_SERVICE_DB_BACKEND": "spark.shuffle.service.db.backend",
}

# Keys whose last part is a name the user chooses: matched as patterns, not looked up.
# `*` is one dot-free name, `**` the rest of the key (label names may hold dots). Each
# comes from the prefix constants or the code that reads them, named after the pattern.
TEMPLATES = [
    ("spark.kubernetes.driver.label.**", "Config.KUBERNETES_DRIVER_LABEL_PREFIX"),
    ("spark.kubernetes.executor.label.**", "Config.KUBERNETES_EXECUTOR_LABEL_PREFIX"),
    ("spark.kubernetes.driver.annotation.**", "Config.KUBERNETES_DRIVER_ANNOTATION_PREFIX"),
    ("spark.kubernetes.executor.annotation.**", "Config.KUBERNETES_EXECUTOR_ANNOTATION_PREFIX"),
    ("spark.kubernetes.driver.service.label.**", "Config.KUBERNETES_DRIVER_SERVICE_LABEL_PREFIX"),
    ("spark.kubernetes.driver.service.annotation.**", "Config.KUBERNETES_DRIVER_SERVICE_ANNOTATION_PREFIX"),
    ("spark.kubernetes.driver.secrets.**", "Config.KUBERNETES_DRIVER_SECRETS_PREFIX"),
    ("spark.kubernetes.executor.secrets.**", "Config.KUBERNETES_EXECUTOR_SECRETS_PREFIX"),
    ("spark.kubernetes.driver.secretKeyRef.**", "Config.KUBERNETES_DRIVER_SECRET_KEY_REF_PREFIX"),
    ("spark.kubernetes.executor.secretKeyRef.**", "Config.KUBERNETES_EXECUTOR_SECRET_KEY_REF_PREFIX"),
    ("spark.kubernetes.node.selector.**", "Config.KUBERNETES_NODE_SELECTOR_PREFIX"),
    ("spark.kubernetes.driver.node.selector.**", "Config.KUBERNETES_DRIVER_NODE_SELECTOR_PREFIX"),
    ("spark.kubernetes.executor.node.selector.**", "Config.KUBERNETES_EXECUTOR_NODE_SELECTOR_PREFIX"),
    ("spark.kubernetes.driverEnv.**", "Config.KUBERNETES_DRIVER_ENV_PREFIX"),
    ("spark.executorEnv.**", "SparkConf.setExecutorEnv"),
    # KubernetesVolumeUtils.parseVolumesWithPrefix: <prefix><type>.<name>.mount.path etc.
    ("spark.kubernetes.driver.volumes.*.*.mount.path", "KubernetesVolumeUtils"),
    ("spark.kubernetes.driver.volumes.*.*.mount.subPath", "KubernetesVolumeUtils"),
    ("spark.kubernetes.driver.volumes.*.*.mount.subPathExpr", "KubernetesVolumeUtils"),
    ("spark.kubernetes.driver.volumes.*.*.mount.readOnly", "KubernetesVolumeUtils"),
    ("spark.kubernetes.driver.volumes.*.*.options.*", "KubernetesVolumeUtils"),
    ("spark.kubernetes.driver.volumes.*.*.label.**", "KubernetesVolumeUtils"),
    ("spark.kubernetes.driver.volumes.*.*.annotation.**", "KubernetesVolumeUtils"),
    ("spark.kubernetes.executor.volumes.*.*.mount.path", "KubernetesVolumeUtils"),
    ("spark.kubernetes.executor.volumes.*.*.mount.subPath", "KubernetesVolumeUtils"),
    ("spark.kubernetes.executor.volumes.*.*.mount.subPathExpr", "KubernetesVolumeUtils"),
    ("spark.kubernetes.executor.volumes.*.*.mount.readOnly", "KubernetesVolumeUtils"),
    ("spark.kubernetes.executor.volumes.*.*.options.*", "KubernetesVolumeUtils"),
    ("spark.kubernetes.executor.volumes.*.*.label.**", "KubernetesVolumeUtils"),
    ("spark.kubernetes.executor.volumes.*.*.annotation.**", "KubernetesVolumeUtils"),
    # Config.KUBERNETES_AUTH_*_PREFIX + the *_CONF_SUFFIX constants
    ("spark.kubernetes.authenticate.*", "Config.KUBERNETES_AUTH_CLIENT_MODE_PREFIX"),
    ("spark.kubernetes.authenticate.*.*", "Config.KUBERNETES_AUTH_*_CONF_PREFIX"),
    ("spark.kubernetes.authenticate.driver.mounted.*", "Config.KUBERNETES_AUTH_DRIVER_MOUNTED_CONF_PREFIX"),
    # ResourceUtils: spark.{driver,executor,task}.resource.<name>.{amount,discoveryScript,vendor}
    ("spark.driver.resource.*.amount", "ResourceUtils.AMOUNT"),
    ("spark.driver.resource.*.discoveryScript", "ResourceUtils.DISCOVERY_SCRIPT"),
    ("spark.driver.resource.*.vendor", "ResourceUtils.VENDOR"),
    ("spark.executor.resource.*.amount", "ResourceUtils.AMOUNT"),
    ("spark.executor.resource.*.discoveryScript", "ResourceUtils.DISCOVERY_SCRIPT"),
    ("spark.executor.resource.*.vendor", "ResourceUtils.VENDOR"),
    ("spark.task.resource.*.amount", "ResourceUtils.AMOUNT"),
    # CatalogManager / Catalogs.load: spark.sql.catalog.<name> and its options
    ("spark.sql.catalog.**", "Catalogs.load"),
    ("spark.hadoop.**", "SparkHadoopUtil.appendSparkHadoopConfigs"),
    ("spark.hive.**", "SparkHadoopUtil.appendSparkHiveConfigs"),
    ("spark.metrics.conf.**", "MetricsConfig"),
    ("spark.ssl.**", "SSLOptions.parse"),
    ("spark.sql.streaming.stateStore.rocksdb.**", "RocksDBConf"),
    # LiveListenerBus / AsyncEventQueue: s"$LISTENER_BUS_EVENT_QUEUE_PREFIX.$name.capacity"
    ("spark.scheduler.listenerbus.eventqueue.*.capacity", "AsyncEventQueue.capacity"),
    # YARN's and Mesos' own templated keys (ClientArguments, MesosSchedulerUtils)
    ("spark.yarn.appMasterEnv.**", "yarn Client.setupLaunchEnv"),
    ("spark.yarn.am.nodeLabelExpression", "yarn config"),
    ("spark.mesos.driverEnv.**", "MesosClusterScheduler"),
    ("spark.kafka.clusters.**", "KafkaTokenSparkConf"),
] + [
    # TransportConf (network-common) builds "spark." + module + "." + suffix at run time,
    # for each transport module (shuffle, rpc, files, ...).
    ("spark.*." + suffix, "TransportConf.getConfKey")
    for suffix in ("io.mode", "io.preferDirectBufs", "io.connectionTimeout", "io.connectionCreationTimeout",
                   "io.backLog", "io.numConnectionsPerPeer", "io.serverThreads", "io.clientThreads",
                   "io.receiveBuffer", "io.sendBuffer", "sasl.timeout", "io.maxRetries", "io.retryWait",
                   "io.lazyFD", "io.enableVerboseMetrics", "io.enableTcpKeepAlive")
]

# Keys read where no tree here has the code (PySpark's Python, a launcher constant used
# only as an argument): key, type, since ("" known in every line), default, and where.
READ_BY_NAME = [
    ("spark.python.worker.memory", "string", "", "512m", "pyspark rdd.py, shuffle memory of a Python worker"),
    ("spark.python.profile", "bool", "", "false", "pyspark context.py"),
    ("spark.python.profile.dump", "string", "", "", "pyspark context.py"),
    ("spark.python.profile.memory", "bool", "3.4.0", "false", "pyspark context.py"),
    ("spark.kubernetes.scheduler.volcano.podGroupTemplateFile", "string", "3.3.0", "",
     "VolcanoFeatureStep.POD_GROUP_TEMPLATE_FILE_KEY"),
]

# Prefixes third-party libraries define keys under, inside Spark's namespaces: a key
# there that is near no Spark key is the library's, not a Spark key Spark ignores.
THIRD_PARTY = [
    ("spark.sql.iceberg.", "Apache Iceberg"),
    ("spark.sql.hive.", "Hive Warehouse Connector and Hive integrations"),
    ("spark.databricks.delta.", "Delta Lake"),
    ("spark.delta.", "Delta Lake"),
    ("spark.cassandra.", "Spark Cassandra Connector"),
    ("spark.mongodb.", "MongoDB Spark Connector"),
]

# Vendors' Spark distributions: how their images are named, and the key prefixes their
# Spark reads that Apache Spark does not. Columns: vendor, image pattern (a substring of
# the repository path), key prefixes (comma-separated), where the vendor documents them.
VENDORS = [
    ("Amazon EMR", "/spark/emr-", "spark.sql.parquet.fs.optimized.,spark.sql.emr.,spark.emr.,"
     "spark.dynamicAllocation.emr.,spark.sql.optimizer.emr.,spark.emr-serverless.",
     "Amazon EMR release guide, Spark configuration and optimizations"),
    ("Databricks Runtime", "databricksruntime/", "spark.databricks.",
     "Databricks runtime documentation"),
    ("Cloudera", "cloudera", "spark.cloudera.,spark.lineage.,spark.sql.hive.hwc.",
     "Cloudera Data Platform documentation"),
    ("Google Dataproc", "dataproc", "spark.dataproc.,spark.dynamicAllocation.dataproc.",
     "Dataproc Serverless Spark properties"),
]

# Namespaces Spark owns: a key under one of them that the registry does not know is a
# key Spark ignores. Keys elsewhere (spark.rapids., spark.delta., ...) belong to plugins.
NAMESPACES = [
    "spark.driver.", "spark.executor.", "spark.kubernetes.", "spark.sql.",
    "spark.dynamicAllocation.", "spark.memory.", "spark.shuffle.", "spark.task.",
    "spark.storage.", "spark.network.", "spark.rpc.", "spark.scheduler.",
    "spark.speculation.", "spark.serializer.", "spark.kryo.", "spark.eventLog.",
    "spark.ui.", "spark.locality.", "spark.default.", "spark.files.", "spark.broadcast.",
    "spark.cleaner.", "spark.excludeOnFailure.", "spark.decommission.", "spark.stage.",
    "spark.submit.", "spark.python.", "spark.pyspark.", "spark.history.", "spark.streaming.",
]

# Cluster managers other than Kubernetes: their keys are real Spark keys that a Spark on
# Kubernetes never reads. Prefix, and the cluster manager's name.
CLUSTER_MANAGERS = [
    ("spark.yarn.", "YARN"),
    ("spark.mesos.", "Mesos"),
    ("spark.deploy.", "the standalone cluster manager"),
    ("spark.worker.", "the standalone cluster manager"),
    ("spark.master.", "the standalone cluster manager"),
]

# Deprecations Spark states in a key's documentation rather than in its tables: key,
# since, replacement, and the release lines whose source says so.
DOC_DEPRECATIONS = [
    # Config.scala's PYSPARK_MAJOR_PYTHON_VERSION: .doc("(Deprecated since Spark 3.1, please
    # set 'spark.pyspark.python' and 'spark.pyspark.driver.python' ..."), from 3.1 on.
    ("spark.kubernetes.pyspark.pythonVersion", "3.1.0",
     "spark.pyspark.python and spark.pyspark.driver.python"),
]

# checkValue predicates whose allowed values the script can name: a pattern of the
# predicate -> values. PYSPARK_MAJOR_PYTHON_VERSION from 3.1 on takes "3" only
# (`.checkValue("3" == _, ...)`); 2.4's takes "2" or "3" (`List("2", "3").contains(pv)`).
CHECK_VALUE_SETS = [
    (r'\.checkValue\(\s*"3"\s*==\s*_\s*,', "3"),
    (r'\.checkValue\(\s*\w+\s*=>\s*List\("2",\s*"3"\)\.contains\(\w+\)', "2,3"),
]


def vkey(v):
    parts = [int(x) for x in re.findall(r"\d+", v)[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


def line_of(v):
    return ".".join(v.split(".")[:2])


def mask(text):
    """The text with comments blanked and string literal contents replaced by spaces,
    so that code can be searched without matching inside documentation strings."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out[i:j] = " " * (j - i)
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out[i:j] = [ch if ch == "\n" else " " for ch in text[i:j]]
            i = j
        elif text.startswith('"""', i):
            j = text.find('"""', i + 3)
            j = n if j < 0 else j
            out[i + 3:j] = [ch if ch == "\n" else " " for ch in text[i + 3:j]]
            i = j + 3
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"' and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out[i + 1:j] = " " * (j - i - 1)
            i = j + 1
        elif c == "'" and i + 2 < n and text[i + 2] == "'":
            i += 3
        elif c == "'" and i + 3 < n and text[i + 1] == "\\" and text[i + 3] == "'":
            i += 4
        else:
            i += 1
    return "".join(out)


STRING = r'"((?:[^"\\\n]|\\.)*)"'
# A message argument: string literals, plain, interpolated (s"...") or triple-quoted
# ("""Use `.format("avro")` ...""", SQLConf's LEGACY_REPLACE_DATABRICKS_SPARK_AVRO_ENABLED
# entry), joined with +.
MESSAGE = r'((?:s?(?:"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*")\s*\+?\s*)+)'
MESSAGE_PART = re.compile(r's?(?:"""([\s\S]*?)"""|' + STRING + r')')
GETTERS = {
    "getBoolean": ("bool", ""), "getInt": ("int", ""), "getLong": ("long", ""), "getDouble": ("double", ""),
    "getSizeAsBytes": ("bytes", "b"), "getSizeAsKb": ("bytes", "k"), "getSizeAsMb": ("bytes", "m"),
    "getSizeAsGb": ("bytes", "g"), "getTimeAsMs": ("time", "ms"), "getTimeAsSeconds": ("time", "s"),
    "get": ("string", ""), "getOption": ("string", ""), "contains": ("string", ""),
    "getenv": None, "set": None, "setIfMissing": ("string", ""), "remove": None,
    # SQLConf.getConfString and SQLContext/SQLConf.getConf(key: String, default): SQL's raw
    # reads (HashAggregateExec's spark.sql.TungstenAggregate.testFallbackStartsAt).
    "getConf": ("string", ""), "getConfString": ("string", ""),
}
READ_RE = re.compile(r"\b(" + "|".join(k for k in GETTERS) + r")\(\s*" + STRING)
# The same getters with a string constant for the key: KinesisReadConfigurations'
# conf.getInt(RETRY_MAX_ATTEMPTS_KEY, ...), SchedulableBuilder's SCHEDULER_ALLOCATION_FILE_PROPERTY.
READ_CONST_RE = re.compile(r"\b(" + "|".join(k for k in GETTERS) + r")\(\s*((?:[A-Z]\w*\.)?[A-Z][A-Z0-9_]+)\s*[,)]")


def unescape(s):
    return s.encode().decode("unicode_escape")


def clean(s):
    return re.sub(r"\s+", " ", s).strip()


def short_doc(s):
    """A key's description for the registry: Spark's text, tags dropped, its first
    sentences up to about 240 characters."""
    s = clean(re.sub(r"<[^>]+>", "", s)).replace("\t", " ")
    if len(s) <= 240:
        return s
    cut = s.rfind(". ", 0, 240)
    return s[:cut + 1] if cut > 60 else s[:237].rstrip() + "..."


class Tree:
    """One Spark release's source: string constants, Enumerations, config definitions,
    keys read by name, documented keys, deprecation and removal tables."""

    def __init__(self, root, version):
        self.version = version
        self.line = line_of(version)
        self.texts = {}
        for dirpath, _, files in os.walk(root):
            rel_dir = os.path.relpath(dirpath, root)
            for name in files:
                rel = os.path.normpath(os.path.join(rel_dir, name))
                main = rel.startswith(SOURCE_DIRS) and "/src/main/" in rel and name.endswith((".scala", ".java"))
                if main or (rel.startswith(DOC_DIR) and name.endswith(".md")):
                    with open(os.path.join(dirpath, name), encoding="utf-8", errors="replace") as fh:
                        self.texts[rel] = fh.read()
        # The modules this tree holds: a key of a module the tree lacks is not judged by it.
        self.modules = {module_of(f) for f in self.texts}
        self.record_files = set()   # files a keys.tsv record holds whole (read_supplement)
        # String constants: by file, by class (the file's name) and, for names no file
        # contradicts, by name alone (SparkSubmitOptionParser.DRIVER_MEMORY is
        # "--driver-memory", SparkLauncher.DRIVER_MEMORY "spark.driver.memory").
        self.consts = dict(EXTRA_CONSTANTS)
        self.file_consts, self.class_consts = {}, {}
        self.enums = {}
        for f, t in self.texts.items():
            if f.endswith(".md"):
                continue
            mine = self.file_consts.setdefault(f, {})
            for m in re.finditer(r'(?:val|String)\s+([A-Z][A-Z0-9_]*)(?:\s*:\s*String)?\s*=\s*' + STRING, t):
                value = unescape(m.group(2))
                mine.setdefault(m.group(1), value)
                if value.startswith("spark.") or m.group(1) not in self.consts:
                    self.consts[m.group(1)] = value
            self.class_consts.setdefault(os.path.splitext(os.path.basename(f))[0], {}).update(mine)
            for m in re.finditer(r"object\s+(\w+)\s+extends\s+Enumeration\s*\{(.*?)\}", t, re.S):
                names = []
                for vm in re.finditer(r"val\s+([\w\s,]+?)\s*=\s*Value", m.group(2)):
                    names += [x.strip() for x in vm.group(1).split(",")]
                self.enums[m.group(1)] = names
        self.entries = {}       # key -> dict
        self.vals = {}          # Scala val name -> [(file, key)]: names repeat across modules
        self.gone = set()       # keys a record says this release no longer reads
        for f, t in sorted(self.texts.items()):
            if f.endswith((".scala", ".java")) and re.search(r"\b(ConfigBuilder|buildConf|buildStaticConf)\(", t):
                self._definitions(f, t)
        self.read = self._read_by_name()
        self.documented = self._documented()

    def const(self, name, f=None):
        """A string constant's value: Class.NAME in that class, NAME in file f first."""
        parts = name.split(".")
        if len(parts) > 1 and parts[-2] in self.class_consts and parts[-1] in self.class_consts[parts[-2]]:
            return self.class_consts[parts[-2]][parts[-1]]
        if f and parts[-1] in self.file_consts.get(f, {}):
            return self.file_consts[f][parts[-1]]
        return self.consts.get(parts[-1])

    def resolve(self, expr, f=None):
        expr = expr.strip()
        m = re.fullmatch(STRING, expr)
        if m:
            return unescape(m.group(1))
        m = re.fullmatch(r's' + STRING, expr)
        if m:
            def sub(mm):
                v = self.const(mm.group(1) or mm.group(2), f)
                return "\0" if v is None else v
            s = re.sub(r"\$\{([\w.]+)\}|\$([A-Za-z_][\w]*)", sub, m.group(1))
            return None if "\0" in s else s
        m = re.fullmatch(r"[\w.]+", expr)
        if m:
            return self.const(expr, f)
        return None

    def _definitions(self, f, text):
        code = mask(text)
        start_re = re.compile(r"(?:val\s+(\w+)\s*(?::[^=]+)?=\s*)?\b(ConfigBuilder|buildConf|buildStaticConf)\(")
        end_re = re.compile(r"\.(createWithDefault\w*|createOptional|fallbackConf)\b")
        for m in start_re.finditer(code):
            if code[m.start():].startswith("ConfigBuilder(key") or "def " in code[max(0, m.start() - 40):m.start()]:
                continue
            arg_end = self._close(code, m.end() - 1)
            key = self.resolve(text[m.end():arg_end], f)
            if key is None or not key.startswith("spark."):
                continue
            e = end_re.search(code, arg_end)
            if not e:
                continue
            stop = self._close(code, e.end()) if code[e.end():e.end() + 1] == "(" else e.end()
            chain_code = code[arg_end:stop + 1]
            chain = text[arg_end:stop + 1]
            label = re.search(r'\.version\(' + STRING + r'\)', chain)
            if label and not re.fullmatch(r"\d+\.\d+(\.\d+)?", label.group(1)):
                # Apache Spark labels every definition with its release; a copy that
                # added keys of its own ("Dat version" in one 3.2.3 copy) is not Spark.
                print("not Apache Spark's (labelled %r): %s in %s %s" % (label.group(1), key, self.version, f),
                      file=sys.stderr)
                continue
            entry = self._entry(key, f, chain, chain_code, e.group(1))
            self.entries[key] = entry
            if m.group(1):
                self.vals.setdefault(m.group(1), []).append((f, key))

    def val_key(self, name, f):
        """The key of the config val `name` as code in file f sees it: the val of f itself,
        else of f's module, else the one val of that name. Modules reuse names: in SparkConf
        (core) EXECUTOR_MEMORY_OVERHEAD is core's spark.executor.memoryOverhead, not Mesos'
        spark.mesos.executor.memoryOverhead; a name no rule decides resolves to nothing."""
        found = self.vals.get(name.split(".")[0], [])
        for near in (lambda vf: vf == f, lambda vf: module_of(vf) == module_of(f)):
            keys = {k for vf, k in found if near(vf)}
            if keys:
                return keys.pop() if len(keys) == 1 else None
        keys = {k for _, k in found}
        return keys.pop() if len(keys) == 1 else None

    @staticmethod
    def _close(code, open_paren):
        depth = 0
        for i in range(open_paren, len(code)):
            if code[i] == "(":
                depth += 1
            elif code[i] == ")":
                depth -= 1
                if depth == 0:
                    return i
        return len(code) - 1

    def _entry(self, key, f, chain, chain_code, creator):
        e = {"key": key, "file": f, "type": "string", "unit": "", "since": "", "values": "",
             "default": "", "flags": set(), "fallback": None, "alternatives": [], "doc": ""}
        m = re.search(r'\.version\(' + STRING + r'\)', chain)
        if m and re.fullmatch(r"\d+\.\d+(\.\d+)?", m.group(1)):
            e["since"] = m.group(1) if m.group(1).count(".") == 2 else m.group(1) + ".0"
        m = re.search(r"\.doc\(", chain_code)
        if m:
            inner = chain[m.end():self._close(chain_code, m.end() - 1)]
            e["doc"] = short_doc("".join(self._interp(x, f) for x in re.findall(r's?' + STRING, inner)))
        for kind in ("boolean", "int", "long", "double", "string", "regex"):
            if re.search(r"\." + kind + r"Conf\b", chain_code):
                e["type"] = {"boolean": "bool", "regex": "string"}.get(kind, kind)
        m = re.search(r"\.bytesConf\(ByteUnit\.(\w+)\)", chain_code)
        if m:
            e["type"], e["unit"] = "bytes", {"BYTE": "b", "KiB": "k", "MiB": "m", "GiB": "g",
                                             "TiB": "t", "PiB": "p"}[m.group(1)]
        m = re.search(r"\.timeConf\(TimeUnit\.(\w+)\)", chain_code)
        if m:
            e["type"], e["unit"] = "time", {"NANOSECONDS": "ns", "MICROSECONDS": "us",
                                            "MILLISECONDS": "ms", "SECONDS": "s",
                                            "MINUTES": "min", "HOURS": "h", "DAYS": "d"}[m.group(1)]
        m = re.search(r"\.enumConf\((\w+)\)", chain_code)
        if m:
            e["type"] = "string"
            e["flags"].add("c")        # enumConf upper-cases the value before the lookup
            if m.group(1) in self.enums:
                e["values"] = ",".join(self.enums[m.group(1)])
        if re.search(r"\.toSequence\b", chain_code):
            e["flags"].add("l")
        if re.search(r"\.internal\(\)", chain_code):
            e["flags"].add("i")
        if re.search(r"\.transform\(_\.to(Upper|Lower)Case\(", chain_code):
            e["flags"].add("c")
        m = re.search(r"\.checkValues\(", chain_code)
        if m:
            inner = chain[m.end():self._close(chain_code, m.end() - 1)]
            sm = re.fullmatch(r"\s*Set\((.*)\)\s*", inner, re.S)
            em = re.fullmatch(r"\s*(\w+)\.values\.map\(_\.toString\)\s*", inner)
            vals = None
            if sm:
                parts = [p.strip() for p in sm.group(1).split(",")]
                got = [self.resolve(p) if not re.fullmatch(r"-?\d+", p) else p for p in parts]
                vals = None if None in got else got
            elif em and em.group(1) in self.enums:
                vals = self.enums[em.group(1)]
            if vals:
                e["values"] = ",".join(vals)
        for pattern, values in CHECK_VALUE_SETS:
            if re.search(pattern, chain):
                e["values"] = values
        for am in re.finditer(r'\.withAlternative\(' + STRING + r'\)', chain):
            e["alternatives"].append(am.group(1))
        if creator == "fallbackConf":
            fm = re.search(r"\.fallbackConf\(([\w.]+)\)", chain_code)
            e["fallback"] = fm.group(1).split(".")[-1] if fm else None
        else:
            dm = re.search(r"\.createWithDefault(?:String)?\((.*)\)\s*$", chain, re.S)
            if dm:
                d = dm.group(1).strip()
                sm = re.fullmatch(STRING, d)
                if sm:
                    e["default"] = unescape(sm.group(1))
                elif re.fullmatch(r"-?[\d.]+[LlDd]?|true|false", d):
                    e["default"] = d.rstrip("LlDd")
        return e

    def _read_by_name(self):
        """Keys the code reads with a literal name (SparkConf/TransportConf getters):
        key -> (type, unit, file)."""
        out = {}
        for f, t in self.texts.items():
            if not f.endswith((".scala", ".java")):
                continue
            found = [(m.group(1), unescape(m.group(2))) for m in READ_RE.finditer(t)]
            found += [(m.group(1), self.const(m.group(2), f)) for m in READ_CONST_RE.finditer(t)]
            for getter, key in found:
                if key is None:
                    continue
                if not re.fullmatch(r"spark\.[A-Za-z0-9_.-]*[A-Za-z0-9]", key) or GETTERS[getter] is None:
                    continue
                typ, unit = GETTERS[getter]
                old = out.get(key)
                if old and (old[0], old[1]) != (typ, unit):
                    typ, unit = "string", ""    # read two ways: the laxer reading holds
                out[key] = (typ, unit, f)
        return out

    def _documented(self):
        """Keys in the documentation's property tables: key -> (since, description, doc file).
        Placeholders ([Name], {name}, ${name}, <name>) make templates."""
        out = {}
        for f, t in self.texts.items():
            if not f.endswith(".md"):
                continue
            for m in re.finditer(r"<tr>\s*<td>\s*((?:<code>\s*spark\.[^<]+</code>\s*(?:<br\s*/?>\s*)?)+)</td>(.*?)</tr>",
                                 t, re.S):
                cells = re.findall(r"<td[^>]*>(.*?)</td>", m.group(2), re.S)
                since = clean(re.sub(r"<[^>]+>", "", cells[-1])) if len(cells) >= 3 else ""
                since = since if re.fullmatch(r"\d+\.\d+\.\d+", since) else ""
                desc = short_doc(cells[1]) if len(cells) >= 2 else ""
                for key in re.findall(r"<code>\s*(spark\.[^<\s]+)\s*</code>", m.group(1)):
                    if not re.search(r"\.(org|com|io)$", key):   # spark.apache.org
                        out.setdefault(key, (since, desc, f))
            for m in re.finditer(r"^\|\s*`?(spark\.[A-Za-z0-9_.\-\[\]{}<>$]+)`?\s*\|", t, re.M):
                out.setdefault(m.group(1), ("", "", f))
        return out

    def _interp(self, s, f):
        def sub(mm):
            name = mm.group(1).split(".")
            return (self.val_key(name[0], f) or mm.group(0)) if name[-1] == "key" else mm.group(0)
        s = re.sub(r"\$\{([\w.]+)\}", sub, unescape(s))
        return re.sub(r"\$([A-Z][A-Z0-9_]+)", lambda mm: self.consts.get(mm.group(1), mm.group(0)), s)

    def _message(self, args, f):
        """A MESSAGE argument's text, its parts joined and interpolated."""
        return "".join(self._interp(triple or plain, f) for triple, plain in MESSAGE_PART.findall(args))

    def file(self, suffix):
        """The path of the tree's file whose path ends with suffix, or ""."""
        return next((f for f in self.texts if f.endswith(suffix)), "")

    def text(self, suffix):
        return self.texts.get(self.file(suffix), "")

    def deprecations(self):
        """(old key, since, replacement or message) from SparkConf and SQLConf tables."""
        out = []
        core = "core/src/main/scala/org/apache/spark/SparkConf.scala"
        t = self.text(core)
        for m in re.finditer(r'DeprecatedConfig\(\s*' + STRING + r',\s*' + STRING + r',\s*((?:' + STRING + r'\s*\+?\s*)+)\)', t):
            msg = "".join(unescape(x) for x in re.findall(STRING, m.group(3)))
            out.append((unescape(m.group(1)), m.group(2), msg))
        alt = re.search(r"configsWithAlternatives\s*=\s*Map\[String, Seq\[AlternateConfig\]\]\((.*?)\n  \)", t, re.S)
        if alt:
            for m in re.finditer(r'([\w.]+|' + STRING + r')\s*->\s*Seq\((.*?)\)\)', alt.group(1), re.S):
                target = m.group(1)
                key = unescape(m.group(2)) if m.group(2) is not None else self.val_key(target, core)
                for am in re.finditer(r'AlternateConfig\(\s*' + STRING + r',\s*' + STRING, m.group(3)):
                    if key:
                        out.append((unescape(am.group(1)), am.group(2), key))
        sql = self.file("sql/internal/SQLConf.scala")
        s = self.texts.get(sql, "")
        for m in re.finditer(r'DeprecatedConfig\(\s*([\w.]+|' + STRING + r'),\s*' + STRING + r',\s*' + MESSAGE + r'\)', s):
            key = unescape(m.group(2)) if m.group(2) is not None else self.val_key(m.group(1), sql)
            if key and m.group(1).endswith(".alternatives.head"):
                # DeprecatedConfig(X.alternatives.head, ...): the deprecated name is X's
                # first alternative (spark.sql.legacy....), not X itself.
                alts = self.entries.get(key, {}).get("alternatives") or []
                key = alts[0] if alts else None
            msg = self._message(m.group(4), sql)
            if key:
                out.append((key, m.group(3), msg))
        return out

    def removals(self):
        """(key, version, accepted value, message) from SQLConf.removedSQLConfigs."""
        sql = self.file("sql/internal/SQLConf.scala")
        s = self.texts.get(sql, "")
        out = []
        value = r'(' + STRING + r'|[\w.]+\.toString)'
        for m in re.finditer(r'RemovedConfig\(\s*' + STRING + r',\s*' + STRING + r',\s*' + value +
                             r',\s*' + MESSAGE + r'\)', s):
            accepted = unescape(m.group(4)) if m.group(4) is not None else m.group(3).split(".")[-2]
            msg = self._message(m.group(5), sql)
            out.append((unescape(m.group(1)), m.group(2), accepted, msg))
        return out


def module_of(path):
    """The part of Spark's tree a file belongs to: resource-managers/kubernetes, sql/catalyst,
    core, docs, ..."""
    parts = path.split("/")
    if parts[0] in ("resource-managers", "sql", "connector", "external", "common") and len(parts) > 2:
        return "/".join(parts[:2]) if parts[1] != "connect" else "/".join(parts[:3])
    return parts[0]


def read_supplement(tree, path, trees):
    """keys.tsv: keys a release defines in a file its tree lacks, from another record of
    that release. Lines:
        source  TEXT                          where the record comes from
        file    PATH  as VERSION [partial]    the file's keys are VERSION's, with the rows below
        key     KEY  TYPE  UNIT  SINCE  DEFAULT  VALUES  FLAGS  DESCRIPTION
        drop    KEY
        gone    KEY                           the release no longer reads KEY (a record of
                                              its removal), whatever its files say
    A 'partial' file only adds keys: absence from it says nothing."""
    current = None
    sources = []
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            f = line.split("\t")
            if f[0] == "source":
                sources.append(f[1])
            elif f[0] == "file":
                current = f[1]
                if "partial" not in f:
                    tree.modules.add(module_of(current))
                    tree.record_files.add(current)
                if "as" in f:
                    base = next(t for t in trees if t.version == f[f.index("as") + 1])
                    for k, e in base.entries.items():
                        if e["file"] == current:
                            tree.entries[k] = dict(e, flags=set(e["flags"]))
            elif f[0] == "key":
                f += [""] * (10 - len(f))
                tree.entries[f[1]] = {"key": f[1], "file": current, "type": f[2], "unit": f[3], "since": f[4],
                                      "default": f[5], "values": f[6], "flags": set(f[7]), "fallback": None,
                                      "alternatives": [], "doc": f[8]}
            elif f[0] == "drop":
                tree.entries.pop(f[1], None)
            elif f[0] == "gone":
                tree.entries.pop(f[1], None)
                tree.gone.add(f[1])
    return sources


def cluster_manager_key(k):
    return any(k.startswith(p) for p, _ in CLUSTER_MANAGERS)


def read_as_other(replacement):
    """Whether a deprecation's replacement is one key outside the cluster managers' prefixes."""
    return re.fullmatch(r"spark\.\S+", replacement) is not None and not cluster_manager_key(replacement)


def value_facts(fact):
    """What a key's value is checked against: its type, unit, allowed values, list and case."""
    return (fact["type"], fact["unit"], fact["values"], frozenset(set(fact.get("flags", ())) & {"c", "l"}))


def bump(version):
    """The patch release after version."""
    a, b, c = vkey(version)
    return "%d.%d.%d" % (a, b, c + 1)


def template_of(key):
    """A documented key with placeholders as a template pattern, or None."""
    parts = key.split(".")
    if not any(re.search(r"[\[\]{}<>$*]", p) for p in parts):
        return None
    pat = ["*" if re.search(r"[\[\]{}<>$*]", p) else p for p in parts]
    if pat[-1] == "*":
        pat[-1] = "**"
    return ".".join(pat)


def pattern_match(pat, key):
    rx = "^" + re.escape(pat).replace(r"\*\*", ".+").replace(r"\*", "[^.]+") + "$"
    return re.match(rx, key) is not None


def main():
    root = sys.argv[1]
    doc_keys = sys.argv[sys.argv.index("--doc-keys") + 1] if "--doc-keys" in sys.argv else None
    versions = sorted((d for d in os.listdir(root) if re.fullmatch(r"\d+\.\d+\.\d+", d)), key=vkey)
    trees = []
    origins = {}
    for v in versions:
        t = Tree(os.path.join(root, v), v)
        origin = os.path.join(root, v, "SOURCE")
        origins[v] = [open(origin, encoding="utf-8").read().strip()] if os.path.exists(origin) else []
        sup = os.path.join(root, v, "keys.tsv")
        if os.path.exists(sup):
            origins[v] += read_supplement(t, sup, trees)
        trees.append(t)
    lines = [l for l in LINES]
    templates = list(TEMPLATES)
    if doc_keys:
        os.makedirs(doc_keys, exist_ok=True)
        for t in trees:
            if t.documented:
                with open(os.path.join(doc_keys, t.version + ".txt"), "w", encoding="utf-8") as fh:
                    fh.write("".join(k + "\n" for k in sorted(t.documented)
                                     if not re.search(r"\.(org|com|io)$", k)))

    # ---- every key any tree knows, with the facts of each tree that has it ----------
    facts = {}      # key -> {version: fact}; a fact: type, unit, values, default, flags, since, doc, how
    for t in trees:
        for k, e in t.entries.items():
            facts.setdefault(k, {})[t.version] = dict(e, how="defined")
    for t in trees:       # fallbackConf takes the type of the entry it falls back to
        for k, e in t.entries.items():
            target = t.val_key(e["fallback"], e["file"]) if e["fallback"] else None
            if target in t.entries:
                f, src = facts[k][t.version], t.entries[target]
                f["type"], f["unit"], f["values"] = src["type"], src["unit"], src["values"]
                f["flags"] = set(f["flags"]) | (src["flags"] & {"c", "l"})
    for t in trees:       # alternative names read as the key itself
        for k, e in list(t.entries.items()):
            for a in e["alternatives"]:
                if a not in t.entries:
                    facts.setdefault(a, {})[t.version] = dict(e, key=a, alternatives=[], how="alternative",
                                                              alt_of=k, flags=set(e["flags"]))
    for t in trees:       # keys read by name
        for k, (typ, unit, f) in t.read.items():
            if k in facts and t.version in facts[k]:
                continue
            if any(pattern_match(p, k) for p, _ in templates):
                continue
            facts.setdefault(k, {})[t.version] = {"key": k, "file": f, "type": typ, "unit": unit, "since": "",
                                                  "values": "", "default": "", "flags": {"n"}, "doc": "",
                                                  "how": "read"}
    documented_only = {}
    for t in trees:       # the documentation tables, second source
        for k, (since, desc, f) in t.documented.items():
            pat = template_of(k)
            if pat:
                if not any(p == pat or pattern_match(p, pat.replace("**", "x").replace("*", "x"))
                           for p, _ in templates):
                    templates.append((pat, "documented in " + os.path.basename(f)))
                continue
            for v, fact in facts.get(k, {}).items():
                if not fact.get("doc") and desc:
                    fact["doc"] = desc
            if k in facts and t.version in facts[k]:
                continue
            if any(pattern_match(p, k) or p.startswith(k + ".") for p, _ in templates):
                continue
            if re.search(r"\.(org|com|io)$", k):     # a host name (spark.apache.org)
                continue
            documented_only.setdefault(k, []).append(t.version)
            facts.setdefault(k, {})[t.version] = {"key": k, "file": f, "type": "string", "unit": "",
                                                  "since": since, "values": "", "default": "", "flags": {"d"},
                                                  "doc": desc, "how": "documented"}
    for k, vs in sorted(documented_only.items()):
        print("documented, not defined in the source read: %s (%s)" % (k, ", ".join(vs)), file=sys.stderr)
    for k, typ, since, default, where in READ_BY_NAME:
        if k not in facts:
            facts[k] = {"*": {"key": k, "file": where, "type": typ, "unit": "", "since": since, "values": "",
                              "default": default, "flags": {"n"}, "doc": "", "how": "read"}}

    deprecated = {t.version: {k: (s, m) for k, s, m in t.deprecations()} for t in trees}
    removed = {t.version: {k: (v, d, m) for k, v, d, m in t.removals()} for t in trees}
    for t in trees:
        for k in list(deprecated[t.version]) + list(removed[t.version]):
            facts.setdefault(k, {})

    # ---- per release line: is the key read, with which facts ----------------------
    def trees_of(line):
        return [t for t in trees if t.line == line]

    def covers(t, k):
        """Whether tree t can say a key is absent: it holds the module (a record without a
        tree: the file) where the releases nearest to it have the key, or a record of the
        key's removal. Nearest, not any: spark.files, read by name in 2.4's Kubernetes code,
        is a core entry from 3.0, and 4.0's record of Kubernetes' Config.scala says nothing
        of it."""
        if k in t.gone:
            return True
        held = [u for u in trees if u.version in facts[k] and facts[k][u.version].get("how") != "documented"]
        older = [u for u in held if vkey(u.version) < vkey(t.version)]
        newer = [u for u in held if vkey(u.version) > vkey(t.version)]
        near = older[-1:] + newer[:1]
        files = {facts[k][u.version]["file"] for u in near if "/" in (facts[k][u.version].get("file") or "")}
        if not t.texts:
            return bool(files & t.record_files)
        return bool({module_of(f) for f in files} & t.modules)

    def label(k):
        ls = [f["since"] for f in facts[k].values() if f.get("since")]
        return max(ls, key=vkey) if ls else ""

    def state(k, line):
        """(first patch version in the line, fact, uncertain) or None: the key is not read
        by this line. A tree holding the key proves it; a tree of the line that holds the
        key's module and lacks it disproves it; a line without such a tree takes its
        neighbours' word, the .version() label deciding between them."""
        if "*" in facts[k]:
            f = facts[k]["*"]
            return None if f["since"] and vkey(f["since"]) > vkey(line + ".99") else (line + ".0", f, False)
        lab = label(k)
        mine = trees_of(line)
        have = [t for t in mine if t.version in facts[k]]
        lack = [t for t in mine if t.version not in facts[k] and covers(t, k)]
        if have:
            t = have[0]
            first = lab if lab and line_of(lab) == line and vkey(lab) <= vkey(t.version) else line + ".0"
            older = [o for o in lack if vkey(o.version) < vkey(t.version)]
            if older:       # an older patch release of the line lacks it
                first = max(first, bump(older[-1].version), key=vkey)
            return (first, facts[k][t.version], False)
        if lack:
            # Not in this line's tree. A later patch may have it (a backport): a newer
            # line has it under a label of an older line's patch release.
            newer = [t for t in trees if vkey(t.version) > vkey(lack[-1].version) and t.version in facts[k]]
            if newer and lab and line_of(lab) == line and vkey(lab) > vkey(lack[-1].version):
                # Labelled with a later patch release of this line than the tree read.
                return (lab, facts[k][newer[0].version], False)
            if newer and lab and vkey(lab) < vkey(line + ".0") and vkey(lab)[2] > 0:
                # A backport from an older line: after this line's tree, in a patch
                # release nothing here dates ('b').
                f = facts[k][newer[0].version]
                return (bump(lack[-1].version), dict(f, flags=set(f["flags"]) | {"b"}), False)
            return None
        if lab and line_of(lab) == line and any(t.version in facts[k] for t in trees):
            f = next(facts[k][t.version] for t in trees if t.version in facts[k] and vkey(t.version) >= vkey(lab))
            return (lab, f, False)
        before = [t for t in trees if vkey(t.version) < vkey(line + ".0") and (t.version in facts[k] or covers(t, k))]
        after = [t for t in trees if vkey(t.version) > vkey(line + ".99") and (t.version in facts[k] or covers(t, k))]
        p = before[-1] if before else None
        n = after[0] if after else None
        in_p = p is not None and p.version in facts[k]
        in_n = n is not None and n.version in facts[k]
        if in_p:    # gone by the next tree, undated: present, but no claim about it
            f = facts[k][p.version]
            if in_n and value_facts(f) != value_facts(facts[k][n.version]):
                # The trees around the line read the value differently and none dates the
                # change: no claim about the value (the type, unit and allowed values).
                f = dict(f, type="string", unit="", values="", flags=set(f["flags"]) - {"c", "l"})
            return (line + ".0", f, n is not None and not in_n)
        if in_n:    # new by the next tree: the label says from which release
            if lab and vkey(lab) > vkey(line + ".99"):
                return None
            if not lab and p is not None:
                return (line + ".0", facts[k][n.version], True)
            first = lab if lab and line_of(lab) == line else line + ".0"
            return (first, facts[k][n.version], False)
        return None

    UNSURE = ("?", "")

    def deprecation(k, line):
        """The deprecation in force in a line: its tree's tables, else both neighbours'
        (UNSURE when they differ)."""
        own = [t for t in trees_of(line) if t.texts]
        if own:
            return deprecated[own[-1].version].get(k)
        before = [t for t in trees if t.texts and vkey(t.version) < vkey(line + ".0")]
        after = [t for t in trees if t.texts and vkey(t.version) > vkey(line + ".99")]
        d_p = deprecated[before[-1].version].get(k) if before else None
        d_n = deprecated[after[0].version].get(k) if after else d_p
        if d_p == d_n or (d_p and d_n and d_p[0] == d_n[0]):
            return d_p
        if d_n and not d_p and vkey(d_n[0]) <= vkey(line + ".99") and line_of(d_n[0]) == line:
            return d_n      # the newer table dates it in this line
        return UNSURE

    def removal(k, line):
        """SQLConf.removedSQLConfigs' entry in force in a line: the newest tree up to the
        line that lists it, or a later tree's entry dated in the line or before it."""
        for t in reversed(trees):
            r = removed[t.version].get(k)
            if r and vkey(r[0]) <= vkey(line + ".99"):
                return r
        return None

    rows = []
    for k in sorted(facts, key=lambda x: x.encode()):
        per_line = []
        for line in lines:
            rm = removal(k, line)
            st = state(k, line)
            dep = deprecation(k, line)
            if rm:
                version, accepted, msg = rm
                base = st[1] if st else next(iter(facts[k].values()), {})
                per_line.append((line, version if line_of(version) == line else line + ".0", {
                    "type": base.get("type", "string"), "unit": base.get("unit", ""), "since": label(k),
                    "deprecated": "", "deprecated_msg": "", "removed": version, "remove_msg": clean(msg),
                    "values": accepted, "default": accepted, "flags": "r" + "".join(
                        sorted(set(base.get("flags", set())) & {"i"})), "doc": base.get("doc", "")}))
                continue
            if not st:
                if dep:     # a name only Spark's deprecation tables know
                    per_line.append((line, line + ".0", {
                        "type": "string", "unit": "", "since": "", "deprecated": dep[0],
                        "deprecated_msg": clean(dep[1]), "removed": "", "remove_msg": "", "values": "",
                        "default": "", "flags": "u" if dep is UNSURE else "", "doc": ""}))
                continue
            first, f, unsure = st
            if f.get("how") == "documented":
                # Only the documentation here: the nearest tree's definition says more (a
                # tree copy may lack the module that defines the key).
                # Its value is judged only when the trees on both sides read it alike.
                near = [t for t in trees if t.version in facts[k] and facts[k][t.version]["how"] != "documented"]
                if near:
                    d = facts[k][min(near, key=lambda t: abs(LINES.index(t.line) - LINES.index(line))).version]
                    p = [t for t in near if vkey(t.version) < vkey(line + ".0")]
                    n = [t for t in near if vkey(t.version) > vkey(line + ".99")]
                    if not (p and n and value_facts(facts[k][p[-1].version]) == value_facts(facts[k][n[0].version])):
                        d = dict(d, type="string", unit="", values="", flags=set(d["flags"]) - {"c", "l"})
                    f = dict(d, flags=set(d["flags"]) | {"d"})
            flags = set(f.get("flags", set()))
            if unsure:
                flags.add("u")
            if dep is UNSURE:
                dep = None
            for dk, dsince, drepl in DOC_DEPRECATIONS:
                if dk == k and "Deprecated since" in f.get("doc", ""):
                    dep = (dsince, drepl)
            if cluster_manager_key(k) and not (dep and read_as_other(dep[1])):
                # Not when the release reads it as a key of every cluster manager
                # (configsWithAlternatives: spark.yarn.executor.memoryOverhead is read as
                # spark.executor.memoryOverhead, which sizes Kubernetes pods too).
                flags.add("m")
            per_line.append((line, first, {
                "type": f["type"], "unit": f["unit"], "since": f.get("since") or label(k),
                "deprecated": dep[0] if dep else "", "deprecated_msg": clean(dep[1]) if dep else "",
                "removed": "", "remove_msg": "", "values": f["values"], "default": clean(f["default"]),
                "flags": "".join(sorted(flags)), "doc": f.get("doc", "")}))
        if not per_line:
            continue
        # Merge neighbouring lines with the same facts into one row.
        groups = []
        for line, first, rec in per_line:
            key_rec = {x: y for x, y in rec.items() if x not in ("doc", "since")}
            if groups and groups[-1][1] == key_rec and lines.index(line) == lines.index(groups[-1][0][-1][0]) + 1:
                groups[-1][0].append((line, first))
                groups[-1][2]["doc"] = groups[-1][2]["doc"] or rec["doc"]
            else:
                groups.append(([(line, first)], key_rec, dict(rec)))
        for members, _, rec in groups:
            spec = " ".join(l if first == l + ".0" else "%s:%s" % (l, first) for l, first in members)
            since = rec["since"]
            first_seen = members[0][1]
            if not since or (vkey(since) > vkey(first_seen) and members[0][0] != lines[0]):
                since = first_seen     # the tree is older than the label
            rows.append((k, spec, rec, since))

    # ---- coverage: the release lines whose own source was read for a namespace ------
    # Only there can a key of the namespace be called unknown: a line read from no tree
    # of its own (3.4, 4.0's SQL) may have had keys neither neighbour has.
    def same_module(m):
        """external/kafka-0-10 and connector/kafka-0-10 are one module, moved."""
        return re.sub(r"^(external|connector|sql)/(?=connect|kafka|kinesis|avro|protobuf|spark-ganglia)", "", m)

    def lines_read(ns):
        """A tree reads a namespace when it holds every module that defines the
        namespace's keys in it or in any older tree (3.3.1's copy lacks streaming/)."""
        read, needed = [], set()
        for t in trees:
            needed |= {same_module(module_of(f["file"])) for k, f in t.entries.items() if k.startswith(ns)}
            held = {same_module(m) for m in t.modules}
            if any(k.startswith(ns) for k in t.entries) and needed <= held and t.line not in read:
                read.append(t.line)
        return " ".join(read)

    out = sys.stdout
    out.write("# sparkc's registry of Spark configuration keys, generated by\n")
    out.write("# tools/spark-config-registry.py from Apache Spark's source (do not edit by hand):\n")
    for t in trees:
        for o in origins[t.version]:
            out.write("#   Spark %s from %s\n" % (t.version, o))
        out.write("#   Spark %s: %d files read, %d definitions, %d keys read by name, %d documented\n" % (
            t.version, len(t.texts), len(t.entries), len(t.read), len(t.documented)))
    counts = {l: sum(1 for k, spec, rec, _ in rows if "r" not in rec["flags"] and rec["type"]
                     and any(s.split(":")[0] == l for s in spec.split())) for l in lines}
    out.write("# Keys known per release line:%s\n" % "".join(" %s=%d" % (l, counts[l]) for l in lines))
    out.write("# A row holds a key's facts for the release lines in its second column ('3.5' from\n"
              "# 3.5.0, '3.5:3.5.1' from that patch release); a key has one row per run of lines\n"
              "# with the same facts, rows of a key in line order. A line read from no tree of its\n"
              "# own takes the trees around it, the key's .version() label deciding between them.\n")
    out.write("# Columns: key, lines, type, unit, since (the release that added it), deprecated\n"
              "#   since, replacement or note, removed in, note, allowed values (for a removed key:\n"
              "#   the value Spark still accepts), default, flags, description. Flags: i internal,\n"
              "#   c values case-insensitive, l comma-separated list, r a removed key Spark refuses\n"
              "#   unless set to the accepted value, m a key of another cluster manager, n read by\n"
              "#   name outside the config definitions, d known from the documentation only, u the\n"
              "#   trees around a line disagree and no table dates the change: no claim is made,\n"
              "#   b a backport: in the line after its tree, from a patch release nothing dates.\n")
    out.write("# Lines 'lines' list the release lines; 'ns' a namespace Spark owns and the release lines\n"
              "# whose own source was read for its keys; 'tpl' a templated key ('*' one name, '**' the rest) and the\n"
              "# code that reads it; 'ext' a prefix a third-party library's keys use inside Spark's\n"
              "# namespaces; 'cm' a cluster manager's prefix; 'vendor' a vendor's Spark: its name,\n"
              "# the image pattern, its key prefixes, where it documents them.\n")
    out.write("lines\t%s\n" % " ".join(lines))
    for ns in NAMESPACES:
        out.write("ns\t%s\t%s\n" % (ns, lines_read(ns)))
    for pat, where in sorted(set(templates), key=lambda x: x[0]):
        out.write("tpl\t%s\t%s\n" % (pat, where))
    for prefix, owner in THIRD_PARTY:
        out.write("ext\t%s\t%s\n" % (prefix, owner))
    for prefix, name in CLUSTER_MANAGERS:
        out.write("cm\t%s\t%s\n" % (prefix, name))
    for vendor in VENDORS:
        out.write("vendor\t%s\n" % "\t".join(vendor))
    for k, spec, rec, since in rows:
        out.write("\t".join([k, spec, rec["type"], rec["unit"], since, rec["deprecated"], rec["deprecated_msg"],
                             rec["removed"], rec["remove_msg"], rec["values"], rec["default"], rec["flags"],
                             clean(rec["doc"]).replace("\t", " ")]) + "\n")


if __name__ == "__main__":
    main()
