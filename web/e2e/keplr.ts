// A test wallet behind Keplr's `window.keplr` interface (enable, getKey,
// getOfflineSigner, experimentalSuggestChain), so the app runs unchanged: the page gets
// a small shim, and every call goes to this Node process, where a real cosmjs signer
// (DirectSecp256k1HdWallet from a public test mnemonic) signs. The test can make the
// next request be rejected or the wallet be locked, or switch to another account, as a
// user or Keplr would.
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import type { ChainInfo } from "@keplr-wallet/types";
import type { Page } from "playwright-core";

export interface TestKeplr {
  address: string;
  suggested: ChainInfo[];
  /** The next signature request is rejected, as a user clicking Reject in Keplr. */
  rejectNext(): void;
  locked: boolean;
  signatures: number;
  /**
   * Switches to the account of `mnemonic` (e.g. a provider's key imported into Keplr) and
   * tells the page as Keplr does, with a `keplr_keystorechange` event.
   */
  use(mnemonic: string): Promise<void>;
}

/** The page side: forwards to the exposed functions, shaped like Keplr's API. */
function shim() {
  const call = (window as unknown as { __testKeplr: (op: string, arg: string) => Promise<string> }).__testKeplr;
  const rpc = async (op: string, arg: unknown) => {
    const r = JSON.parse(await call(op, JSON.stringify(arg ?? null)));
    if (r.error) throw new Error(r.error);
    return r.ok;
  };
  const b64 = (u: Uint8Array) => btoa(String.fromCharCode(...u));
  const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const signer = (chainId: string) => ({
    chainId,
    async getAccounts() {
      const accounts = await rpc("getAccounts", chainId);
      return accounts.map((a: { address: string; pubkey: string }) => ({ address: a.address, algo: "secp256k1", pubkey: unb64(a.pubkey) }));
    },
    async signDirect(signerAddress: string, doc: { bodyBytes: Uint8Array; authInfoBytes: Uint8Array; chainId: string; accountNumber: bigint }) {
      const r = await rpc("signDirect", {
        signerAddress,
        bodyBytes: b64(doc.bodyBytes),
        authInfoBytes: b64(doc.authInfoBytes),
        chainId: doc.chainId,
        accountNumber: doc.accountNumber.toString(),
      });
      return { signed: doc, signature: r.signature };
    },
  });
  const keplr = {
    version: "0.12.98-test",
    mode: "extension",
    defaultOptions: {},
    experimentalSuggestChain: (info: unknown) => rpc("suggest", info),
    enable: (chainIds: string | string[]) => rpc("enable", chainIds),
    getKey: (chainId: string) =>
      rpc("getKey", chainId).then((k: { name: string; address: string; pubkey: string }) => ({
        name: k.name,
        algo: "secp256k1",
        pubKey: unb64(k.pubkey),
        address: new Uint8Array(20),
        bech32Address: k.address,
        isNanoLedger: false,
        isKeystone: false,
      })),
    getOfflineSigner: (chainId: string) => signer(chainId),
    getOfflineSignerOnlyAmino: (chainId: string) => signer(chainId),
    getOfflineSignerAuto: async (chainId: string) => signer(chainId),
  };
  (window as unknown as { keplr: unknown }).keplr = keplr;
}

const open = async (mnemonic: string) => {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "wasm" });
  const [account] = await wallet.getAccounts();
  return { wallet, account };
};

export async function installTestKeplr(page: Page, mnemonic: string): Promise<TestKeplr> {
  let { wallet, account } = await open(mnemonic);
  const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");
  let reject = false;
  const known = new Set<string>();
  const control: TestKeplr = {
    address: account.address,
    suggested: [],
    rejectNext: () => void (reject = true),
    locked: false,
    signatures: 0,
    async use(next: string) {
      ({ wallet, account } = await open(next));
      control.address = account.address;
      await page.evaluate(() => window.dispatchEvent(new Event("keplr_keystorechange")));
    },
  };
  const ops: Record<string, (arg: any) => Promise<unknown>> = {
    suggest: async (info: ChainInfo) => {
      control.suggested.push(info);
      known.add(info.chainId);
    },
    enable: async (ids: string | string[]) => {
      if (control.locked) throw new Error("Keyring is locked");
      for (const id of [ids].flat()) if (!known.has(id)) throw new Error(`There is no chain info for ${id}`);
    },
    getKey: async () => ({ name: "test wallet", address: account.address, pubkey: b64(account.pubkey) }),
    getAccounts: async () => [{ address: account.address, pubkey: b64(account.pubkey) }],
    signDirect: async (a: { signerAddress: string; bodyBytes: string; authInfoBytes: string; chainId: string; accountNumber: string }) => {
      if (control.locked) throw new Error("Keyring is locked");
      if (reject) {
        reject = false;
        throw new Error("Request rejected");
      }
      const signed = await wallet.signDirect(a.signerAddress, {
        bodyBytes: Buffer.from(a.bodyBytes, "base64"),
        authInfoBytes: Buffer.from(a.authInfoBytes, "base64"),
        chainId: a.chainId,
        accountNumber: BigInt(a.accountNumber),
      });
      control.signatures++;
      return { signature: signed.signature };
    },
  };
  await page.exposeFunction("__testKeplr", async (op: string, arg: string) => {
    try {
      return JSON.stringify({ ok: (await ops[op](JSON.parse(arg))) ?? null });
    } catch (e) {
      return JSON.stringify({ error: e instanceof Error ? e.message : String(e) });
    }
  });
  await page.addInitScript(shim);
  return control;
}
