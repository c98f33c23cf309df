import { describe, expect, it } from "vitest";
import { duration, formatUnits, gut, hashrate, parseUnits, percent, provenHashrate } from "../src/format";

describe("amounts", () => {
  it("formats ugut without floats", () => {
    expect(formatUnits("1234567")).toBe("1.234567");
    expect(formatUnits("1000000")).toBe("1");
    expect(formatUnits("0")).toBe("0");
    expect(formatUnits("1002000000000000")).toBe("1,002,000,000");
    expect(formatUnits(340282366920938463463374607431768211455n)).toBe("340,282,366,920,938,463,463,374,607,431,768.211455");
    expect(gut("5000")).toBe("0.005 GUT");
  });
  it("parses GUT to ugut and refuses anything else", () => {
    expect(parseUnits("1.5")).toBe(1_500_000n);
    expect(parseUnits("0.000001")).toBe(1n);
    expect(() => parseUnits("1.0000001")).toThrow(/decimals/);
    expect(() => parseUnits("-1")).toThrow(/not a number/);
    expect(() => parseUnits("1e6")).toThrow(/not a number/);
  });
  it("writes durations and percentages", () => {
    expect(duration(45)).toBe("45 s");
    expect(duration(300)).toBe("5 min");
    expect(duration(3900)).toBe("1 h 5 min");
    expect(percent("0.734")).toBe("73.4 %");
  });
});

describe("hashrates", () => {
  it("shows the proven hashrate next to the claim", () => {
    expect(hashrate("4820")).toBe("4,820 H/s");
    expect(hashrate("45000000")).toBe("45,000,000 H/s");
    const proof = { claimed: "4820", proven: "482", ratio_permille: 100, miner: "wasm1m", from: 0, until: 60 };
    expect(provenHashrate(proof)).toBe("482 H/s of 4,820 H/s claimed (10.0 %)");
    expect(provenHashrate({ ...proof, proven: "9999", ratio_permille: 1000 })).toBe("9,999 H/s of 4,820 H/s claimed (100.0 %)");
    expect(provenHashrate(null)).toBe("not proven");
    expect(provenHashrate(undefined)).toBe("not proven");
  });
});
