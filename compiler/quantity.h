/* quantity.h - the two size notations a job mixes: Spark's JVM memory strings and
 * Kubernetes CPU quantities. Written here because they are Spark's and Kubernetes'
 * own rules (JavaUtils.byteStringAs, resource.Quantity), not a library's. */
#ifndef SPARKC_QUANTITY_H
#define SPARKC_QUANTITY_H

#include <stdbool.h>
#include <stddef.h>

#define MIB (1024LL * 1024)

/* A memory size parsed once: its value when ok, else the diagnostic's text, so the
 * stage that reports it and the stages that use it read the same result. */
struct memory {
	bool ok;
	long long bytes;
	char jvm[48];           /* the form to emit: as written, Mi/Gi as m/g, bare N as Nm */
	bool kubernetes_unit;   /* written with Ki, Mi, Gi, ...: Spark itself reads no such unit */
	char why[256];          /* when !ok: what is wrong with the text */
	char hint[160];         /* when !ok: the accepted form, or "" when none helps */
};

/* Parse a memory size as Spark reads it; a bare number is in bare_unit bytes (MiB for
 * spark.*.memory and overhead keys, 1 for spark.memory.offHeap.size). Kubernetes
 * binary suffixes (Ki, Mi, Gi, Ti, Pi) are accepted and converted. Fills *out
 * entirely and returns out->ok. */
bool memory_parse(const char *text, long long bare_unit, struct memory *out);

/* A Kubernetes quantity used as a CPU amount; *millicores receives its value. */
bool cpu_parse(const char *text, double *millicores);

/* "2048 MiB": explain keeps MiB, the unit Spark sizes pods in (2048Mi). */
void format_mib(long long mib, char *buf, size_t len);

#endif
