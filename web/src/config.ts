// The chain the app talks to: testnet/deployment.json as served by the app's server
// (vite.config.ts), plus any chain configured at build time (VITE_EXTRA_CHAINS). From it
// come the endpoints the page uses (same origin, proxied) and the chain description
// Keplr is asked to add (the chain's own URLs: the extension is not a web page).
import type { ChainInfo } from "@keplr-wallet/types";

/** What `testnet/deploy` writes (the parts the app reads). */
export interface Deployment {
  chain_id: string;
  rpc: string;
  rest: string;
  gas_prices: string;
  denom: string;
  contracts: Record<string, { address: string } | undefined>;
}

export interface AppConfig {
  chainId: string;
  /** The chain's own endpoints, for Keplr. */
  chainRpc: string;
  chainRest: string;
  /** What the page connects to: the app server's proxies. */
  rpc: string;
  rest: string;
  ipfsApi: string;
  gateway: string;
  /** Fee denom and gas price, e.g. "ustake" and 0.025. */
  feeDenom: string;
  gasPrice: number;
  contracts: { gut: string; market: string; endorsement: string; mining?: string; tokenSwap?: string };
}

export const GUT_DECIMALS = 6;
export const BECH32_PREFIX = "wasm";

/** Splits a gas price such as "0.025ustake" into amount and denom. */
export function parseGasPrice(text: string): { amount: number; denom: string } {
  const m = /^(\d+(?:\.\d+)?)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(text.trim());
  if (!m) throw new Error(`gas price "${text}" is not <amount><denom>`);
  return { amount: Number(m[1]), denom: m[2] };
}

/** The app's configuration from a deployment, with the page's origin for the proxies. */
export function appConfig(d: Deployment, origin: string): AppConfig {
  const need = (name: string) => {
    const address = d.contracts[name]?.address;
    if (!address) throw new Error(`the deployment has no ${name} contract`);
    return address;
  };
  const gas = parseGasPrice(d.gas_prices);
  return {
    chainId: d.chain_id,
    chainRpc: d.rpc,
    chainRest: d.rest,
    rpc: `${origin}/rpc`,
    rest: `${origin}/rest`,
    ipfsApi: `${origin}/ipfs-api`,
    gateway: origin,
    feeDenom: gas.denom,
    gasPrice: gas.amount,
    contracts: {
      gut: need("gut_token"),
      market: need("market"),
      endorsement: need("endorsement"),
      mining: d.contracts.mining?.address,
      tokenSwap: d.contracts.token_swap?.address,
    },
  };
}

const round = (x: number) => Number(x.toPrecision(6));

/** What Keplr's `experimentalSuggestChain` is given for a GPUnion chain. */
export function chainInfo(c: AppConfig, chainName = `GPUnion (${c.chainId})`): ChainInfo {
  const fee = {
    coinDenom: c.feeDenom.replace(/^u/, "").toUpperCase(),
    coinMinimalDenom: c.feeDenom,
    coinDecimals: 6,
    gasPriceStep: { low: c.gasPrice, average: round(c.gasPrice * 1.2), high: round(c.gasPrice * 2) },
  };
  const p = BECH32_PREFIX;
  return {
    chainId: c.chainId,
    chainName,
    rpc: c.chainRpc,
    rest: c.chainRest,
    bip44: { coinType: 118 },
    bech32Config: {
      bech32PrefixAccAddr: p,
      bech32PrefixAccPub: `${p}pub`,
      bech32PrefixValAddr: `${p}valoper`,
      bech32PrefixValPub: `${p}valoperpub`,
      bech32PrefixConsAddr: `${p}valcons`,
      bech32PrefixConsPub: `${p}valconspub`,
    },
    currencies: [
      { coinDenom: fee.coinDenom, coinMinimalDenom: fee.coinMinimalDenom, coinDecimals: 6 },
      {
        coinDenom: "GUT",
        coinMinimalDenom: `cw20:${c.contracts.gut}:GUT`,
        coinDecimals: GUT_DECIMALS,
      },
    ],
    feeCurrencies: [fee],
    stakeCurrency: { coinDenom: fee.coinDenom, coinMinimalDenom: fee.coinMinimalDenom, coinDecimals: 6 },
    features: ["cosmwasm"],
  };
}

/**
 * Chains configured at build time: VITE_EXTRA_CHAINS, a JSON array of Keplr ChainInfo
 * objects, suggested to Keplr as well.
 */
export function extraChains(raw: string | undefined): ChainInfo[] {
  if (!raw) return [];
  const parsed: unknown = JSON.parse(raw);
  if (!Array.isArray(parsed)) throw new Error("VITE_EXTRA_CHAINS must be a JSON array");
  return parsed as ChainInfo[];
}

export async function loadConfig(): Promise<AppConfig> {
  const res = await fetch("/deployment.json", { cache: "no-store" });
  if (!res.ok) throw new Error(`no deployment (${res.status}): is the chain deployed?`);
  return appConfig((await res.json()) as Deployment, window.location.origin);
}
