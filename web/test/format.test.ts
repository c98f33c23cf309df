import { describe, expect, it } from "vitest";
import { duration, formatUnits, gut, parseUnits, percent } from "../src/format";

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
