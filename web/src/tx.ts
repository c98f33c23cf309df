// Sending a transaction with its state shown: signing in Keplr → pending (broadcast,
// hash known) → included in block N, or the chain's error in words. Gas is simulated
// first, so a message the contract would refuse is explained before anything is signed.
import type { ExecuteInstruction } from "@cosmjs/cosmwasm-stargate";
import { calculateFee, GasPrice } from "@cosmjs/stargate";
import type { AppConfig } from "./config";
import { chainErrorText, isSequenceRace, walletError } from "./errors";
import type { Wallet } from "./wallet";

export type TxState =
  | { kind: "simulating" }
  /** `again`: after another transaction from the account got in first. */
  | { kind: "signing"; again: boolean }
  | { kind: "pending"; hash: string }
  | { kind: "included"; hash: string; height: number }
  | { kind: "failed"; message: string; hash?: string }
  | { kind: "rejected"; message: string };

/** About two blocks of the test chain: the transaction that got in first is in one by then. */
const RACE_WAIT_MS = 2_500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function sendTx(
  config: AppConfig,
  wallet: Wallet,
  instructions: ExecuteInstruction[],
  onState: (s: TxState) => void,
  memo = "",
): Promise<TxState> {
  const finish = (s: TxState) => (onState(s), s);
  const { client, address } = wallet;
  const msgs = instructions.map((i) => ({
    typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract",
    value: {
      sender: address,
      contract: i.contractAddress,
      msg: new TextEncoder().encode(JSON.stringify(i.msg)),
      funds: [...(i.funds ?? [])],
    },
  }));
  // The account's sequence may be taken by another transaction from it still in the
  // mempool (a provider node heartbeats from the key Keplr may hold): once, wait for a
  // block and start again.
  let hash: string | undefined;
  for (let attempt = 0; hash === undefined; attempt++) {
    const again = attempt > 0;
    const raced = (e: unknown) => !again && isSequenceRace(e);
    onState({ kind: "simulating" });
    let gas: number;
    try {
      gas = Math.ceil((await client.simulate(address, msgs, memo)) * 1.4);
    } catch (e) {
      if (raced(e)) {
        await sleep(RACE_WAIT_MS);
        continue;
      }
      return finish({ kind: "failed", message: chainErrorText(e) });
    }
    const fee = calculateFee(gas, GasPrice.fromString(`${config.gasPrice}${config.feeDenom}`));
    onState({ kind: "signing", again });
    try {
      hash = await client.signAndBroadcastSync(address, msgs, fee, memo);
    } catch (e) {
      if (raced(e)) {
        await sleep(RACE_WAIT_MS);
        continue;
      }
      const w = walletError(e);
      if (w.kind === "rejected") return finish({ kind: "rejected", message: w.message });
      if (w.kind === "other") return finish({ kind: "failed", message: chainErrorText(e) });
      return finish({ kind: "failed", message: w.message });
    }
  }
  onState({ kind: "pending", hash });
  for (let i = 0; i < 120; i++) {
    await sleep(500);
    const tx = await client.getTx(hash).catch(() => null);
    if (!tx) continue;
    if (tx.code !== 0) return finish({ kind: "failed", hash, message: chainErrorText(tx.rawLog) });
    return finish({ kind: "included", hash, height: tx.height });
  }
  return finish({ kind: "failed", hash, message: "Not included within a minute: see the transaction hash." });
}

/** The state in words, for the page's live status region. */
export function describeTx(s: TxState): string {
  switch (s.kind) {
    case "simulating":
      return "Checking the transaction with the chain…";
    case "signing":
      return s.again
        ? "Another transaction from this account got in first (the node's own, if this is its key): sign again in Keplr…"
        : "Waiting for your signature in Keplr…";
    case "pending":
      return `Pending: broadcast as ${s.hash.slice(0, 12)}…, waiting for a block.`;
    case "included":
      return `Included in block ${s.height} (${s.hash.slice(0, 12)}…).`;
    case "rejected":
      return s.message;
    case "failed":
      return `Failed: ${s.message}`;
  }
}
