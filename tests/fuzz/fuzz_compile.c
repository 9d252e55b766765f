/* fuzz_compile.c - libFuzzer over sparkc's whole path for one input: load, schema,
 * checks, lowering, emitting (YAML and JSON) and explain. Any crash, sanitizer
 * report, leak or hang is a bug; `make fuzz` runs it. */
#include <stdint.h>
#include <stdio.h>

#include "pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	static const enum run_command commands[] = {RUN_COMPILE, RUN_EXPLAIN};
	for (size_t i = 0; i < 2; i++) {
		struct options opt = {
			.command = commands[i],
			.limits = default_limits,
			.out_format = (size & 1) ? OUT_JSON : OUT_YAML,
			.explain_format = (size & 1) ? EXPLAIN_JSON : EXPLAIN_TEXT,
			.out = devnull,
			.err = devnull,
		};
		pipeline_run_text(&opt, "fuzz.yaml", (const char *)data, size);
	}
	return 0;
}
