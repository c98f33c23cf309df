import { describe, expect, it } from "vitest";
import { appConfig, chainInfo, extraChains, parseGasPrice, type Deployment } from "../src/config";

const deployment: Deployment = {
  chain_id: "gpunion-local",
  rpc: "http://127.0.0.1:26657",
  rest: "http://127.0.0.1:1317",
  gas_prices: "0.025ustake",
  denom: "ustake",
  contracts: {
    gut_token: { address: "wasm1gut" },
    market: { address: "wasm1market" },
    endorsement: { address: "wasm1endorsement" },
    mining: { address: "wasm1mining" },
  },
};

describe("configuration from testnet/deployment.json", () => {
  it("proxies the page's endpoints through its own origin", () => {
    const c = appConfig(deployment, "http://127.0.0.1:4173");
    expect(c.rpc).toBe("http://127.0.0.1:4173/rpc");
    expect(c.ipfsApi).toBe("http://127.0.0.1:4173/ipfs-api");
    expect(c.contracts).toEqual({ gut: "wasm1gut", market: "wasm1market", endorsement: "wasm1endorsement", mining: "wasm1mining", tokenSwap: undefined });
  });
  it("refuses a deployment without the market", () => {
    expect(() => appConfig({ ...deployment, contracts: {} }, "http://x")).toThrow(/gut_token/);
  });
  it("parses gas prices", () => {
    expect(parseGasPrice("0.025ustake")).toEqual({ amount: 0.025, denom: "ustake" });
    expect(() => parseGasPrice("ustake")).toThrow();
  });
  it("suggests the chain to Keplr with its own URLs, prefix wasm, fee and gas steps, cosmwasm", () => {
    const info = chainInfo(appConfig(deployment, "http://127.0.0.1:4173"));
    expect(info.chainId).toBe("gpunion-local");
    expect(info.rpc).toBe("http://127.0.0.1:26657");
    expect(info.rest).toBe("http://127.0.0.1:1317");
    expect(info.bech32Config?.bech32PrefixAccAddr).toBe("wasm");
    expect(info.feeCurrencies[0]).toMatchObject({ coinMinimalDenom: "ustake", gasPriceStep: { low: 0.025, average: 0.03, high: 0.05 } });
    expect(info.features).toEqual(["cosmwasm"]);
    expect(info.currencies.map((c) => c.coinDenom)).toContain("GUT");
  });
  it("reads chains configured at build time", () => {
    expect(extraChains(undefined)).toEqual([]);
    expect(extraChains('[{"chainId":"other"}]')).toEqual([{ chainId: "other" }]);
    expect(() => extraChains("{}")).toThrow(/array/);
  });
});
