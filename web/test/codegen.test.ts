// src/contracts/ is generated from web/schema/ and must be current.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module script without types
import { contracts, generate } from "../scripts/codegen.mjs";

describe("generated contract types", () => {
  for (const contract of contracts() as string[]) {
    it(`src/contracts/${contract}.ts matches web/schema/${contract}/`, async () => {
      const onDisk = readFileSync(join(__dirname, "..", "src", "contracts", `${contract}.ts`), "utf8");
      expect(await generate(contract)).toBe(onDisk);
    });
  }
});
