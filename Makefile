# assay Makefile.
#
# How the flags are composed (the only place they are set):
#   CFLAGS_ALL = C standard + warnings + variant flags (OPT, SAN) + include dirs + pkg-config cflags
#   LDLIBS_ALL = pkg-config libs + libcsv (no .pc file) + pthread + m [+ jemalloc in release]
# Each variant builds in its own folder, so switching never needs `make clean`:
#   build/release  -O2 -g, jemalloc            (make, make demo, make bench)
#   build/asan     AddressSanitizer + UBSan    (make asan, second half of make test)
#   build/tsan     ThreadSanitizer             (make tsan)
#   build/fuzz     clang + libFuzzer + ASan    (make fuzz)
# Sources are collected per part with wildcards; -MMD -MP tracks headers.
# `make V=1` shows the commands.

VARIANT ?= release
BUILD   ?= build/$(VARIANT)

# ---- toolchain and flags: the only place they are set ----
CC      ?= cc
CXX     ?= c++
CSTD    := -std=c17 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2
PKGS    := zlib libzstd libpcre2-8 libcrypto yaml-0.1 libisal
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GITDESC := $(shell git describe --always --dirty --tags 2>/dev/null || echo unknown)

ifeq ($(VARIANT),release)
  OPT   ?= -O2 -g
  SAN   :=
  MALLOC_LIBS := $(shell pkg-config --libs jemalloc 2>/dev/null)
else ifeq ($(VARIANT),asan)
  OPT   ?= -O1 -g -fno-omit-frame-pointer
  SAN   := -fsanitize=address,undefined -fno-sanitize-recover=all
  MALLOC_LIBS :=
else ifeq ($(VARIANT),tsan)
  OPT   ?= -O1 -g
  SAN   := -fsanitize=thread
  MALLOC_LIBS :=
else ifeq ($(VARIANT),fuzz)
  CC    := clang
  OPT   ?= -O1 -g -fno-omit-frame-pointer
  SAN   := -fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all
  MALLOC_LIBS :=
  WARN  += -Wno-unknown-warning-option
else
  $(error unknown VARIANT '$(VARIANT)': use release, asan, tsan or fuzz)
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS_ALL := $(CSTD) $(WARN) $(OPT) $(SAN) -pthread -I. -MMD -MP $(PKG_CFLAGS) \
              -DASSAY_VERSION='"$(VERSION)"' -DASSAY_GITDESC='"$(GITDESC)"' -DASSAY_VARIANT='"$(VARIANT)"' $(CFLAGS)
LDLIBS_ALL := $(PKG_LIBS) -lcsv $(MALLOC_LIBS) -lpthread -lm $(LDLIBS)
LDFLAGS_ALL := $(SAN) -pthread $(LDFLAGS)

# ---- sources, per part (the folders are the dependency graph: docs/architecture.md) ----
PARTS    := core engine parsers rules samplers report
LIB_SRC  := $(foreach p,$(PARTS),$(wildcard $(p)/*.c))
CLI_SRC  := $(wildcard cli/*.c)
GEN_SRC  := $(wildcard tools/gen/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
BENCH_CC := $(wildcard bench/bench_*.cc)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
# cli_version.o carries the build identity: rebuilt whenever `git describe` changes
GITDESC_STAMP := $(BUILD)/.gitdesc
$(shell mkdir -p $(BUILD) && (test "$$(cat $(GITDESC_STAMP) 2>/dev/null)" = "$(GITDESC)" || echo "$(GITDESC)" > $(GITDESC_STAMP)))
$(BUILD)/cli/cli_version.o: $(GITDESC_STAMP)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
GEN_OBJ  := $(GEN_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libassay.a
BIN      := $(BUILD)/assay
GEN      := $(BUILD)/assay-gen
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/replay/%)

ifeq ($(V),1)
  Q :=
else
  Q := @
endif

PREFIX ?= /usr/local

.PHONY: all deps deps-bench deps-fuzz deps-browser test unit e2e asan tsan bench fuzz demo install clean help lint tests-build
.DEFAULT_GOAL := all

all: deps $(BIN) $(GEN)
	$(Q)ln -sf $(BIN) assay

help:
	@echo "make            build ./assay (release, -O2 -g) and the data generator"
	@echo "make demo       install deps, build, generate the demo data set, run the main job, show the result"
	@echo "make test       unit + end-to-end tests, then all again under ASan+UBSan; ends 'N passed, N failed'"
	@echo "make asan       unit + end-to-end tests under AddressSanitizer + UBSan only"
	@echo "make tsan       ThreadSanitizer build + the threaded tests"
	@echo "make bench      Google Benchmark cases + whole-run throughput against baselines"
	@echo "make fuzz       libFuzzer targets, FUZZ_SECONDS each (default 60)"
	@echo "make lint       cppcheck + clang-tidy with the checked-in configuration"
	@echo "make install    PREFIX=/usr/local: binary and man page"
	@echo "make deps       install missing Debian packages (apt-get, as root)"
	@echo "make clean      remove build/"

# ---- dependencies (Debian packages), idempotent and silent when nothing is missing ----
deps:
	$(Q)tools/deps.sh build
deps-bench: deps
	$(Q)tools/deps.sh bench
deps-fuzz: deps
	$(Q)tools/deps.sh fuzz
deps-browser: deps
	$(Q)tools/deps.sh browser

# ---- compile and link ----
$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $(VARIANT) $<")
	$(Q)$(CC) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	@$(if $(Q),echo "  LINK    $(VARIANT) $@")
	$(Q)$(CC) $(LDFLAGS_ALL) $(CLI_OBJ) $(LIB) $(LDLIBS_ALL) -o $@

$(GEN): $(GEN_OBJ) $(LIB)
	@$(if $(Q),echo "  LINK    $(VARIANT) $@")
	$(Q)$(CC) $(LDFLAGS_ALL) $(GEN_OBJ) $(LIB) $(LDLIBS_ALL) -o $@

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $(VARIANT) $@")
	$(Q)$(CC) $(LDFLAGS_ALL) $< $(LIB) $(LDLIBS_ALL) -lcmocka -o $@

$(BUILD)/replay/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay_main.o $(LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS_ALL) $< $(BUILD)/tests/fuzz/replay_main.o $(LIB) $(LDLIBS_ALL) -o $@

tests-build: deps $(BIN) $(GEN) $(UNIT_BIN) $(REPLAY_BIN)

# ---- tests ----
# make test = release suite + the same suite under ASan+UBSan; tools/testrun.sh prints the summary line.
# A build failure still ends in the summary line: tools/testrun.sh counts it.
test: deps deps-browser
	$(Q)mkdir -p build/release build/asan
	$(Q)$(MAKE) -s -k VARIANT=release tests-build; echo $$? > build/release/.build-status
	$(Q)$(MAKE) -s -k VARIANT=asan tests-build; echo $$? > build/asan/.build-status
	$(Q)tools/testrun.sh release asan

unit e2e: deps
	$(Q)$(MAKE) -s VARIANT=release tests-build
	$(Q)SUITES=$@ tools/testrun.sh release

asan: deps
	$(Q)$(MAKE) -s VARIANT=asan tests-build
	$(Q)tools/testrun.sh asan

tsan: deps
	$(Q)$(MAKE) -s VARIANT=tsan tests-build
	$(Q)SUITES=threaded tools/testrun.sh tsan

# ---- fuzzing: one libFuzzer target per parser, decompressor and the rule compiler ----
FUZZ_SECONDS ?= 60
$(BUILD)/fuzz/%: $(BUILD)/tests/fuzz/%.o $(LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS_ALL) -fsanitize=fuzzer $< $(LIB) $(LDLIBS_ALL) -o $@

fuzz-build: $(FUZZ_BIN)
fuzz: deps-fuzz
	$(Q)$(MAKE) -s VARIANT=fuzz fuzz-build
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) tools/fuzzrun.sh build/fuzz

# ---- benchmarks: Google Benchmark cases (bench/bench_*.cc) + whole-run throughput ----
BENCH_BIN := build/release/bench/assay-bench
$(BENCH_BIN): $(BENCH_CC) bench/harness.h $(LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CXX     release $@")
	$(Q)$(CXX) -std=c++17 -O2 -g -I. $(BENCH_CC) $(LIB) $(LDLIBS_ALL) $$(pkg-config --libs benchmark 2>/dev/null || echo -lbenchmark) -lpthread -o $@

bench: deps-bench
	$(Q)$(MAKE) -s VARIANT=release all $(BENCH_BIN)
	$(Q)bench/run.sh

# ---- the demo: build, generate data, run the main job, show the result ----
demo: deps
	$(Q)$(MAKE) -s VARIANT=release all
	$(Q)tools/demo.sh

lint: deps
	$(Q)tools/deps.sh lint
	$(Q)tools/lint.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/assay
	install -m 0644 man/assay.1 $(DESTDIR)$(PREFIX)/share/man/man1/assay.1

clean:
	rm -rf build assay

-include $(shell find build -name '*.d' 2>/dev/null)
