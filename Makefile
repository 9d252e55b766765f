# sparkc - Spark job YAML -> Spark operator manifests.
#
#   make run        install what is missing, build, compile samples/ to stdout
#   make test       install what is missing, build with ASan+UBSan, run every test
#   make bench      benchmarks against the budgets in docs/design.md
#   make fuzz       libFuzzer over the whole compile path (FUZZ_SECONDS=...);
#                   make fuzz-lsp over the language server
#   make dist       release archives (linux-amd64, linux-arm64), .deb packages, OCI
#                   images and SHA256SUMS in build/dist/; make test-dist tests them
#   make            build only; make install PREFIX=/usr/local installs the build
#   make deps       install what the build needs (apt, apk, dnf or brew)
#
# Only run, test, test-dist, dist, bench, fuzz and deps install packages (as root or
# through sudo); a plain `make` and `make install` never do, as packagers expect.

CC      ?= cc
CFLAGS  ?= -O2 -g
PREFIX  ?= /usr/local
BUILD   := build

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2
PIE      := -fno-pie
NO_PIE   := -no-pie
DATADIR ?= $(PREFIX)/share/sparkc
# The C library's feature set. The code needs only POSIX.1-2008; make test-dist also
# builds it with FEATURES=-D_POSIX_C_SOURCE=200809L alone, as macOS and musl see it.
FEATURES ?= -D_DEFAULT_SOURCE
CPPFLAGS += $(FEATURES) -Icompiler -I$(BUILD)
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(shell pkg-config --cflags yaml-0.1 jansson 2>/dev/null)
# libyaml reads YAML; jansson reads and writes the language server's JSON-RPC (lsp.c).
LIBYAML := $(shell pkg-config --libs yaml-0.1 2>/dev/null || echo -lyaml)
LDLIBS  := $(LIBYAML) $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)
# The compiler and libraries of the programs the build runs (tools/embed_tree.c, which
# needs libyaml alone): the build machine's, which differ from CC's when cross-compiling
# (make dist).
BUILD_CC     ?= $(CC)
BUILD_LDLIBS ?= $(LIBYAML)

SRCS      := $(wildcard compiler/*.c)
RESOURCES := $(sort $(wildcard templates/*.yaml)) $(sort $(wildcard schemas/*.json schemas/*.yaml))
GEN       := resources_data resources_tree spark_config
OBJS      := $(SRCS:compiler/%.c=$(BUILD)/obj/%.o) $(GEN:%=$(BUILD)/obj/%.o)
SAN_OBJS  := $(SRCS:compiler/%.c=$(BUILD)/san/%.o) $(GEN:%=$(BUILD)/san/%.o)
# what tools/embed_tree.c needs of the compiler: its loader
TREE_SRCS := tools/embed_tree.c $(addprefix compiler/,load.c syntax.c node.c arena.c source.c diag.c emit.c mask.c secrets.c escape.c strbuf.c rules.c suggest.c)
# clang's UBSan also catches pointer arithmetic on NULL, which gcc's does not.
SAN_CC    ?= clang
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: all deps run test test-deps dist test-dist bench fuzz fuzz-lsp fuzz-merge install clean

all: $(BUILD)/sparkc

deps:
	@tools/install-deps.sh build

$(BUILD)/resources_data.c: $(RESOURCES) tools/embed.sh
	@mkdir -p $(BUILD)
	tools/embed.sh $(RESOURCES) > $@

# Built-in templates and schemas as node trees, made by sparkc's own loader.
$(BUILD)/embed_tree: $(TREE_SRCS) $(wildcard compiler/*.h)
	@mkdir -p $(BUILD)
	$(BUILD_CC) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(TREE_SRCS) $(BUILD_LDLIBS)

$(BUILD)/resources_tree.c: $(RESOURCES) $(BUILD)/embed_tree
	$(BUILD)/embed_tree $(RESOURCES) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/%.o: compiler/%.c $(wildcard compiler/*.h) | $(BUILD)/resources_data.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(PIE) -c -o $@ $<

$(BUILD)/obj/resources_%.o: $(BUILD)/resources_%.c compiler/resources.h compiler/node.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(PIE) -c -o $@ $<

# The registry of Spark's configuration keys as sorted C tables (sparkconf.h).
$(BUILD)/spark_config.c: schemas/spark-config.tsv tools/embed_spark_config.awk
	@mkdir -p $(BUILD)
	awk -f tools/embed_spark_config.awk schemas/spark-config.tsv > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/spark_config.o: $(BUILD)/spark_config.c compiler/sparkconf.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(PIE) -c -o $@ $<

$(BUILD)/san/spark_config.o: $(BUILD)/spark_config.c compiler/sparkconf.h
	@mkdir -p $(dir $@)
	$(SAN_CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

# Linked as a fixed-position executable: the built-in node trees are pointer-rich
# static data, and in a PIE every one of those pointers is a relocation ld.so applies
# at start-up (about 10,000: 1 ms of a 4 ms run). And linked statically when Debian's
# libyaml.a is there (libyaml-dev ships it; libjansson-dev ships libjansson.a): a
# one-job run is mostly process start, and without the dynamic loader it starts about
# 1 ms sooner (BENCHMARKS.md). STATIC=0 links both dynamically, as a distribution
# package would.
LIBYAML_A    := $(wildcard $(shell pkg-config --variable=libdir yaml-0.1 2>/dev/null)/libyaml.a)
LIBJANSSON_A := $(wildcard $(shell pkg-config --variable=libdir jansson 2>/dev/null)/libjansson.a)
STATIC       ?= $(if $(and $(LIBYAML_A),$(LIBJANSSON_A)),1,0)
# macOS links only position-independent executables, and none statically.
ifeq ($(shell uname -s),Darwin)
PIE    :=
NO_PIE :=
STATIC := 0
endif
$(BUILD)/sparkc: $(OBJS) Makefile
	$(CC) $(ALL_CFLAGS) $(NO_PIE) $(if $(filter 1,$(STATIC)),-static) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

# valgrind checks the heap by replacing malloc, which it can do only in a dynamic binary.
$(BUILD)/sparkc-dynamic: $(OBJS)
	$(CC) $(ALL_CFLAGS) $(NO_PIE) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The test build: same sources under AddressSanitizer and UndefinedBehaviorSanitizer.
$(BUILD)/san/%.o: compiler/%.c $(wildcard compiler/*.h) | $(BUILD)/resources_data.c
	@mkdir -p $(dir $@)
	$(SAN_CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

$(BUILD)/san/resources_%.o: $(BUILD)/resources_%.c compiler/resources.h compiler/node.h
	@mkdir -p $(dir $@)
	$(SAN_CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

$(BUILD)/sparkc-san: $(SAN_OBJS)
	$(SAN_CC) $(ALL_CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Runs a command and reports its own peak RSS and CPU time (the resource-bound tests).
$(BUILD)/runstat: bench/runstat.c
	@mkdir -p $(BUILD)
	$(CC) -O2 $(LDFLAGS) -o $@ $<

# run, test and bench install what they need first, then build in a second make:
# the flags above ask pkg-config about libyaml when the Makefile is read, which on a
# fresh machine is before the packages are there.

# Benchmarks against the budgets in docs/design.md: medians of BENCH_ROUNDS interleaved runs.
BENCH_ROUNDS ?= 5
bench:
	@tools/install-deps.sh bench
	@$(MAKE) --no-print-directory $(BUILD)/sparkc
	@/usr/bin/python3 bench/run.py $(BUILD)/sparkc $(BENCH_ROUNDS)

# Standard output is the manifests alone (make run | kubectl apply -f -): what the
# install and the build print goes to standard error.
run:
	@tools/install-deps.sh build >&2
	@$(MAKE) --no-print-directory $(BUILD)/sparkc >&2
	@$(BUILD)/sparkc compile samples/

test-deps:
	@tools/install-deps.sh test

# The three builds are independent: after the packages are in, build them in parallel.
test: test-deps
	@$(MAKE) --no-print-directory -j$$(nproc) $(BUILD)/sparkc $(BUILD)/sparkc-san $(BUILD)/sparkc-dynamic \
		$(BUILD)/runstat
	@/usr/bin/python3 tests/run.py $(BUILD)/sparkc-san $(BUILD)/sparkc --valgrind=$(BUILD)/sparkc-dynamic

# Release archives, .deb packages and OCI images for linux-amd64 and linux-arm64, with
# SHA256SUMS, in $(BUILD)/dist (tools/dist.sh says what each holds).
# tools/dist.sh runs make itself; named through DIST_MAKE, since a recipe line that
# says $(MAKE) runs even under make -n, and a dry run must not build a release.
DIST_MAKE = $(MAKE)
dist:
	@tools/install-deps.sh dist
	@MAKE="$(DIST_MAKE)" tools/dist.sh $(BUILD)/release $(BUILD)/dist

# The release as its users meet it (tests/dist.py): the archives on each architecture
# (arm64 under qemu), the .deb through dpkg and lintian, the image in a sandbox with
# no /tmp, the portability builds (POSIX.1-2008 alone, musl), the GitHub Action and
# the pre-commit hooks. Ends with its own `N passed, N failed`.
test-dist:
	@tools/install-deps.sh test-dist
	@$(MAKE) --no-print-directory dist
	@/usr/bin/python3 tests/dist.py $(BUILD)/dist

install: $(BUILD)/sparkc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR) $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 755 $(BUILD)/sparkc $(DESTDIR)$(PREFIX)/bin/sparkc
	install -m 644 schemas/sparkjob.schema.json $(DESTDIR)$(DATADIR)/
	install -m 644 doc/sparkc.1 $(DESTDIR)$(PREFIX)/share/man/man1/sparkc.1
	install -m 644 completions/sparkc.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/sparkc
	install -m 644 completions/_sparkc $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_sparkc

clean:
	rm -rf $(BUILD)

# libFuzzer over the whole compile path (fuzz_compile), and over the language server
# with the input as an open document (fuzz_lsp: make fuzz-lsp). New inputs go to
# build/fuzz-work (build/fuzz-lsp-work); the curated corpus lives in tests/fuzz/corpus
# (seeded from samples/ and the cases).
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 1
FUZZ_SRCS    := $(filter-out compiler/main.c,$(SRCS)) $(GEN:%=$(BUILD)/%.c)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SRCS) $(wildcard compiler/*.h)
	@tools/install-deps.sh fuzz
	clang -std=c11 $(CPPFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(LDFLAGS) -o $@ $< $(FUZZ_SRCS) $(LDLIBS)

$(BUILD)/fuzz-seeds: $(wildcard samples/*.yaml tests/cases/*/input.yaml tests/fuzz/regressions/*)
	@mkdir -p $@
	@for f in $^; do cp "$$f" $@/$$(echo "$$f" | tr '/' '_'); done

FUZZ_FLAGS = -max_total_time=$(FUZZ_SECONDS) $(if $(filter-out 1,$(FUZZ_JOBS)),-jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS)) \
	-timeout=10 -rss_limit_mb=2048 -max_len=65536 -dict=tests/fuzz/sparkjob.dict

fuzz: $(BUILD)/fuzz_compile $(BUILD)/fuzz-seeds
	@mkdir -p $(BUILD)/fuzz-work
	$< $(FUZZ_FLAGS) -artifact_prefix=$(BUILD)/ $(BUILD)/fuzz-work tests/fuzz/corpus $(BUILD)/fuzz-seeds

fuzz-lsp: $(BUILD)/fuzz_lsp $(BUILD)/fuzz-seeds
	@mkdir -p $(BUILD)/fuzz-lsp-work
	$< $(FUZZ_FLAGS) -artifact_prefix=$(BUILD)/lsp- $(BUILD)/fuzz-lsp-work tests/fuzz/corpus $(BUILD)/fuzz-seeds

# Fold what a fuzzing run found into the kept corpus, minimised.
fuzz-merge: $(BUILD)/fuzz_compile
	$(BUILD)/fuzz_compile -merge=1 tests/fuzz/corpus $(BUILD)/fuzz-work
