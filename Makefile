# sparkc - Spark job YAML -> Spark operator manifests.
#
#   make run        install what is missing, build, compile samples/ to stdout
#   make test       install what is missing, build with ASan+UBSan, run every test
#   make bench      benchmarks against the budgets in SPEC.md
#   make fuzz       libFuzzer over the whole compile path (FUZZ_SECONDS=...)
#   make install PREFIX=/usr/local

CC      ?= cc
CFLAGS  ?= -O2 -g
PREFIX  ?= /usr/local
BUILD   := build

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2
CPPFLAGS += -D_DEFAULT_SOURCE -Icompiler -I$(BUILD)
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(shell pkg-config --cflags libfyaml 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs libfyaml 2>/dev/null || echo -lfyaml)

SRCS      := $(wildcard compiler/*.c)
RESOURCES := $(sort $(wildcard templates/*.yaml)) $(sort $(wildcard schemas/*.json))
OBJS      := $(SRCS:compiler/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/resources_data.o
SAN_OBJS  := $(SRCS:compiler/%.c=$(BUILD)/san/%.o) $(BUILD)/san/resources_data.o
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: all deps run test test-deps bench fuzz install clean

all: deps $(BUILD)/sparkc

deps:
	@tools/install-deps.sh build

$(BUILD)/resources_data.c: $(RESOURCES) tools/embed.sh
	@mkdir -p $(BUILD)
	tools/embed.sh $(RESOURCES) > $@

$(BUILD)/obj/%.o: compiler/%.c $(wildcard compiler/*.h) | $(BUILD)/resources_data.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/resources_data.o: $(BUILD)/resources_data.c compiler/resources.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/sparkc: $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The test build: same sources under AddressSanitizer and UndefinedBehaviorSanitizer.
$(BUILD)/san/%.o: compiler/%.c $(wildcard compiler/*.h) | $(BUILD)/resources_data.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

$(BUILD)/san/resources_data.o: $(BUILD)/resources_data.c compiler/resources.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

$(BUILD)/sparkc-san: $(SAN_OBJS)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

run: all
	@$(BUILD)/sparkc compile samples/

test-deps:
	@tools/install-deps.sh test

test: test-deps $(BUILD)/sparkc $(BUILD)/sparkc-san
	@/usr/bin/python3 tests/run.py $(BUILD)/sparkc-san $(BUILD)/sparkc

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/sparkc
	install -m 755 $(BUILD)/sparkc $(DESTDIR)$(PREFIX)/bin/sparkc
	install -m 644 schemas/sparkjob.schema.json schemas/k8s.schema.json $(DESTDIR)$(PREFIX)/share/sparkc/

clean:
	rm -rf $(BUILD)
