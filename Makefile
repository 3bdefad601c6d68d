# One-command entry points. Heavy numerics run in release mode: debug Swift is many times slower.
SWIFT ?= swift
# One set of flags for every build, so the tool and the tests never mix objects compiled
# with different settings in .build/release.
RELEASE := -c release -Xswiftc -enable-testing
TESTING :=

.PHONY: deps build test lint format example bench clean

deps:
	bash scripts/install-deps.sh

build: deps
	$(SWIFT) build $(RELEASE)

test: deps
	$(SWIFT) test $(RELEASE) $(TESTING)

# The formatter's configuration is .swift-format (4-space indent, 120 columns, no ';'-joined
# statements); `make format` applies it, `make lint` (run by CI) fails on any difference.
SWIFT_SOURCES := Sources Tests Benchmarks Package.swift

lint:
	$(SWIFT) format lint --strict --recursive $(SWIFT_SOURCES)

format:
	$(SWIFT) format format --in-place --recursive $(SWIFT_SOURCES)

example: build
	$(SWIFT) run $(RELEASE) rkhs kernel --activation relu --depth 3 --t=-1,-0.5,0,0.5,0.9,0.99,1
	$(SWIFT) run $(RELEASE) rkhs spectrum --activation relu --depth 2 --kernel ntk --dim 3 --kmax 20
	$(SWIFT) run $(RELEASE) rkhs classify --activation 'elu(1)' --depth 2 --kernel nngp --no-bias --dim 3
	$(SWIFT) run $(RELEASE) rkhs compare --activations 'relu' --depths 2,3,4 --kernels ntk --standard 'laplace(1),gaussian(1)' --dim 3

clean:
	rm -rf .build

bench: deps
	bash Benchmarks/run-kernels.sh
	bash Benchmarks/run-spectra.sh
	bash Benchmarks/run-paths.sh
	bash Benchmarks/run-regression.sh
	bash Benchmarks/run-training.sh
	bash Benchmarks/run-scaling.sh
	bash Benchmarks/run-bottleneck.sh
