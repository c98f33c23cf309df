# The two commands of the README. Both run scripts/bootstrap first (fast when the
# machine is already set up).
.PHONY: demo test lint unit contracts bootstrap

# The main job: set up the machine and build every contract to checked wasm.
demo: bootstrap contracts

# Everything CI checks: formatting, lints, native tests, the wasm build and cosmwasm-check.
test: bootstrap lint unit contracts

bootstrap:
	scripts/bootstrap

lint:
	cargo fmt --all --check
	cargo clippy --locked --workspace --all-targets -- -D warnings

unit:
	cargo test --locked --workspace

contracts:
	scripts/build-contracts
