/* rules.c - see rules.h. The table is sorted by id (rule_find searches it). */
#include "rules.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "emit.h"
#include "node.h"
#include "suggest.h"

#define ERROR .severity = SEV_ERROR
#define WARNING .severity = SEV_WARNING

const struct rule rules[] = {
	{"build-not-run", WARNING, .group = GROUP_JOB,
	 .summary = "build steps MLRun would run before the job, which sparkc does not",
	 .text = "`build.commands`, `build.requirements` or `build.base_image` in an export mean that MLRun builds an "
		 "image before the job runs. sparkc builds nothing, so when `image` is empty, is the base image, or is "
		 "MLRun's `.name:tag` shorthand for the image it would build, the manifest runs without those steps.",
	 .source = "MLRun `mlrun/runtimes/kubejob.py` `deploy` (the image build before a run)"},
	{"command-relative", ERROR, .group = GROUP_JOB,
	 .summary = "a relative command with no absolute workdir to join it to",
	 .text = "A `command` without `://` becomes `local://<workdir>/<command>`, the workdir resolved as MLRun does: an "
		 "absolute `workdir`, else `build.source_code_target_dir` (with a relative `workdir` under it). With "
		 "neither, MLRun would emit the broken `local://app.py`.",
	 .source = "MLRun server, kubejob runtime handler `_resolve_workdir`"},
	{"concurrency-policy", ERROR, .group = GROUP_JOB,
	 .summary = "a ScheduledSparkApplication's concurrencyPolicy outside Allow, Forbid, Replace",
	 .text = "The operator's CRD accepts any string as `concurrencyPolicy`, and the operator fails the run at "
		 "reconcile time; sparkc says so at the field. A job's schema gives the same error (`schema-enum`).",
	 .source = "kubeflow/spark-operator issues #2837, #2964 (`api/v1beta2` ScheduledSparkApplicationSpec)"},
	{"conf-cluster-manager", WARNING, .group = GROUP_SPARK_CONF,
	 .summary = "a spark_conf key of another cluster manager (YARN, Mesos, standalone)",
	 .text = "`spark.yarn.*`, `spark.mesos.*` and the standalone master's `spark.deploy.*` are real Spark keys, read "
		 "only by their own cluster manager: on Kubernetes they have no effect. sparkc says so rather than calling "
		 "them unknown, and never suggests a deprecated name of the same manager in their place. A YARN name "
		 "that SparkConf reads as a key of every cluster manager (`spark.yarn.executor.memoryOverhead` as "
		 "`spark.executor.memoryOverhead`, `spark.yarn.keytab` as `spark.kerberos.keytab`) does have an effect: "
		 "it is `conf-deprecated`, naming that key.",
	 .source = "apache/spark `resource-managers/yarn/.../config.scala`, `resource-managers/mesos/.../config.scala`, "
		   "`core/.../internal/config/Deploy.scala`, `SparkConf.configsWithAlternatives` (per release; "
		   "schemas/spark-config.tsv `cm` rows)"},
	{"conf-denied", ERROR, .group = GROUP_JOB,
	 .summary = "a spark_conf key the operator sets itself",
	 .text = "`spark.master`, `spark.kubernetes.container.image*` and `spark.kubernetes.authenticate.*` are set by the "
		 "Spark operator for every application (the cluster it runs in, the CR's image, its service account); "
		 "in `spark_conf` or `sparkConf` they are refused.",
	 .source = "kubeflow/spark-operator `internal/controller/sparkapplication/submission.go`"},
	{"conf-deprecated", WARNING, .group = GROUP_SPARK_CONF,
	 .summary = "a spark_conf key deprecated in the job's Spark, with its replacement",
	 .text = "The key is in Spark's deprecation tables for the job's Spark version (the version `spark_version` "
		 "names, else the image tag's); the hint names the key or setting that replaces it. Spark still reads it, "
		 "often as the new key.",
	 .source = "apache/spark `SparkConf.deprecatedConfigs`, `SQLConf.deprecatedSQLConfigs` (per release; "
		   "schemas/spark-config.tsv)"},
	{"conf-namespace", ERROR, .group = GROUP_JOB,
	 .summary = "spark.kubernetes.namespace other than the job's namespace",
	 .text = "The operator submits the application into the CR's namespace; a `spark.kubernetes.namespace` in "
		 "`spark_conf` that names another one contradicts it.",
	 .source = "kubeflow/spark-operator `internal/controller/sparkapplication/submission.go`"},
	{"conf-overridden", WARNING, .group = GROUP_JOB,
	 .summary = "a spark_conf key the CR's own field overrides",
	 .text = "The operator passes `sparkConf` to spark-submit first and the CR's own fields after it, and the last "
		 "`--conf` wins: `spark.executor.instances`, cores, memory, request and limit cores, java options and "
		 "the dynamic allocation keys in `spark_conf` have no effect when sparkc emits the field (it always "
		 "emits MLRun's defaults). The hint names the field to set instead.",
	 .source = "kubeflow/spark-operator `submission.go` (issue #1109)"},
	{"conf-removed", ERROR, .warns_too = true, .group = GROUP_SPARK_CONF,
	 .summary = "a spark_conf key the job's Spark no longer has",
	 .text = "A key Spark removed before the job's version. A removed SQL key set to anything but its old default "
		 "stops the session (an error); otherwise Spark ignores it (a warning).",
	 .source = "apache/spark `SQLConf.removedSQLConfigs`, `requireDefaultValueOfRemovedConf`; the registry's "
		   "removals (schemas/spark-config.tsv)"},
	{"conf-too-new", WARNING, .group = GROUP_SPARK_CONF,
	 .summary = "a spark_conf key added after the job's Spark version",
	 .text = "The key exists only in a later Spark than the job's (the version its source first defines or reads "
		 "it): the job's Spark ignores it. A release line the registry read no source of (2.3, a 3.6 that "
		 "never shipped) draws no claim, and a first release no source dates is not named.",
	 .source = "apache/spark config definitions per release (`ConfigBuilder`, `buildConf`; schemas/spark-config.tsv)"},
	{"conf-unknown", WARNING, .group = GROUP_SPARK_CONF,
	 .summary = "a spark_conf key Spark does not know (did you mean)",
	 .text = "A key in Spark's own namespaces that no Spark release defines, or one near a known key (always when "
		 "only its case differs: keys are case-sensitive). Spark ignores unknown keys silently. Keys outside "
		 "Spark's namespaces, templated keys (labels, secrets, `spark.hadoop.*`) and the prefixes third-party "
		 "libraries use are left alone, as are a team's own keys listed in `.sparkc.yaml` "
		 "(`spark.known-keys`, `spark.known-prefixes`).",
	 .source = "apache/spark `SparkConf`, `ConfigEntry` registry and documentation tables (schemas/spark-config.tsv)"},
	{"conf-value", ERROR, .group = GROUP_SPARK_CONF,
	 .summary = "a spark_conf value Spark cannot parse, or outside the allowed values",
	 .text = "Values are parsed as Spark parses them: sizes and times as `JavaUtils.byteStringAs` and "
		 "`timeStringAs` read them, booleans, numbers and the allowed values of a key. Spark fails when it "
		 "reads the key: SQL's keys when the session starts, the others where the code that uses them runs. "
		 "Where the releases around a line read from no source of its own disagree on a value, no claim.",
	 .source = "apache/spark `ConfigBuilder` converters, `JavaUtils.byteStringAs`, `JavaUtils.timeStringAs`"},
	{"config", ERROR, .group = GROUP_CONTROL,
	 .summary = "a .sparkc.yaml setting sparkc cannot apply",
	 .text = "What the configuration's schema cannot say: a rule turned off or down to a warning although its "
		 "errors cannot be silenced, a `templates` directory that does not exist, a Spark version that is no "
		 "version.",
	 .source = "sparkc's configuration (`sparkc schema --config`)"},
	{"control-character", ERROR, .group = GROUP_JOB,
	 .summary = "a control character in a name, namespace, label, annotation key or path",
	 .text = "A NUL or other C0 control character (tab and newline aside) in a name, namespace, label, annotation "
		 "key or path: Kubernetes and file systems take none, and a NUL would end a C string early. Values "
		 "elsewhere keep such characters and are escaped on output.",
	 .source = "Kubernetes `apimachinery` name and label validation; POSIX file names"},
	{"cpu", ERROR, .group = GROUP_JOB,
	 .summary = "a CPU request or limit that is not a positive Kubernetes quantity",
	 .text = "`requests.cpu`, `limits.cpu` (a manifest's `coreRequest`, `coreLimit`) must be a positive Kubernetes "
		 "quantity such as `1`, `0.5` or `500m`.",
	 .source = "Kubernetes `apimachinery/pkg/api/resource` `ParseQuantity`"},
	{"cpu-request-above-limit", ERROR, .group = GROUP_JOB,
	 .summary = "a CPU request above its limit",
	 .text = "A role's CPU request above its limit, both written (for a manifest, also from `sparkConf`, and the "
		 "cores Spark requests without a request): Kubernetes refuses the pod. The message is MLRun's.",
	 .source = "MLRun server Spark runtime handler (\"Driver CPU request (X) is higher than limit (Y)\"); Kubernetes "
		   "pod validation"},
	{"cron", ERROR, .group = GROUP_JOB,
	 .summary = "a schedule the operator's cron parser refuses",
	 .text = "The schedule as robfig/cron's `ParseStandard` reads it: five fields with names, ranges, steps and "
		 "lists; `@yearly` to `@hourly`, `@every <duration>`; a `CRON_TZ=` or `TZ=` prefix. The error is at "
		 "the offending character.",
	 .source = "robfig/cron v3 `parser.go` `ParseStandard`, as the operator's scheduled-application controller uses it"},
	{"data-store", ERROR, .ignorable = true, .group = GROUP_JOB,
	 .summary = "dbfs://, http(s):// or memory:// in command or deps",
	 .text = "MLRun's Spark runtimes do not support dbfs, http or memory data stores for the application file and "
		 "its jars, files, pyFiles and archives. A policy of MLRun's: the operator accepts the manifest, so "
		 "it may be silenced where a team knows better.",
	 .source = "MLRun docs `docs/runtimes/spark-operator.ipynb` (\"The Spark runtimes spark and remote-spark do not "
		   "support dbfs, http, or memory data stores\")"},
	{"duplicate-job", ERROR, .group = GROUP_INPUT,
	 .summary = "two jobs or manifests with the same namespace and name",
	 .text = "One namespace and name make one Kubernetes object and one file under `-o`: the second is an error, "
		 "naming the first's position, in every command; in `sparkc krm`, a job whose manifest would have the "
		 "namespace and name of another job's or of a SparkApplication or ScheduledSparkApplication among the "
		 "items.",
	 .source = "Kubernetes object identity (namespace, kind, name); the KRM functions specification (items are "
		   "objects)"},
	{"dynamic-allocation", ERROR, .warns_too = true, .group = GROUP_JOB,
	 .summary = "dynamic allocation Spark refuses at start",
	 .text = "`minExecutors` and `initialExecutors` above `maxExecutors`; dynamic allocation in `spark_conf` without "
		 "shuffle tracking (Kubernetes runs no external shuffle service), or on a Spark without it (before "
		 "3.0). An `initialExecutors` below `minExecutors` is a warning: Spark logs one and starts with the "
		 "larger number.",
	 .source = "apache/spark `ExecutorAllocationManager.validateSettings`, `Utils.getDynamicAllocationInitialExecutors`"},
	{"embedded-code", ERROR, .group = GROUP_JOB,
	 .summary = "build.functionSourceCode, which needs a ConfigMap MLRun makes at run time",
	 .text = "Embedded code is shipped by MLRun in a ConfigMap it creates when the job runs; sparkc cannot compile "
		 "it. Point `command` at a file in the image or on v3io.",
	 .source = "MLRun server Spark runtime handler (code as a ConfigMap)"},
	{"empty", ERROR, .group = GROUP_INPUT,
	 .summary = "a file or directory that holds no job",
	 .text = "A file with no document (empty, or only comments), or a directory argument whose walk finds no "
		 "`*.yaml`/`*.yml` outside hidden entries: a pre-commit gate must not pass it silently.",
	 .source = "sparkc's command line"},
	{"executor-cores", WARNING, .group = GROUP_SPARK_CONF,
	 .summary = "an executor requesting a whole CPU more than its cores use",
	 .text = "An executor runs `executor_cores` / `spark.task.cpus` tasks at a time whatever CPU its pod requests: a "
		 "request of a whole CPU or more above the cores is paid for and idle. The hint gives the cores that "
		 "would use it.",
	 .source = "apache/spark `BasicExecutorFeatureStep` (pod CPU request), `TaskSchedulerImpl` (cores / "
		   "`spark.task.cpus` slots)"},
	{"gpu", ERROR, .warns_too = true, .group = GROUP_JOB,
	 .summary = "GPUs Spark and the pod disagree on",
	 .text = "One GPU resource type per role; from Spark 3.0 (resource scheduling), "
		 "`spark.executor.resource.gpu.amount` a whole number no larger than the "
		 "pod's GPU limit; a resource amount with its `.vendor`; a task amount no larger than the executor's. "
		 "A pod given GPUs Spark schedules no task on is a warning.",
	 .source = "apache/spark `ResourceUtils`, `ResourceProfile`, `KubernetesUtils.buildResourcesQuantities`; MLRun "
		   "(\"Sparkjob supports only a single gpu type\")"},
	{"heap-too-small", ERROR, .group = GROUP_SPARK_CONF,
	 .summary = "a heap below the 450 MiB Spark needs",
	 .text = "Spark reserves 300 MiB of the heap and stops at start below 1.5 times that (\"System memory ... must "
		 "be at least 471859200\").",
	 .source = "apache/spark `UnifiedMemoryManager.getMaxMemory`"},
	{"ignore-invalid", ERROR, .group = GROUP_CONTROL,
	 .summary = "an ignore comment or annotation that names no rule, or an unknown one",
	 .text = "`# sparkc:ignore` and `# sparkc:ignore-file` take a comma-separated list of rule ids, then "
		 "optionally ` -- reason`; the `sparkc.io/ignore` annotation the same list. An unknown id is named with "
		 "the closest one.",
	 .source = "sparkc's suppressions"},
	{"ignore-refused", ERROR, .group = GROUP_CONTROL,
	 .summary = "an ignore that would silence an error sparkc does not let be silenced",
	 .text = "Warnings can always be silenced; an error only where the manifest stays one the operator and "
		 "Kubernetes accept (a policy such as `secret-literal`). An ignore that meets any other error is "
		 "refused, and the error stays.",
	 .source = "sparkc's suppressions"},
	{"igz-secret", ERROR, .group = GROUP_JOB,
	 .summary = "igz_spark without a valid access-key Secret name",
	 .text = "The v3io overlay takes the access key from a Secret (`access_key_secret`, from the job or "
		 "templates/igz.yaml), which must be a Kubernetes Secret name.",
	 .source = "MLRun `Spark3Runtime.with_igz_spark`, `mount_v3io`"},
	{"igz-user", ERROR, .group = GROUP_JOB,
	 .summary = "igz_spark without a v3io user",
	 .text = "The v3io overlay needs the user whose home it mounts (`user`, from the job or templates/igz.yaml), "
		 "without a `/`.",
	 .source = "MLRun `Spark3Runtime.with_igz_spark`, `mount_v3io`"},
	{"image-registry-relative", WARNING, .group = GROUP_JOB,
	 .summary = "an image in MLRun's `.name:tag` registry shorthand",
	 .text = "MLRun expands `.name:tag` to its configured registry; a cluster cannot resolve it.",
	 .source = "MLRun `full_image_path`"},
	{"image-required", ERROR, .group = GROUP_JOB,
	 .summary = "no image, and no templates' default",
	 .text = "A job needs an `image` (an empty one is not set) unless the templates give a default image, which "
		 "`use_default_image: true` also asks for.",
	 .source = "MLRun (`if not image` in the Spark runtime)"},
	{"io", ERROR, .group = GROUP_INPUT,
	 .summary = "a file or directory that cannot be read",
	 .text = "An input, a `--templates` directory or a configuration file that cannot be opened or read (exit 2).",
	 .source = "POSIX I/O"},
	{"krm-config", ERROR, .group = GROUP_KRM,
	 .summary = "krm: a functionConfig sparkc cannot use",
	 .text = "`functionConfig` is a ConfigMap whose `data` may set `namespace` and `templates` (an existing "
		 "directory); any other key or kind is refused.",
	 .source = "the KRM functions specification (`functionConfig`)"},
	{"krm-index", WARNING, .group = GROUP_KRM,
	 .summary = "krm: an item's index annotation that is not a number",
	 .text = "`internal.config.kubernetes.io/index` (or `config.kubernetes.io/index`) is the document's position "
		 "in its file; one that is not a number is left out of the results.",
	 .source = "the KRM functions specification (`config.kubernetes.io/index`)"},
	{"krm-input", ERROR, .group = GROUP_KRM,
	 .summary = "krm: standard input that is not one ResourceList",
	 .text = "The function reads one `config.kubernetes.io/v1` ResourceList (or a `v1` List) on stdin.",
	 .source = "the KRM functions specification (ResourceList)"},
	{"label-key", ERROR, .group = GROUP_JOB,
	 .summary = "a label, annotation or node selector key Kubernetes refuses",
	 .text = "Keys of labels, annotations and node selectors are qualified names: an optional DNS subdomain "
		 "prefix and `/`, then at most 63 letters, digits, `-`, `_` and `.`.",
	 .source = "Kubernetes `apimachinery/pkg/util/validation` `IsQualifiedName`"},
	{"label-value", ERROR, .group = GROUP_JOB,
	 .summary = "a label or node selector value Kubernetes refuses",
	 .text = "Label values (and `project`, `tag`, which become `mlrun/project`, `mlrun/tag`) are at most 63 "
		 "letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit.",
	 .source = "Kubernetes `apimachinery/pkg/util/validation` `IsValidLabelValue`"},
	{"limit-depth", ERROR, .group = GROUP_YAML,
	 .summary = "nesting deeper than --max-depth",
	 .text = "Mappings and lists nested deeper than the limit (64 unless `--max-depth` raises it); the parse stops "
		 "at that depth, in bounded memory.",
	 .source = "untrusted input"},
	{"limit-document", ERROR, .group = GROUP_YAML,
	 .summary = "a document larger than --max-document-size",
	 .text = "One YAML document larger than the limit (4 MiB unless `--max-document-size` raises it), stopped "
		 "while it is read.",
	 .source = "untrusted input"},
	{"limit-documents", ERROR, .group = GROUP_YAML,
	 .summary = "more documents in one input than --max-documents",
	 .text = "More YAML documents in one input than the limit (100,000 unless `--max-documents` raises it).",
	 .source = "untrusted input"},
	{"limit-file", ERROR, .group = GROUP_YAML,
	 .summary = "an input larger than --max-file-size",
	 .text = "An input file, or the ResourceList `sparkc krm` reads on standard input, larger than the limit "
		 "(256 MiB unless `--max-file-size` raises it), stopped while it is read.",
	 .source = "untrusted input"},
	{"limit-nodes", ERROR, .group = GROUP_YAML,
	 .summary = "more nodes in a document than --max-nodes, aliases expanded",
	 .text = "A document whose nodes, with every alias expanded, exceed the limit (100,000 unless `--max-nodes` "
		 "raises it): an alias bomb is stopped before it is built.",
	 .source = "untrusted input"},
	{"limit-scalar", ERROR, .group = GROUP_YAML,
	 .summary = "a value (or comment) longer than --max-scalar-size",
	 .text = "One value longer than the limit (1 MiB unless `--max-scalar-size` raises it), stopped once more than "
		 "the limit plus 128 KiB has been read since the last node.",
	 .source = "untrusted input"},
	{"main-class", ERROR, .group = GROUP_JOB,
	 .summary = "a Scala or Java job without main_class",
	 .text = "A JVM application needs its entry point: `main_class` (a manifest's `mainClass`).",
	 .source = "kubeflow/spark-operator `submission.go` (`--class`); spark-submit"},
	{"memory", ERROR, .group = GROUP_JOB,
	 .summary = "a memory size Spark cannot read",
	 .text = "Spark's memory notation: whole numbers with `b k kb m mb g gb t tb p pb` in any case (sparkc also "
		 "takes `Ki Mi Gi Ti Pi` in a job and writes them the JVM way). Fractions, exponents and unknown "
		 "suffixes are refused, and so is a manifest's `1Gi`, which it passes to Spark verbatim.",
	 .source = "apache/spark `JavaUtils.byteStringAs`"},
	{"memory-limit-ignored", WARNING, .group = GROUP_JOB,
	 .summary = "limits.memory, which MLRun drops",
	 .text = "MLRun rebuilds a role's limits without memory; Spark sets the pod's memory limit to its request "
		 "(heap plus overhead).",
	 .source = "MLRun server Spark runtime handler; apache/spark `BasicDriverFeatureStep`, `BasicExecutorFeatureStep`"},
	{"mlrun-version", WARNING, .group = GROUP_SCHEMA,
	 .summary = "a field of a newer MLRun release than the one the job is compiled for",
	 .text = "The field came in a later MLRun release than `--mlrun-version` (or `mlrun.version` in `.sparkc.yaml`) "
		 "names; that MLRun reads only the fields it knows and ignores it. A field at its default value (such as "
		 "`mount_otlp_secret: false`, which every export of its release carries) asks nothing and draws nothing.",
	 .source = "MLRun `mlrun/model.py` `ModelObj.from_dict`; the release of each field in schemas/upstreams.yaml"},
	{"name", ERROR, .group = GROUP_JOB,
	 .summary = "metadata.name that is not a DNS-1035 label",
	 .text = "The name becomes the driver pod's and its Service's: lower-case letters, digits and `-`, starting "
		 "with a letter. The hint offers a fixed name.",
	 .source = "Kubernetes `apimachinery/pkg/util/validation` `IsDNS1035Label` (Service names)"},
	{"name-length", ERROR, .group = GROUP_JOB,
	 .summary = "a name too long for the driver pod (56, or 36 when scheduled)",
	 .text = "`<name>-driver` (the pod's name and labels) and `<name>-ui-svc` must fit 63 characters: at most 56. "
		 "A scheduled job's runs are named `<name>-<19-digit timestamp>`: at most 36.",
	 .source = "kubeflow/spark-operator issues #459, #2509, #2698 (driver pod and Service names), #1549 (scheduled "
		   "runs)"},
	{"namespace", ERROR, .group = GROUP_JOB,
	 .summary = "a namespace that is not a DNS-1123 label",
	 .text = "Namespace names are lower-case letters, digits and `-`, at most 63, starting and ending with a letter "
		 "or digit.",
	 .source = "Kubernetes `apimachinery/pkg/util/validation` `IsDNS1123Label`"},
	{"node-selector-empty", WARNING, .group = GROUP_JOB,
	 .summary = "a \"\" node selector value that removes nothing",
	 .text = "In MLRun, a `\"\"` value removes that key from the selector it overrides (the templates' default); "
		 "one that removes nothing is a slip.",
	 .source = "MLRun node selector resolution (project and config defaults)"},
	{"offheap-size", ERROR, .group = GROUP_JOB,
	 .summary = "off-heap memory enabled without a size",
	 .text = "`spark.memory.offHeap.enabled: true` needs `spark.memory.offHeap.size` above 0, and from Spark 3.1, "
		 "which takes it in whole MiB, of at least 1 MiB.",
	 .source = "apache/spark `MemoryManager.tungstenMemoryMode` (`require(... > 0)`), from 3.1 "
		   "`Utils.executorOffHeapMemorySizeAsMb`, `checkOffHeapEnabled`"},
	{"operator-version", ERROR, .group = GROUP_SCHEMA,
	 .summary = "a field the Spark operator release compiled for does not have",
	 .text = "The field is in a newer CRD of the Spark operator than `--operator-version` (or `operator.version` in "
		 "`.sparkc.yaml`) names: that release's API server rejects the manifest for an unknown field. The message "
		 "names the operator release that has it.",
	 .source = "kubeflow/spark-operator `config/crd/bases/*.yaml` of each release (tests/schemas/<release>/crds)"},
	{"overhead-factor", ERROR, .group = GROUP_JOB,
	 .summary = "a memory overhead factor Spark refuses",
	 .text = "`spark.kubernetes.memoryOverheadFactor` is a finite number of 0 or more, and below 1 before Spark "
		 "3.3; the per-role factors are above 0. Read as Java's `Double.parseDouble` reads them.",
	 .source = "apache/spark `Config.scala`, `package.scala` (`checkValue`), SPARK-37611"},
	{"refused-field", WARNING, .group = GROUP_JOB,
	 .summary = "node_name, security_context, affinity or tolerations on a Spark function",
	 .text = "MLRun's Spark runtime applies none of these fields of its other runtimes (its SDK refuses to set "
		 "them; its server reads the driver_ and executor_ fields), so the manifest leaves them out; the hint "
		 "names the field to use. Exports of MLRun 1.7 to 1.9 carry the preemptible-node affinity and "
		 "tolerations here, which the SDK wrote when the function was made.",
	 .source = "MLRun `Spark3Runtime` (`with_node_selection`, `with_security_context`), `Spark3RuntimeHandler`, "
		   "`KubeResourceSpec.enrich_function_preemption_spec` (1.7-1.9)"},
	{"run-history-limit", ERROR, .group = GROUP_JOB,
	 .summary = "a negative run history limit on a ScheduledSparkApplication",
	 .text = "`successfulRunHistoryLimit` and `failedRunHistoryLimit` below 0 pass the CRD and fail at reconcile "
		 "time. A job's schema gives the same error (`schema-minimum`).",
	 .source = "kubeflow/spark-operator issues #2837, #2964"},
	{"schema-const", ERROR, .group = GROUP_SCHEMA,
	 .summary = "a value other than the one the format allows (a document that is not a job)",
	 .text = "A fixed value differs, such as `kind`. A document that is another MLRun runtime, an MLRun project, "
		 "another operator's or version's SparkApplication, or (alone in its run) another Kubernetes object "
		 "gets this one error at its `kind` or `apiVersion`, saying what it is.",
	 .source = "JSON Schema `const`; MLRun runtime kinds; the operator's CRDs (`sparkoperator.k8s.io/v1beta2`)"},
	{"schema-enum", ERROR, .group = GROUP_SCHEMA,
	 .summary = "a value outside the allowed values",
	 .text = "An enumerated field (`job_type`, `image_pull_policy`, `restart_policy.type`, ...) with another value.",
	 .source = "JSON Schema `enum`; schemas/sparkjob.schema.json and the operator's CRD"},
	{"schema-items", ERROR, .group = GROUP_SCHEMA,
	 .summary = "a list with fewer items than required",
	 .text = "A list shorter than its schema's `minItems`.",
	 .source = "JSON Schema `minItems`"},
	{"schema-length", ERROR, .group = GROUP_SCHEMA,
	 .summary = "a string shorter or longer than allowed",
	 .text = "A string outside its schema's `minLength`/`maxLength` (an empty value where one is needed).",
	 .source = "JSON Schema `minLength`, `maxLength`"},
	{"schema-maximum", ERROR, .group = GROUP_SCHEMA,
	 .summary = "a number above its maximum",
	 .text = "A number above its schema's `maximum`.",
	 .source = "JSON Schema `maximum`"},
	{"schema-minimum", ERROR, .group = GROUP_SCHEMA,
	 .summary = "a number below its minimum",
	 .text = "A number below its schema's `minimum`: `replicas` below 0, cores below 1 (MLRun's `with_cores`), "
		 "a negative history limit.",
	 .source = "JSON Schema `minimum`; MLRun `with_cores`"},
	{"schema-one-of", ERROR, .group = GROUP_SCHEMA,
	 .summary = "a value that matches more than one allowed form",
	 .text = "A value valid under more than one of its schema's `oneOf` branches.",
	 .source = "JSON Schema `oneOf`"},
	{"schema-pattern", ERROR, .group = GROUP_SCHEMA,
	 .summary = "a string that does not match its pattern",
	 .text = "A string its schema's `pattern` refuses (a Spark version, a Kubernetes quantity, a kind).",
	 .source = "JSON Schema `pattern`"},
	{"schema-required", ERROR, .group = GROUP_SCHEMA,
	 .summary = "a required key that is missing (or null)",
	 .text = "Reported at the key that holds the incomplete mapping (`spec:`), or the document's first line for "
		 "the root. A null counts as missing.",
	 .source = "JSON Schema `required`"},
	{"schema-type", ERROR, .group = GROUP_SCHEMA,
	 .summary = "a value of the wrong type",
	 .text = "A string where a number is expected, a list where a mapping is, and so on (an empty list item, which "
		 "has no position of its own, is reported at its list).",
	 .source = "JSON Schema `type`"},
	{"schema-unknown-key", ERROR, .group = GROUP_SCHEMA,
	 .summary = "a key the format does not have (did you mean)",
	 .text = "A key no MLRun export writes (the job format) or the operator's CRD does not define (a manifest), "
		 "with the closest known key by edit distance.",
	 .source = "JSON Schema `additionalProperties: false`; MLRun `Spark3JobSpec`; the operator's CRDs"},
	{"secret-literal", ERROR, .ignorable = true, .group = GROUP_JOB,
	 .summary = "a secret written as plain text",
	 .text = "A literal value for an env var or a `spark_conf`/`hadoop_conf` key whose name says it holds a secret "
		 "(password, token, access key, session, ... read as words, near misses included), or a literal "
		 "flexVolume `accessKey`, in a job or a `--templates` file; and a `kind: Secret` beside a job with "
		 "literal `stringData` or `data`: manifests land in git. The hint gives the `secretKeyRef` way. No output "
		 "shows the value. A policy: the operator accepts the manifest, so it may be silenced for a value that "
		 "is no secret.",
	 .source = "Kubernetes `EnvVarSource.secretKeyRef`; manifests committed to git"},
	{"spark-version", WARNING, .group = GROUP_JOB,
	 .summary = "a spark_version that is no version",
	 .text = "A `spark_version` such as `latest` drives no rule: the image tag's version, else the default, does.",
	 .source = "the operator's `sparkVersion` (recorded, not read)"},
	{"spark-version-image", WARNING, .group = GROUP_JOB,
	 .summary = "a spark_version that contradicts the image tag",
	 .text = "The Spark that runs is the image's: a `spark_version` whose major.minor differs from the version the "
		 "image tag names sizes the pods and gates the rules by the wrong release.",
	 .source = "the image's own Spark; apache/spark sizing per release"},
	{"task-cpus", ERROR, .group = GROUP_SPARK_CONF,
	 .summary = "spark.task.cpus above the executor's cores",
	 .text = "No task fits an executor with fewer cores than a task needs. Spark 3.0 on stops at start (\"The number "
		 "of cores per executor (=N) has to be >= the number of cpus per task = M\"); Spark 2.4 checks nothing "
		 "and never schedules a task.",
	 .source = "apache/spark `SparkContext.checkResourcesPerTask` (3.0), `ResourceUtils.validateTaskCpusLargeEnough` "
		   "(3.1 on), `TaskSchedulerImpl` (2.4)"},
	{"template", ERROR, .group = GROUP_INPUT,
	 .summary = "a --templates file that is not a mapping",
	 .text = "`defaults.yaml` and `igz.yaml` in a `--templates` directory are mappings, checked against "
		 "schemas/templates.schema.json before any job is read.",
	 .source = "sparkc's templates"},
	{"unused-ignore", WARNING, .group = GROUP_CONTROL,
	 .summary = "an ignore comment or annotation that silences nothing",
	 .text = "A `# sparkc:ignore`, `# sparkc:ignore-file` or `sparkc.io/ignore` naming a rule that reports nothing "
		 "where it applies: the problem was fixed, or the comment is on the wrong line.",
	 .source = "sparkc's suppressions"},
	{"volume-duplicate", ERROR, .group = GROUP_JOB,
	 .summary = "two volumes with one name",
	 .text = "Volume names are unique in a pod (MLRun would keep the last silently).",
	 .source = "Kubernetes pod validation (`ValidateVolumes`)"},
	{"volume-undeclared", ERROR, .group = GROUP_JOB,
	 .summary = "a volume mount naming no declared volume (did you mean)",
	 .text = "Every mount names a volume of the job (or of the igz overlay).",
	 .source = "Kubernetes pod validation (`ValidateVolumeMounts`)"},
	{"yaml-alias", ERROR, .group = GROUP_YAML,
	 .summary = "an alias to no earlier anchor",
	 .text = "`*name` names no `&name` before it in the document.",
	 .source = "YAML 1.2 §7.1 (alias nodes)"},
	{"yaml-complex-key", ERROR, .group = GROUP_YAML,
	 .summary = "a list or mapping used as a key",
	 .text = "No Kubernetes or MLRun field has a collection as its key.",
	 .source = "YAML 1.2 (complex keys); the Kubernetes API's string keys"},
	{"yaml-duplicate-key", ERROR, .group = GROUP_YAML,
	 .summary = "a key twice in one mapping",
	 .text = "YAML requires unique keys, and readers disagree on which of two wins; the error points at the first.",
	 .source = "YAML 1.2 §3.2.1.1 (unique keys)"},
	{"yaml-encoding", ERROR, .group = GROUP_YAML,
	 .summary = "invalid UTF-8 or a NUL byte",
	 .text = "Reported at the byte, by sparkc's own reader, before the parser sees it.",
	 .source = "YAML 1.2 §5.2 (character encodings)"},
	{"yaml-leading-zero", ERROR, .group = GROUP_YAML,
	 .summary = "an unquoted integer with a leading zero",
	 .text = "YAML 1.2 reads `0644` as 644, kubectl's YAML 1.1 reader as octal 420: quote it, or write it without "
		 "the zero.",
	 .source = "YAML 1.1 and 1.2 integer resolution (go-yaml v2 in kubectl)"},
	{"yaml-merge", ERROR, .group = GROUP_YAML,
	 .summary = "a merge key << whose value is not a mapping or list of mappings",
	 .text = "`<<: *anchor` or `<<: [*a, *b]` merge mappings; anything else is refused.",
	 .source = "YAML 1.1 merge key type"},
	{"yaml-syntax", ERROR, .group = GROUP_YAML,
	 .summary = "YAML the parser cannot read, in plain words",
	 .text = "libyaml's errors, explained at the place to fix: an unclosed quote at its opening quote, a key "
		 "missing its `:` at the key, tabs in indentation, raw control characters.",
	 .source = "YAML 1.1 syntax as libyaml reads it"},
	{"yaml-tag", ERROR, .group = GROUP_YAML,
	 .summary = "a tag other than the core schema's, or a value its tag does not fit",
	 .text = "Only `!`, `!!str`, `!!int`, `!!float`, `!!bool` and `!!null` are taken, and `!!int x` is refused.",
	 .source = "YAML 1.2 core schema"},
};

const size_t rules_count = sizeof rules / sizeof *rules;

static int by_id(const void *key, const void *r)
{
	return strcmp(key, ((const struct rule *)r)->id);
}

const struct rule *rule_find(const char *id)
{
	return bsearch(id, rules, rules_count, sizeof *rules, by_id);
}

const char *rule_closest(const char *id)
{
	static const char *ids[sizeof rules / sizeof *rules];
	if (!ids[0])
		for (size_t i = 0; i < rules_count; i++)
			ids[i] = rules[i].id;
	return closest_word(id, ids, rules_count);
}

const char *severity_name(enum severity s)
{
	return s == SEV_ERROR ? "error" : "warning";
}

/* ---- what may be silenced ------------------------------------------------------ */

/* What an error of each group protects, for the message that refuses to silence it. */
static const char *const protects[] = {
	[GROUP_YAML] = "the file is not YAML sparkc can read",
	[GROUP_INPUT] = "the run cannot be what it reports",
	[GROUP_SCHEMA] = "the document is not one of the format's",
	[GROUP_JOB] = "Kubernetes, the operator or Spark would refuse or break the manifest",
	[GROUP_SPARK_CONF] = "Spark would stop at start or misread the setting",
	[GROUP_KRM] = "the function's input cannot be what it reports",
	[GROUP_CONTROL] = "sparkc's own settings are wrong",
};

bool rule_silenceable(const struct rule *r, enum severity sev, const char **why)
{
	*why = protects[r->group];
	return sev == SEV_WARNING || r->ignorable;
}

bool rule_adjustable(const struct rule *r)
{
	return r->severity == SEV_WARNING || r->ignorable;
}

/* ---- sparkc rules --------------------------------------------------------------- */

static const char *const group_titles[] = {
	[GROUP_YAML] = "YAML itself",
	[GROUP_INPUT] = "Inputs and the run",
	[GROUP_SCHEMA] = "The format's schema",
	[GROUP_JOB] = "Jobs and operator manifests",
	[GROUP_SPARK_CONF] = "Spark's configuration",
	[GROUP_KRM] = "The KRM function",
	[GROUP_CONTROL] = "Suppressions and configuration",
};

static const char *severity_label(const struct rule *r)
{
	if (r->severity == SEV_WARNING)
		return "warning";
	return r->warns_too ? "error/warning" : "error";
}

/* Markdown's `code` as plain text, for the forms that are no markdown. */
static void put_plain(FILE *out, const char *s)
{
	for (; *s; s++)
		if (*s != '`')
			fputc(*s, out);
}

/* troff text: a backslash is \e, a hyphen \- (so that it stays one when copied), and a
 * line never starts with a control character. */
static void put_man(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '`')
			continue;
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

static void print_text(FILE *out)
{
	fprintf(out, "%-24s %-17s %s\n", "RULE", "SEVERITY", "SUMMARY (and the upstream source it follows)");
	for (size_t i = 0; i < rules_count; i++) {
		const struct rule *r = &rules[i];
		char sev[32];
		snprintf(sev, sizeof sev, "%s%s", severity_label(r), r->ignorable ? ", ignorable" : "");
		fprintf(out, "%-24s %-17s ", r->id, sev);
		put_plain(out, r->summary);
		fprintf(out, "\n%-43s", "");
		put_plain(out, r->source);
		fputc('\n', out);
	}
}

static void print_json(FILE *out)
{
	struct arena a = {0};
	struct node *list = node_new(&a, N_SEQ);
	for (size_t i = 0; i < rules_count; i++) {
		const struct rule *r = &rules[i];
		struct node *o = node_new(&a, N_MAP);
		node_set_str(&a, o, "id", r->id);
		node_set_str(&a, o, "severity", severity_name(r->severity));
		node_set(&a, o, "warnsToo", node_bool(&a, r->warns_too));
		node_set(&a, o, "ignorable", node_bool(&a, r->ignorable));
		node_set_str(&a, o, "group", group_titles[r->group]);
		node_set_str(&a, o, "summary", r->summary);
		node_set_str(&a, o, "text", r->text);
		node_set_str(&a, o, "source", r->source);
		node_set_str(&a, o, "helpUri", arena_printf(&a, "%s#%s", SPARKC_RULES_URL, r->id));
		node_push(&a, list, o);
	}
	emit_json_ordered(out, list, 2);
	fputc('\n', out);
	arena_free(&a);
}

static void print_markdown(FILE *out)
{
	fputs("# sparkc rules\n\n"
	      "<!-- Generated by `sparkc rules --format markdown` from compiler/rules.c; "
	      "tests/rules.py fails when it is out of date. -->\n\n"
	      "Every diagnostic sparkc reports names one of these rules, in every output format "
	      "(`file:line:col: severity: path: message [rule]`). A rule's severity is the one it "
	      "reports unless `.sparkc.yaml` (`rules:`) or `--disable`/`--enable` say otherwise. "
	      "Warnings can always be silenced, by `# sparkc:ignore RULE -- reason` on the line or "
	      "the line above, `# sparkc:ignore-file RULE -- reason` anywhere in the file, or the "
	      "annotation `sparkc.io/ignore: \"RULE\"` on an operator manifest or companion object; "
	      "an error only where the rule is marked *ignorable* (a policy, whose manifest the "
	      "operator and Kubernetes accept). The README's \"Tuning what sparkc reports\" says "
	      "more.\n\n"
	      "| rule | severity | summary |\n|---|---|---|\n", out);
	for (size_t i = 0; i < rules_count; i++)
		fprintf(out, "| [`%s`](#%s) | %s%s | %s |\n", rules[i].id, rules[i].id, severity_label(&rules[i]),
			rules[i].ignorable ? ", ignorable" : "", rules[i].summary);
	for (size_t g = 0; g < sizeof group_titles / sizeof *group_titles; g++) {
		bool heading = false;
		for (size_t i = 0; i < rules_count; i++) {
			const struct rule *r = &rules[i];
			if (r->group != (enum rule_group)g)
				continue;
			if (!heading)
				fprintf(out, "\n## %s\n", group_titles[g]);
			heading = true;
			fprintf(out, "\n### %s\n\n**%s**%s: %s.\n\n%s\n\nSource: %s.\n", r->id, severity_label(r),
				r->ignorable ? " (ignorable)" : "", r->summary, r->text, r->source);
		}
	}
}

static void print_man(FILE *out)
{
	for (size_t i = 0; i < rules_count; i++) {
		const struct rule *r = &rules[i];
		fputs(".TP\n.B ", out);
		put_man(out, r->id);
		fprintf(out, "\n(%s%s) ", severity_label(r), r->ignorable ? ", ignorable" : "");
		put_man(out, r->summary);
		fputc('\n', out);
	}
}

void rules_print(FILE *out, enum rules_format fmt)
{
	switch (fmt) {
	case RULES_TEXT: print_text(out); break;
	case RULES_JSON: print_json(out); break;
	case RULES_MARKDOWN: print_markdown(out); break;
	case RULES_MAN: print_man(out); break;
	}
}
