# The front door: `make run` serves the demo shop, `make test` runs every test.
PRESET := release
BUILD_DIR := build/$(PRESET)

.PHONY: all deps build run stop test bench lint format clean

all: build

deps:
	scripts/install-deps.sh

build: deps
	cmake --preset $(PRESET)
	cmake --build --preset $(PRESET)

run: build
	scripts/run.sh

stop:
	scripts/stop.sh

test: build
	scripts/test.sh

bench: build
	BIJOU_BENCH_DEPS=1 scripts/install-deps.sh
	bench/run.sh
	bench/login_storm.sh
	bench/checkout.sh

lint:
	scripts/install-deps.sh --lint
	clang-format --dry-run --Werror $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp')
	clang-tidy -p $(BUILD_DIR) --quiet $$(git ls-files 'src/*.cpp')

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp')

clean:
	rm -rf build
