#!/usr/bin/env python3
"""Build schemas/spark-config.tsv, sparkc's registry of Spark's configuration keys, from
Apache Spark's own source.

    tools/spark-config-registry.py SRC_DIR > schemas/spark-config.tsv

SRC_DIR holds one directory per Spark release, named by its version (3.2.3/, 3.5.0/, ...),
each with the files below at their paths in Spark's source tree (the rest of Spark is not
needed), and optionally a file SOURCE saying where the tree came from (copied into the
header). Every key's type, unit, allowed values, default and the release that added it
(`.version(...)`) are read from its ConfigBuilder chain; deprecations from
SparkConf.deprecatedConfigs and configsWithAlternatives and SQLConf.deprecatedSQLConfigs;
removals from SQLConf.removedSQLConfigs, and from a key's absence in a later release's
source. Python 3, standard library only.
"""
import os
import re
import sys

FILES = [
    "core/src/main/scala/org/apache/spark/internal/config/package.scala",
    "core/src/main/scala/org/apache/spark/internal/config/Deploy.scala",
    "core/src/main/scala/org/apache/spark/internal/config/History.scala",
    "core/src/main/scala/org/apache/spark/internal/config/Kryo.scala",
    "core/src/main/scala/org/apache/spark/internal/config/Network.scala",
    "core/src/main/scala/org/apache/spark/internal/config/Python.scala",
    "core/src/main/scala/org/apache/spark/internal/config/R.scala",
    "core/src/main/scala/org/apache/spark/internal/config/Status.scala",
    "core/src/main/scala/org/apache/spark/internal/config/Streaming.scala",
    "core/src/main/scala/org/apache/spark/internal/config/UI.scala",
    "core/src/main/scala/org/apache/spark/internal/config/Worker.scala",
    "core/src/main/scala/org/apache/spark/SparkConf.scala",
    "resource-managers/kubernetes/core/src/main/scala/org/apache/spark/deploy/k8s/Config.scala",
    "sql/catalyst/src/main/scala/org/apache/spark/sql/internal/SQLConf.scala",
    "sql/catalyst/src/main/scala/org/apache/spark/sql/internal/StaticSQLConf.scala",
    "sql/hive/src/main/scala/org/apache/spark/sql/hive/HiveUtils.scala",
    "streaming/src/main/scala/org/apache/spark/streaming/StreamingConf.scala",
]
# Files that only name keys (string constants used as ConfigBuilder arguments).
CONSTANT_FILES = [
    "launcher/src/main/java/org/apache/spark/launcher/SparkLauncher.java",
    "common/network-shuffle/src/main/java/org/apache/spark/network/shuffle/Constants.java",
    "sql/api/src/main/scala/org/apache/spark/sql/internal/SqlApiConf.scala",
    "sql/api/src/main/scala/org/apache/spark/sql/internal/SqlApiConfHelper.scala",
]

# Constants defined in files the registry does not read (their values as of every release
# read): CatalogManager.SESSION_CATALOG_NAME, MavenUtils.JAR_IVY_SETTING_PATH_KEY, and
# network-shuffle's Constants where a source tree lacks common/.
EXTRA_CONSTANTS = {
    "SESSION_CATALOG_NAME": "spark_catalog",
    "JAR_IVY_SETTING_PATH_KEY": "spark.jars.ivySettings",
    "SHUFFLE_SERVICE_FETCH_RDD_ENABLED": "spark.shuffle.service.fetch.rdd.enabled",
    "SHUFFLE_SERVICE_DB_BACKEND": "spark.shuffle.service.db.backend",
}

# The release lines the registry answers for.
LINES = ["2.4", "3.2", "3.3", "3.4", "3.5", "4.0", "4.1"]

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
] + [
    # TransportConf (network-common) builds "spark." + module + "." + suffix at run time,
    # for each transport module (shuffle, rpc, files, ...).
    ("spark.*." + suffix, "TransportConf.getConfKey")
    for suffix in ("io.mode", "io.preferDirectBufs", "io.connectionTimeout", "io.connectionCreationTimeout",
                   "io.backLog", "io.numConnectionsPerPeer", "io.serverThreads", "io.clientThreads",
                   "io.receiveBuffer", "io.sendBuffer", "sasl.timeout", "io.maxRetries", "io.retryWait",
                   "io.lazyFD", "io.enableVerboseMetrics", "io.enableTcpKeepAlive")
]

# Keys Spark reads by name in code the script does not parse (no ConfigBuilder in the
# files above): key, type, since ("" known in every line), default, and where.
READ_BY_NAME = [
    ("spark.driver.defaultJavaOptions", "string", "3.0.0", "", "SparkLauncher.DRIVER_DEFAULT_JAVA_OPTIONS"),
    ("spark.executor.defaultJavaOptions", "string", "3.0.0", "", "SparkLauncher.EXECUTOR_DEFAULT_JAVA_OPTIONS"),
    ("spark.ui.proxyBase", "string", "", "", "UIUtils.uiRoot"),
    ("spark.files.overwrite", "bool", "", "false", "Utils.fetchFile"),
    ("spark.python.worker.memory", "string", "", "512m", "pyspark rdd.py, shuffle memory of a Python worker"),
    ("spark.python.profile", "bool", "", "false", "pyspark context.py"),
    ("spark.python.profile.dump", "string", "", "", "pyspark context.py"),
    ("spark.python.profile.memory", "bool", "3.4.0", "false", "pyspark context.py"),
    ("spark.kubernetes.scheduler.volcano.podGroupTemplateFile", "string", "3.3.0", "",
     "VolcanoFeatureStep.POD_GROUP_TEMPLATE_FILE_KEY"),
    # external/kafka-0-10 package.scala
    ("spark.streaming.kafka.maxRatePerPartition", "long", "", "0", "kafka010 MAX_RATE_PER_PARTITION"),
    ("spark.streaming.kafka.minRatePerPartition", "long", "", "1", "kafka010 MIN_RATE_PER_PARTITION"),
    ("spark.streaming.kafka.consumer.cache.enabled", "bool", "", "true", "kafka010 CONSUMER_CACHE_ENABLED"),
    ("spark.streaming.kafka.consumer.poll.ms", "long", "", "", "kafka010 CONSUMER_POLL_MS"),
    ("spark.streaming.kafka.consumer.cache.initialCapacity", "int", "", "16",
     "kafka010 CONSUMER_CACHE_INITIAL_CAPACITY"),
    ("spark.streaming.kafka.consumer.cache.maxCapacity", "int", "", "64", "kafka010 CONSUMER_CACHE_MAX_CAPACITY"),
    ("spark.streaming.kafka.consumer.cache.loadFactor", "double", "", "0.75", "kafka010 CONSUMER_CACHE_LOAD_FACTOR"),
    ("spark.streaming.kafka.allowNonConsecutiveOffsets", "bool", "", "false",
     "kafka010 ALLOW_NON_CONSECUTIVE_OFFSETS"),
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

# Deprecations Spark states in documentation strings rather than in its tables.
DOC_DEPRECATIONS = [
    # Config.scala's PYSPARK_MAJOR_PYTHON_VERSION doc: "Deprecated since Spark 3.1".
    ("spark.kubernetes.pyspark.pythonVersion", "3.1.0",
     "spark.pyspark.python and spark.pyspark.driver.python"),
    # package.scala: DRIVER/EXECUTOR_MEMORY_OVERHEAD_FACTOR (3.3.0) take precedence, and
    # BasicDriverFeatureStep/BasicExecutorFeatureStep read them first.
    ("spark.kubernetes.memoryOverheadFactor", "3.3.0",
     "spark.driver.memoryOverheadFactor and spark.executor.memoryOverheadFactor"),
]


def vkey(v):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3]) + (0,) * (3 - len(re.findall(r"\d+", v)[:3]))


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
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out[i + 1:j] = " " * (j - i - 1)
            i = j + 1
        elif c == "'" and i + 2 < n and text[i + 2] == "'":
            i += 3
        else:
            i += 1
    return "".join(out)


STRING = r'"((?:[^"\\]|\\.)*)"'


def unescape(s):
    return s.encode().decode("unicode_escape")


class Source:
    """One Spark release's files: string constants, Enumerations, config definitions."""

    def __init__(self, root, version):
        self.version = version
        self.texts = {}
        for f in FILES + CONSTANT_FILES:
            p = os.path.join(root, f)
            if os.path.exists(p):
                with open(p, encoding="utf-8") as fh:
                    self.texts[f] = fh.read()
        self.consts = dict(EXTRA_CONSTANTS)
        self.enums = {}
        for f, t in self.texts.items():
            for m in re.finditer(r'(?:val|String)\s+([A-Z][A-Z0-9_]*)(?:\s*:\s*String)?\s*=\s*' + STRING, t):
                self.consts[m.group(1)] = unescape(m.group(2))
            for m in re.finditer(r"object\s+(\w+)\s+extends\s+Enumeration\s*\{(.*?)\}", t, re.S):
                names = []
                for vm in re.finditer(r"val\s+([\w\s,]+?)\s*=\s*Value", m.group(2)):
                    names += [x.strip() for x in vm.group(1).split(",")]
                self.enums[m.group(1)] = names
        self.entries = {}       # key -> dict
        self.by_val = {}        # Scala val name -> key
        for f in FILES:
            if f in self.texts:
                self._definitions(f, self.texts[f])

    def resolve(self, expr):
        expr = expr.strip()
        m = re.fullmatch(STRING, expr)
        if m:
            return unescape(m.group(1))
        m = re.fullmatch(r's' + STRING, expr)
        if m:
            def sub(mm):
                name = mm.group(1) or mm.group(2)
                return self.consts.get(name.split(".")[-1], "\0")
            s = re.sub(r"\$\{([\w.]+)\}|\$([A-Za-z_][\w]*)", sub, m.group(1))
            return None if "\0" in s else s
        m = re.fullmatch(r"[\w.]+", expr)
        if m:
            return self.consts.get(expr.split(".")[-1])
        return None

    def _definitions(self, f, text):
        code = mask(text)
        start_re = re.compile(r"(?:val\s+(\w+)\s*(?::[^=]+)?=\s*)?\b(ConfigBuilder|buildConf|buildStaticConf)\(")
        end_re = re.compile(r"\.(createWithDefault\w*|createOptional|fallbackConf)\b")
        for m in start_re.finditer(code):
            if code[m.start():].startswith("ConfigBuilder(key") or "def " in code[max(0, m.start() - 40):m.start()]:
                continue
            arg_end = self._close(code, m.end() - 1)
            key = self.resolve(text[m.end():arg_end])
            if key is None or not key.startswith("spark."):
                if key is None:
                    print(f"{self.version}: {f}: cannot resolve key {text[m.end():arg_end]!r}", file=sys.stderr)
                continue
            e = end_re.search(code, arg_end)
            if not e:
                continue
            stop = self._close(code, e.end()) if code[e.end():e.end() + 1] == "(" else e.end()
            chain_code = code[arg_end:stop + 1]
            chain = text[arg_end:stop + 1]
            entry = self._entry(key, f, chain, chain_code, e.group(1))
            self.entries[key] = entry
            if m.group(1):
                self.by_val[m.group(1)] = key

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
             "default": "", "flags": set(), "fallback": None, "alternatives": []}
        m = re.search(r'\.version\(' + STRING + r'\)', chain)
        if m and re.fullmatch(r"\d+\.\d+(\.\d+)?", m.group(1)):
            e["since"] = m.group(1) if m.group(1).count(".") == 2 else m.group(1) + ".0"
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

    def deprecations(self):
        """(old key, since, replacement or message) from SparkConf and SQLConf tables."""
        out = []
        t = self.texts.get("core/src/main/scala/org/apache/spark/SparkConf.scala", "")
        for m in re.finditer(r'DeprecatedConfig\(' + STRING + r',\s*' + STRING + r',\s*((?:' + STRING + r'\s*\+?\s*)+)\)', t):
            msg = "".join(unescape(x) for x in re.findall(STRING, m.group(3)))
            out.append((unescape(m.group(1)), m.group(2), msg))
        alt = re.search(r"configsWithAlternatives\s*=\s*Map\[String, Seq\[AlternateConfig\]\]\((.*?)\n  \)", t, re.S)
        if alt:
            for m in re.finditer(r'([\w.]+|' + STRING + r')\s*->\s*Seq\((.*?)\)\)', alt.group(1), re.S):
                target = m.group(1)
                key = unescape(m.group(2)) if m.group(2) is not None else self.by_val.get(target.split(".")[0])
                for am in re.finditer(r'AlternateConfig\(' + STRING + r',\s*' + STRING, m.group(3)):
                    if key:
                        out.append((unescape(am.group(1)), am.group(2), key))
        s = self.texts.get("sql/catalyst/src/main/scala/org/apache/spark/sql/internal/SQLConf.scala", "")
        for m in re.finditer(r'DeprecatedConfig\(\s*([\w.]+|' + STRING + r'),\s*' + STRING + r',\s*((?:s?' + STRING + r'\s*\+?\s*)+)\)', s):
            key = unescape(m.group(2)) if m.group(2) is not None else self.by_val.get(m.group(1).split(".")[0])
            if key and m.group(1).endswith(".alternatives.head"):
                # DeprecatedConfig(X.alternatives.head, ...): the deprecated name is X's
                # first alternative (spark.sql.legacy....), not X itself.
                alts = self.entries.get(key, {}).get("alternatives") or []
                key = alts[0] if alts else None
            msg = "".join(self._interp(x) for x in re.findall(r's?' + STRING, m.group(4)))
            if key:
                out.append((key, m.group(3), msg))
        return out

    def _interp(self, s):
        def sub(mm):
            name = mm.group(1).split(".")
            return self.by_val.get(name[0], mm.group(0)) if name[-1] == "key" else mm.group(0)
        return re.sub(r"\$\{([\w.]+)\}", sub, unescape(s))

    def removals(self):
        """(key, version, default, message) from SQLConf.removedSQLConfigs."""
        s = self.texts.get("sql/catalyst/src/main/scala/org/apache/spark/sql/internal/SQLConf.scala", "")
        out = []
        for m in re.finditer(r'RemovedConfig\(\s*' + STRING + r',\s*' + STRING + r',\s*' + STRING +
                             r',\s*((?:s?' + STRING + r'\s*\+?\s*)+)\)', s):
            msg = "".join(self._interp(x) for x in re.findall(r's?' + STRING, m.group(4)))
            out.append((unescape(m.group(1)), m.group(2), unescape(m.group(3)), msg))
        return out


def clean(s):
    return re.sub(r"[\t\n]+", " ", s).strip()


def main():
    root = sys.argv[1]
    versions = sorted((d for d in os.listdir(root) if re.fullmatch(r"\d+\.\d+\.\d+", d)), key=vkey)
    sources = [Source(os.path.join(root, v), v) for v in versions]
    newest = {}                 # file -> the newest source holding it
    for s in sources:
        for f in s.texts:
            newest[f] = s
    keys = {}
    for s in sources:           # newest wins: its version, type and values
        for k, e in s.entries.items():
            keys[k] = dict(e)
    # Spark dates every key with .version() from 3.0 on; a few lack it. Date those by the
    # first 3.x release read that has them; one seen in a single 3.x tree only is that
    # tree's own addition: dropped. Keys of 2.x trees only stay undated (known from the
    # start) until the release they are gone from.
    for k in list(keys):
        e = keys[k]
        if e["since"]:
            continue
        holders = [s.version for s in sources if k in s.entries and vkey(s.version) >= (3, 0, 0)]
        if not holders:
            continue
        if len(holders) == 1 and holders[0] != versions[-1]:
            print(f"{holders[0]}: {k}: not in other releases and undated, skipped", file=sys.stderr)
            del keys[k]
        else:
            e["since"] = holders[0]
    for k, e in keys.items():   # values an enumeration held in an older release's file
        if not e["values"]:
            older = [s.entries[k]["values"] for s in sources if k in s.entries and s.entries[k]["values"]]
            e["values"] = older[-1] if older else ""
    for k, e in keys.items():   # fallbackConf takes the type of the entry it falls back to
        if e["fallback"]:
            src = next((s for s in reversed(sources) if k in s.entries), None)
            target = src.by_val.get(e["fallback"]) if src else None
            if target in keys:
                t = keys[target]
                e["type"], e["unit"], e["values"] = t["type"], t["unit"], t["values"]
                e["flags"] = set(e["flags"]) | (t["flags"] & {"c", "l"})
    # Removal by absence: a key a file defined in one release and no longer in a later one.
    for k, e in keys.items():
        holders = [s for s in sources if e["file"] in s.texts]
        seen = [s for s in holders if k in s.entries]
        later = [s for s in holders if vkey(s.version) > vkey(seen[-1].version)]
        # Spark removes keys in feature releases, not patch releases: gone from the line.
        e["removed"] = line_of(later[0].version) + ".0" if later else ""
        e["remove_msg"] = "no longer in Spark's source" if later else ""
    deprecated = {}
    removed = {}
    for s in sources:
        for k, since, msg in s.deprecations():
            deprecated[k] = (since, msg)
        for k, version, default, msg in s.removals():
            removed[k] = (version, default, msg)
    for k, since, repl in DOC_DEPRECATIONS:
        if k in keys:
            deprecated[k] = (since, repl)
    for k, (since, msg) in deprecated.items():
        if k in keys and keys[k].get("remove_msg") == "no longer in Spark's source":
            keys[k]["removed"] = keys[k]["remove_msg"] = ""    # the tables still name it
        if k not in keys:
            keys[k] = {"key": k, "type": "string", "unit": "", "since": "", "values": "",
                       "default": "", "flags": set(), "removed": "", "remove_msg": ""}
        keys[k]["deprecated"] = since
        keys[k]["deprecated_msg"] = msg
    for k, (version, default, msg) in removed.items():
        e = keys.setdefault(k, {"key": k, "type": "string", "unit": "", "since": "", "values": "",
                                "default": default, "flags": set()})
        e["removed"], e["remove_msg"], e["default"] = version, msg, default
        e["flags"] = set(e["flags"]) | {"r"}   # Spark refuses a value other than the default
    # Alternative names (ConfigBuilder.withAlternative) are read as the key itself, in
    # every release whose source names them (newest wins above, so each release's entries
    # are read here); gone from a later tree of the same file: gone from that line. They
    # are deprecated only where Spark's tables say so (deprecated above).
    alts = {}                   # alternative -> (primary key, releases naming it)
    for s in sources:
        for k, e in s.entries.items():
            for a in e.get("alternatives") or []:
                alts.setdefault(a, (k, []))[1].append(s)
    for a, (k, seen) in alts.items():
        if "file" in keys.get(a, {}):
            continue            # also defined as a key of its own (spark.blacklist.* in 2.4)
        e = keys.get(k) or seen[-1].entries[k]
        later = [s for s in sources if seen[-1].entries[k]["file"] in s.texts
                 and vkey(s.version) > vkey(seen[-1].version)]
        d = keys.get(a, {})
        keys[a] = dict(e, key=a, alternatives=[], flags=set(e["flags"]) - {"r"},
                       deprecated=d.get("deprecated", ""), deprecated_msg=d.get("deprecated_msg", ""),
                       removed=line_of(later[0].version) + ".0" if later else "",
                       remove_msg="no longer in Spark's source" if later else "")

    for k, typ, since, default, where in READ_BY_NAME:
        if k not in keys:
            keys[k] = {"key": k, "type": typ, "unit": "", "since": since, "values": "", "default": default,
                       "flags": set(), "removed": "", "remove_msg": ""}

    coverage = {}
    for ns in NAMESPACES:
        files = {e["file"] for e in keys.values() if e["key"].startswith(ns) and "file" in e}
        coverage[ns] = min((newest[f].version for f in files), key=vkey, default=versions[-1])

    def known(e, line):
        if e.get("since") and vkey(e["since"]) > vkey(line + ".99"):
            return False
        return not (e.get("removed") and vkey(e["removed"]) <= vkey(line + ".0"))

    out = sys.stdout
    out.write("# sparkc's registry of Spark configuration keys, generated by\n")
    out.write("# tools/spark-config-registry.py from Apache Spark's source (do not edit by hand):\n")
    for s in sources:
        origin = os.path.join(root, s.version, "SOURCE")
        if os.path.exists(origin):
            out.write("#   Spark %s from %s\n" % (s.version, open(origin, encoding="utf-8").read().strip()))
        out.write("#   Spark %s: %s\n" % (s.version, ", ".join(sorted(
            os.path.basename(f) for f in s.texts if f in FILES))))
    out.write("# Release lines: %s. Keys known per line:%s\n" % (", ".join(LINES), "".join(
        " %s=%d" % (l, sum(1 for e in keys.values() if (e["since"] or e.get("type")) and known(e, l)
                           and "r" not in e["flags"])) for l in LINES)))
    out.write("# A release line without a tree of its own is judged by each key's .version() and the\n"
              "# trees around it: a key in an older tree and gone from a newer one counts as present\n"
              "# in the lines between. A namespace's keys are known up to the 'ns' release below.\n")
    out.write("# Columns: key, type, unit, since, deprecated since, replacement or note,\n")
    out.write("#   removed in, note, allowed values, default, flags (i internal, c values\n")
    out.write("#   case-insensitive, l comma-separated list, r a removed SQL key Spark refuses\n")
    out.write("#   unless set to its default).\n")
    out.write("# Lines 'ns' name a namespace Spark owns and the last release its keys were read from;\n")
    out.write("# lines 'tpl' a templated key ('*' one name, '**' the rest) and the code that reads it;\n")
    out.write("# lines 'ext' a prefix a third-party library's keys use inside Spark's namespaces.\n")
    for ns in NAMESPACES:
        out.write("ns\t%s\t%s\n" % (ns, coverage[ns]))
    for pat, where in TEMPLATES:
        out.write("tpl\t%s\t%s\n" % (pat, where))
    for prefix, owner in THIRD_PARTY:
        out.write("ext\t%s\t%s\n" % (prefix, owner))
    for k in sorted(keys, key=lambda x: x.encode()):
        e = keys[k]
        out.write("\t".join([k, e["type"], e["unit"], e.get("since", ""), e.get("deprecated", ""),
                             clean(e.get("deprecated_msg", "")), e.get("removed", ""),
                             clean(e.get("remove_msg", "")), e["values"], clean(e["default"]),
                             "".join(sorted(e["flags"]))]) + "\n")


if __name__ == "__main__":
    main()
