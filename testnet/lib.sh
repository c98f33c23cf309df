# Shared by the testnet scripts (sourced, not run): where wasmd is, the chain's
# constants, logging, polling RPC and sending transactions.
# shellcheck shell=bash

TESTNET_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$TESTNET_DIR/.." && pwd)
STATE_DIR="${GPUNION_TESTNET_STATE:-$TESTNET_DIR/.state}"
ACCOUNTS_JSON="$TESTNET_DIR/accounts.json"

# One place names wasmd's version: scripts/bootstrap, which builds and caches it.
WASMD_VERSION=$(sed -n 's/^WASMD_VERSION=//p' "$REPO_ROOT/scripts/bootstrap")
WASMD="${WASMD:-${GPUNION_CACHE:-$HOME/.cache/gpunion}/wasmd-$WASMD_VERSION/bin/wasmd}"

DENOM=ustake
# Every node refuses transactions paying less than this (app.toml minimum-gas-prices);
# the scripts pay exactly this. Small but not zero, so fee handling is exercised.
GAS_PRICES="0.025$DENOM"

log() { echo "${LOG_PREFIX:-testnet}: $*" >&2; }
die() { log "error: $*"; exit 1; }

need_wasmd() {
  [ -x "$WASMD" ] || die "wasmd not found at $WASMD; run scripts/bootstrap first"
  command -v jq >/dev/null || die "jq is missing; run scripts/bootstrap first"
  command -v curl >/dev/null || die "curl is missing; run scripts/bootstrap first"
}

# Names of the accounts in accounts.json, in file order.
account_names() { jq -r '.accounts[].name' "$ACCOUNTS_JSON"; }
account_field() { jq -r --arg n "$1" ".accounts[] | select(.name == \$n) | .$2" "$ACCOUNTS_JSON"; }

# Imports accounts of accounts.json (default: all) into the test keyring of a home and
# checks that the address derived from each mnemonic is the one written in the file.
import_accounts() { # HOME [NAME...]
  local home=$1 name addr names
  shift
  names=("$@")
  [ ${#names[@]} -gt 0 ] || mapfile -t names < <(account_names)
  for name in "${names[@]}"; do
    account_field "$name" mnemonic |
      "$WASMD" keys add "$name" --recover --keyring-backend test --home "$home" >/dev/null 2>&1
    addr=$("$WASMD" keys show "$name" -a --keyring-backend test --home "$home")
    [ "$addr" = "$(account_field "$name" address)" ] ||
      die "account $name: mnemonic gives $addr, accounts.json says $(account_field "$name" address)"
  done
}

# Sets keys of a TOML file of a node home in one pass: each SETTING is
# `section.key=value` (`key=value` at the top level), the value written as TOML
# (strings quoted). A key that is not in the file is an error: wasmd renamed it.
# (awk, not `wasmd config set`: that is ~0.5 s a key, and a network has ~80 keys.)
toml_set() { # FILE SETTING...
  local file=$1 tmp="$1.tmp"
  shift
  awk -v settings="$(printf '%s\n' "$@")" '
    BEGIN {
      n = split(settings, lines, "\n")
      for (i = 1; i <= n; i++) {
        if (lines[i] == "") continue
        eq = index(lines[i], "=")
        want[substr(lines[i], 1, eq - 1)] = substr(lines[i], eq + 1)
      }
    }
    /^\[.*\]$/ { section = substr($0, 2, length($0) - 2) }
    /^[A-Za-z0-9_.-]+ *=/ {
      key = $0
      sub(/ *=.*/, "", key)
      full = section == "" ? key : section "." key
      if (full in want) { print key " = " want[full]; done[full] = 1; next }
    }
    { print }
    END {
      for (k in want) if (!(k in done)) { print "toml_set: no key " k > "/dev/stderr"; bad = 1 }
      exit bad
    }' "$file" >"$tmp" || { rm -f "$tmp"; die "could not set keys of $file"; }
  mv "$tmp" "$file"
}

# The RPC /status of a node as JSON, or nothing when it does not answer.
rpc_status() { # RPC_URL
  curl -fsS --max-time 2 "$1/status" 2>/dev/null || true
}

rpc_height() { # RPC_URL: latest block height, 0 when the node does not answer
  local h
  h=$(rpc_status "$1" | jq -r '.result.sync_info.latest_block_height // 0' 2>/dev/null || true)
  echo "${h:-0}"
}

# Polls RPC /status until the latest block height is above MIN, printing progress;
# fails after TIMEOUT seconds or as soon as the process of PIDFILE is gone.
wait_height() { # RPC_URL MIN TIMEOUT PIDFILE LOGFILE
  local rpc=$1 min=$2 timeout=$3 pidfile=$4 logfile=$5 start=$SECONDS h last=-1
  while :; do
    h=$(rpc_height "$rpc")
    if [ "$h" -gt "$min" ]; then
      log "height $h > $min at $rpc after $((SECONDS - start)) s"
      return 0
    fi
    if [ "$h" != "$last" ]; then
      log "waiting for height > $min at $rpc: height $h ($((SECONDS - start)) s)"
      last=$h
    fi
    if ! pid_alive "$pidfile"; then
      log "the node stopped; last lines of $logfile:"
      tail -n 20 "$logfile" >&2 || true
      return 1
    fi
    if [ $((SECONDS - start)) -ge "$timeout" ]; then
      log "timeout after $timeout s waiting for height > $min at $rpc (height $h)"
      return 1
    fi
    sleep 0.5
  done
}

# True when PIDFILE names a running wasmd process.
pid_alive() { # PIDFILE
  local pid
  [ -f "$1" ] || return 1
  pid=$(cat "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q wasmd
}

# Starts `wasmd start` for a home in the background, detached from the caller's
# terminal, with its pid in HOME/wasmd.pid and its output in HOME/wasmd.log.
start_node() { # HOME
  local home=$1
  if pid_alive "$home/wasmd.pid"; then
    log "already running (pid $(cat "$home/wasmd.pid")) for $home"
    return 0
  fi
  [ -f "$home/config/genesis.json" ] || die "$home is not initialized; run init first"
  setsid nohup "$WASMD" start --home "$home" >"$home/wasmd.log" 2>&1 </dev/null &
  echo $! >"$home/wasmd.pid"
  log "started wasmd (pid $!) for $home, log $home/wasmd.log"
}

# Stops the node of a home: SIGTERM, then SIGKILL after 10 s; removes the pid file.
stop_node() { # HOME
  local home=$1 pid
  if ! pid_alive "$home/wasmd.pid"; then
    rm -f "$home/wasmd.pid"
    return 0
  fi
  pid=$(cat "$home/wasmd.pid")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid did not stop in 10 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$home/wasmd.pid"
  log "stopped wasmd (pid $pid) for $home"
}

# Refuses to wipe anything but a directory below the testnet state dir or one that
# an init of ours marked.
safe_wipe() { # DIR
  local dir=$1
  if [ -z "$dir" ] || [ "$dir" = / ]; then die "refusing to wipe '$dir'"; fi
  [ -e "$dir" ] || return 0
  case "$(cd "$dir" && pwd)/" in
    "$STATE_DIR"/*) ;;
    *) [ -f "$dir/.gpunion-testnet" ] || die "refusing to wipe $dir: not a testnet home" ;;
  esac
  rm -rf "$dir"
}

# A setting of HOME/config/client.toml. wasmd v0.61's CLI does not apply the
# client.toml of --home (it keeps its defaults: localhost:26657, no chain id), so the
# scripts read it here and pass --node and --chain-id on every call.
client_get() { # HOME KEY
  sed -n "s/^$2 = \"\(.*\)\"\$/\1/p" "$1/config/client.toml"
}

# `wasmd query ARGS...` against the node of HOME, JSON output.
wq() { # HOME ARGS...
  local home=$1
  shift
  "$WASMD" q "$@" --home "$home" --node "$(client_get "$home" node)" --output json
}

# Sends a transaction with `wasmd tx ARGS...` from the test keyring of HOME, waits until
# a block includes it and prints the result JSON; fails when either check fails.
send_tx() { # HOME FROM ARGS...
  local home=$1 from=$2 out hash code start=$SECONDS
  shift 2
  out=$("$WASMD" tx "$@" --from "$from" --home "$home" --keyring-backend test \
    --node "$(client_get "$home" node)" --chain-id "$(client_get "$home" chain-id)" --gas auto --gas-adjustment 1.3 --gas-prices "$GAS_PRICES" -y --output json 2>&1) ||
    die "tx $1 $2 failed: $out"
  # The CLI may print a gas estimate line before the JSON.
  out=$(printf '%s\n' "$out" | grep '^{' | tail -n 1)
  hash=$(jq -r .txhash <<<"$out")
  code=$(jq -r .code <<<"$out")
  [ "$code" = 0 ] || die "tx $1 $2 rejected (code $code): $(jq -r .raw_log <<<"$out")"
  while :; do
    if out=$(wq "$home" tx "$hash" 2>/dev/null); then
      code=$(jq -r .code <<<"$out")
      [ "$code" = 0 ] || die "tx $hash ($1 $2) failed in block (code $code): $(jq -r .raw_log <<<"$out")"
      printf '%s\n' "$out"
      return 0
    fi
    [ $((SECONDS - start)) -lt 30 ] || die "tx $hash ($1 $2) not in a block after 30 s"
    sleep 0.5
  done
}

# The value of attribute KEY of the first event of type TYPE in a tx result.
tx_event() { # TX_JSON TYPE KEY
  jq -r --arg t "$2" --arg k "$3" \
    '[.events[] | select(.type == $t) | .attributes[] | select(.key == $k) | .value][0]' <<<"$1"
}

# Node settings shared by the single chain and the network: every listener on IP,
# ~1 s blocks, the minimum gas price, REST and gRPC on, pprof off.
configure_node() { # HOME IP P2P_PORT RPC_PORT GRPC_PORT REST_PORT
  local home=$1 ip=$2
  toml_set "$home/config/config.toml" \
    "proxy_app=\"tcp://$ip:$(($3 + 2))\"" \
    "rpc.laddr=\"tcp://$ip:$4\"" \
    "rpc.pprof_laddr=\"\"" \
    "p2p.laddr=\"tcp://$ip:$3\"" \
    "p2p.external_address=\"$ip:$3\"" \
    "p2p.addr_book_strict=false" \
    "p2p.allow_duplicate_ip=true" \
    "consensus.timeout_propose=\"1s\"" \
    "consensus.timeout_prevote=\"500ms\"" \
    "consensus.timeout_precommit=\"500ms\"" \
    "consensus.timeout_commit=\"1s\""
  toml_set "$home/config/app.toml" \
    "minimum-gas-prices=\"$GAS_PRICES\"" \
    "api.enable=true" \
    "api.address=\"tcp://$ip:$6\"" \
    "api.enabled-unsafe-cors=true" \
    "grpc.enable=true" \
    "grpc.address=\"$ip:$5\""
  toml_set "$home/config/client.toml" \
    "keyring-backend=\"test\"" \
    "node=\"tcp://$ip:$4\""
}

# Funds every account of accounts.json in the genesis of HOME with AMOUNT (ustake).
fund_accounts() { # HOME AMOUNT
  local file="$1/config/genesis-accounts.json"
  jq --arg d "$DENOM" --arg a "$2" '[.accounts[] | {address, coins: [{denom: $d, amount: $a}]}]' \
    "$ACCOUNTS_JSON" >"$file"
  "$WASMD" genesis bulk-add-genesis-account "$file" --home "$1"
  rm -f "$file"
}

# Governance periods of seconds instead of days, for tests that vote.
shorten_governance() { # GENESIS_FILE
  local tmp="$1.tmp"
  jq '.app_state.gov.params.voting_period = "30s"
      | .app_state.gov.params.expedited_voting_period = "15s"
      | .app_state.gov.params.max_deposit_period = "30s"' "$1" >"$tmp"
  mv "$tmp" "$1"
}
