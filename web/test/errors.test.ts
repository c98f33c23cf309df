import { describe, expect, it } from "vitest";
import { chainErrorText, walletError } from "../src/errors";

describe("wallet errors", () => {
  it("tells rejection, locking and the rest apart", () => {
    expect(walletError(new Error("Request rejected")).kind).toBe("rejected");
    expect(walletError(new Error("Request rejected")).message).toMatch(/nothing was sent/);
    expect(walletError(new Error("Keyring is locked")).kind).toBe("locked");
    expect(walletError(new Error("There is no chain info for gpunion-local")).kind).toBe("chain");
    expect(walletError("boom").kind).toBe("other");
  });
});

describe("chain errors in words", () => {
  it("takes the contract's error out of the SDK's wrapping", () => {
    const raw =
      "Broadcasting transaction failed with code 5 (codespace: wasm). Log: failed to execute message; message index: 0: lease 2 is Closed, this needs Pending or Active: execute wasm contract failed";
    expect(chainErrorText(new Error(raw))).toBe("Lease 2 is Closed, this needs Pending or Active");
    const sim =
      "Query failed with (6): rpc error: code = Unknown desc = failed to execute message; message index: 0: invalid proof: execute wasm contract failed [CosmWasm/wasmd@v0.61.14/x/wasm/keeper/keeper.go:420] With gas wanted: '0' and gas used: '1' : unknown request";
    expect(chainErrorText(new Error(sim))).toBe("Invalid proof");
  });
  it("names the common SDK failures", () => {
    expect(chainErrorText(new Error("insufficient funds: 1ustake is smaller than 2ustake"))).toMatch(/Not enough STAKE/);
    expect(chainErrorText(new Error("Overflow: Cannot Sub with given operands"))).toMatch(/Not enough GUT/);
    expect(chainErrorText(new Error("out of gas in location: x"))).toMatch(/ran out of gas/);
  });
});
