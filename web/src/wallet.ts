// Keplr: detection, the chain suggested, connection, and a signing client over Keplr's
// offline signer. Everything the page signs goes through `Wallet.execute`.
import { SigningCosmWasmClient } from "@cosmjs/cosmwasm-stargate";
import { GasPrice } from "@cosmjs/stargate";
import type { ChainInfo, Keplr } from "@keplr-wallet/types";
import { chainInfo, type AppConfig } from "./config";
import { ABSENT_MESSAGE, WalletError, walletError } from "./errors";

declare global {
  interface Window {
    keplr?: Keplr;
  }
}

/**
 * Keplr injects `window.keplr` once the page has loaded; waits for it a moment.
 */
export async function detectKeplr(timeoutMs = 1500): Promise<Keplr | undefined> {
  if (window.keplr) return window.keplr;
  if (document.readyState !== "complete") {
    await new Promise<void>((resolve) => window.addEventListener("load", () => resolve(), { once: true }));
    if (window.keplr) return window.keplr;
  }
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    if (window.keplr) return window.keplr;
  }
  return undefined;
}

export interface Wallet {
  address: string;
  name: string;
  client: SigningCosmWasmClient;
}

/** Suggests the chain (and any built-in extras), enables it, and opens a signing client. */
export async function connect(config: AppConfig, extras: ChainInfo[] = []): Promise<Wallet> {
  const keplr = await detectKeplr();
  if (!keplr) throw new WalletError("absent", ABSENT_MESSAGE);
  try {
    for (const info of [chainInfo(config), ...extras]) await keplr.experimentalSuggestChain(info);
    await keplr.enable(config.chainId);
    const key = await keplr.getKey(config.chainId);
    const signer = keplr.getOfflineSigner(config.chainId);
    const client = await SigningCosmWasmClient.connectWithSigner(config.rpc, signer, {
      gasPrice: GasPrice.fromString(`${config.gasPrice}${config.feeDenom}`),
    });
    return { address: key.bech32Address, name: key.name, client };
  } catch (e) {
    throw walletError(e);
  }
}
