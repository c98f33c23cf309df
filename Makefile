# The two commands of the README. Both run scripts/bootstrap first (fast when the
# machine is already set up).
.PHONY: demo test lint unit contracts bootstrap e2e

# `make demo` and `make test` build each crate once: incremental caches would only take disk
# (gigabytes across the workspace's test binaries). `cargo` run by hand keeps them.
export CARGO_INCREMENTAL ?= 0

SHELL_SCRIPTS = scripts/bootstrap scripts/build-contracts testnet/lib.sh testnet/chain \
	testnet/network testnet/deploy testnet/e2e testnet/demo ipfs/kubo web/e2e/run \
	bindings/test bindings/kotlin/generate

# The main job: set up the machine, build every contract to checked wasm, then the
# whole product on this machine: the local chain with the contracts, Kubo, a provider
# node serving (and mining), a customer's render job end to end. It all keeps running:
# `testnet/demo stop`.
demo: bootstrap contracts
	testnet/demo

# Everything CI checks: formatting, lints, native tests, the wasm build and
# cosmwasm-check, then the end-to-end tests on a real local chain.
test: bootstrap lint unit contracts e2e

bootstrap:
	scripts/bootstrap

lint:
	cargo fmt --all --check
	cargo clippy --locked --workspace --all-targets -- -D warnings
	shellcheck -x $(SHELL_SCRIPTS)

# The web app's type check and unit tests (vitest) run with the workspace's.
unit:
	cargo test --locked --workspace
	cd web && npm run typecheck && npm test

contracts:
	scripts/build-contracts

# Starts a fresh chain of its own, deploys artifacts/, tests, always stops it. The SDK's
# end-to-end tests (sdk/tests/e2e.rs), the light client's honest and lying-node tests
# (sdk/tests/light.rs), the command line's market actions (sdk/tests/cli.rs), the hashrate
# ranking (sdk/tests/hashrate.rs: a provider claiming ten times its hashrate ranks below an
# honest one), a CLI mining run and a GPU mining run (gpu-node mine, on
# lavapipe without a GPU) go in as harness commands, and the IPFS client's tests against
# a Kubo of their own (ipfs/tests/kubo.rs: they start and stop it themselves), and the
# web app's Playwright tests (web/e2e/run starts a provider node and the app itself), and
# the Python and Kotlin bindings' suites (bindings/test: pytest, then mvn test).
SDK_E2E = "cargo test --locked -p gpunion-sdk --test e2e -- --ignored --test-threads=1" \
	"cargo test --locked -p gpunion-sdk --test light -- --ignored --test-threads=1" \
	"cargo test --locked -p gpunion-sdk --test cli -- --ignored --test-threads=1" \
	"cargo test --locked -p gpunion-sdk --test hashrate -- --ignored --test-threads=1" \
	"cargo run --locked -q -p gpunion-sdk --bin gpunion -- --key miner1 mine --count 2" \
	"cargo run --locked -q -p gpu-node -- mine --key miner1 --count 2" \
	"cargo test --locked -p gpunion-ipfs --test kubo -- --ignored --test-threads=1" \
	"cargo test --locked -p gpu-node --test provider -- --ignored --test-threads=1" \
	"web/e2e/run" \
	"bindings/test"

e2e: bootstrap contracts
	cargo build --locked -p gpunion-sdk -p gpu-node -p gpunion-ipfs --all-targets
	testnet/e2e $(SDK_E2E)
