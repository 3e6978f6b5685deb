# Khiên: `make run` sets up, builds and serves the demo; `make test` runs every test.
DB      ?= sqlite:./data/khien.db
LISTEN  ?= 127.0.0.1:8080
JOBS    ?= $(shell nproc)

.PHONY: all deps build web run demo test test-unit test-api test-e2e test-asan fuzz bench format clean

all: build web

deps:
	@scripts/deps.sh

build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund

web: deps web/node_modules/.package-lock.json
	cd web && npm run build

tests/node_modules/.package-lock.json: tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund

KEY     ?= ./data/khien.key
# The learned model the server runs; "Huấn luyện lại" on the moderation page writes it.
MODEL   ?= ./data/khien.model
# Participations in the generated province that `make run` shows on the reach dashboard.
DEMO_SCALE ?= 50000

# The master key that wraps every case's data key: outside the database, mode 0600.
$(KEY):
	@mkdir -p $(dir $(KEY))
	./build/khien keys create --key-file $(KEY)

demo: build
	./build/khien migrate --db $(DB)
	./build/khien demo --db $(DB) --scale $(DEMO_SCALE)

run: build web demo $(KEY)
	./build/khien serve --db $(DB) --listen $(LISTEN) --key-file $(KEY) --model $(MODEL)

# Unit tests (SQLite and a throwaway PostgreSQL), API tests on both databases, browser tests,
# then the unit and API tests again under ASan+UBSan, and the fuzz targets for a bounded time.
test: build web tests/node_modules/.package-lock.json
	scripts/test-all.sh

test-unit: build
	scripts/test-all.sh unit

test-api: build tests/node_modules/.package-lock.json
	scripts/test-all.sh api

test-e2e: build web tests/node_modules/.package-lock.json
	scripts/test-all.sh e2e

test-asan: deps tests/node_modules/.package-lock.json
	scripts/test-all.sh asan

fuzz: deps
	scripts/test-all.sh fuzz

bench: build
	scripts/bench.sh

format:
	find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf build build-debug build-asan build-fuzz web/dist
