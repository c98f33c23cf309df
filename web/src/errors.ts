// Errors in words: what the wallet or the chain said, without the transport around it.

/** What an error says, whatever was thrown. */
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export type WalletProblem = "absent" | "locked" | "rejected" | "chain" | "other";

/** A wallet failure the page explains; `kind` says which sentence applies. */
export class WalletError extends Error {
  constructor(
    readonly kind: WalletProblem,
    message: string,
  ) {
    super(message);
  }
}

export const ABSENT_MESSAGE =
  "Keplr was not found. Install the Keplr extension (keplr.app), then reload this page.";

/** Classifies what Keplr threw into one of the cases the page explains. */
export function walletError(e: unknown): WalletError {
  if (e instanceof WalletError) return e;
  const text = errorMessage(e);
  if (/reject|denied|cancel/i.test(text))
    return new WalletError("rejected", "You rejected the request in Keplr: nothing was sent.");
  if (/locked|unlock/i.test(text))
    return new WalletError("locked", "Keplr is locked. Unlock it with your password and try again.");
  if (/no chain info|no modular chain info|chain id/i.test(text))
    return new WalletError("chain", `Keplr does not know this chain: ${text}`);
  return new WalletError("other", `Keplr: ${text}`);
}

/**
 * Another transaction from the same account got into the mempool first (the node's own,
 * when Keplr holds the node's key): the account's next sequence is taken.
 */
export const isSequenceRace = (e: unknown) =>
  /account sequence mismatch|incorrect account sequence/i.test(errorMessage(e));

/**
 * The chain's reason for refusing a transaction or query, in words: the contract's error
 * (e.g. "Duration must be more than zero") without cosmjs's and the SDK's wrapping.
 */
export function chainErrorText(e: unknown): string {
  const text = errorMessage(e);
  if (/insufficient fees/i.test(text)) return "The fee was too low for this chain's minimum gas price.";
  if (/insufficient funds/i.test(text)) return "Not enough STAKE in this account to pay the fee.";
  if (/out of gas/i.test(text)) return "The transaction ran out of gas.";
  if (isSequenceRace(text))
    return "Another transaction from this account (the node's own, if this is the node's key) was sent at the same moment: nothing was sent, try again.";
  if (/account .* not found/i.test(text))
    return "This account does not exist on chain yet: it needs some STAKE for fees first.";
  if (/Cannot Sub with given operands|Overflow: Cannot Sub/i.test(text))
    return "Not enough GUT in this account for the deposit.";
  // "...: failed to execute message; message index: 0: <contract error>: execute wasm contract failed"
  const contract = /message index: \d+: (.*?): execute wasm contract failed/s.exec(text);
  if (contract) return tidy(contract[1]);
  const query = /Generic error: (.*?)(?:: query wasm contract failed|$)/s.exec(text);
  if (query) return tidy(query[1]);
  const log = /Log: (.*)$/s.exec(text);
  if (log) return tidy(log[1]);
  return tidy(text);
}

const tidy = (s: string) => {
  const t = s.replace(/\s+/g, " ").trim();
  return t.charAt(0).toUpperCase() + t.slice(1);
};
