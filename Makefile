# Thin front for CMake.  `make` builds build/newsdesk, `make test` runs ctest.
BUILD     ?= build
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=
SHARED    ?= ../shared

.PHONY: all deps configure build test asan fuzz eval bench bench-scale demo model clean format check-format

all: build

deps:
	@tools/deps.sh --check build || tools/deps.sh

$(BUILD)/CMakeCache.txt:
	@tools/deps.sh --check build || tools/deps.sh
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)

configure: $(BUILD)/CMakeCache.txt

build: $(BUILD)/CMakeCache.txt
	@tools/deps.sh --check build || tools/deps.sh
	cmake --build $(BUILD) -j $(JOBS)

test: build
	@tools/deps.sh --check test || tools/deps.sh --test
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The same tests under AddressSanitizer + UndefinedBehaviorSanitizer, built
# with clang: its UBSan also checks arithmetic on null pointers.
asan:
	@tools/deps.sh --check test || tools/deps.sh --test
	cmake -S . -B build-asan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DND_SANITIZE=ON $(CMAKE_ARGS)
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS)

# libFuzzer targets; FUZZ_SECONDS per target (default 30).
FUZZ_SECONDS ?= 30
fuzz:
	@tools/deps.sh --check test || tools/deps.sh --test
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DND_FUZZ=ON $(CMAKE_ARGS)
	cmake --build build-fuzz -j $(JOBS)
	tools/fuzz.sh build-fuzz $(FUZZ_SECONDS)

# Quality against ../shared/bench (skips with a message when absent).
eval: build
	tools/eval.sh $(BUILD)/newsdesk $(SHARED)

# Speed tables (skips the parts that need ../shared when absent).
bench: build
	tools/bench.sh $(BUILD) $(SHARED)

# Retrain the parser model (data/parse/en_ewt.ndpm) from ../shared/data;
# deterministic.  cmake is re-run so that the library embeds the new file.
# PARSE_DATA=train+dev adds EWT dev to the training data (then `make eval`
# labels its dev rows as not held out); PARSE_MIX=N averages N models
# trained with different seeds; PARSE_LABEL_OUTER=1 adds the labeller's
# outer-children features (tools/make_model.sh).
PARSE_DATA ?= train
PARSE_MIX ?= 1
PARSE_LABEL_OUTER ?=
model: build
	PARSE_DATA=$(PARSE_DATA) PARSE_MIX=$(PARSE_MIX) PARSE_LABEL_OUTER=$(PARSE_LABEL_OUTER) tools/make_model.sh $(BUILD) $(SHARED)
	cmake -S . -B $(BUILD) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

# A million pages into one store, a table every 100,000 (hours: not CI).
bench-scale: build
	tools/bench_scale.sh $(BUILD) $(SHARED)

# The main job on the pages the project ships.
demo: build
	tools/demo.sh $(BUILD)/newsdesk

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

check-format:
	@clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) build-asan build-fuzz
