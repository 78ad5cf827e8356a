import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { eventually } from "../test/support/resources.js";
import type { BaseServiceError } from "./base-service-error.js";
import { createFileConfigSource } from "./file-config-source.js";

const Limits = z.strictObject({ rate_limits: z.strictObject({ free_tier: z.int().positive() }) });

let dir: string;
let file: string;
const stops: Array<() => void> = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "file-config-source-"));
  file = join(dir, "service.json");
});

afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await rm(dir, { recursive: true, force: true });
});

function subscribe<T>(source: ReturnType<typeof createFileConfigSource<T>>) {
  const configs: T[] = [];
  const rejections: BaseServiceError[] = [];
  stops.push(
    source.subscribe(
      (config) => configs.push(config),
      (error) => rejections.push(error),
    ),
  );
  return { configs, rejections };
}

describe("createFileConfigSource", () => {
  it("delivers the file's config at once, then every valid change", async () => {
    await writeFile(file, JSON.stringify({ rate_limits: { free_tier: 50 } }));
    const { configs } = subscribe(
      createFileConfigSource({ path: file, validate: (v) => Limits.parse(v), debounceMs: 10 }),
    );
    await eventually(() => expect(configs).toEqual([{ rate_limits: { free_tier: 50 } }]));
    await writeFile(file, JSON.stringify({ rate_limits: { free_tier: 100 } }));
    await eventually(() => expect(configs.at(-1)).toEqual({ rate_limits: { free_tier: 100 } }));
    expect(configs).toHaveLength(2);
  });

  it("rejects an invalid file with a reason and keeps the previous config", async () => {
    await writeFile(file, JSON.stringify({ rate_limits: { free_tier: 50 } }));
    const { configs, rejections } = subscribe(
      createFileConfigSource({ path: file, validate: (v) => Limits.parse(v), debounceMs: 10 }),
    );
    await eventually(() => expect(configs).toHaveLength(1));

    await writeFile(file, "{ not json");
    await eventually(() => expect(rejections).toHaveLength(1));
    expect(rejections[0]?.code).toBe("CONFIG_REJECTED");
    expect(rejections[0]?.message).toMatch(/service\.json: not valid JSON: .*; keeping the previous config$/);

    await writeFile(file, JSON.stringify({ rate_limits: { free_tier: -1 } }));
    await eventually(() => expect(rejections).toHaveLength(2));
    expect(rejections[1]?.message).toContain("rate_limits.free_tier: Too small");
    expect(configs).toEqual([{ rate_limits: { free_tier: 50 } }]);

    await writeFile(file, JSON.stringify({ rate_limits: { free_tier: 60 } }));
    await eventually(() => expect(configs.at(-1)).toEqual({ rate_limits: { free_tier: 60 } }));
  });

  it("sees a file replaced by rename, as editors and config tools save", async () => {
    await writeFile(file, JSON.stringify({ v: 1 }));
    const { configs } = subscribe(createFileConfigSource({ path: file, debounceMs: 10 }));
    await eventually(() => expect(configs).toHaveLength(1));
    const temp = join(dir, ".service.json.tmp");
    await writeFile(temp, JSON.stringify({ v: 2 }));
    await rename(temp, file);
    await eventually(() => expect(configs.at(-1)).toEqual({ v: 2 }));
  });

  it("does not deliver the same content twice", async () => {
    await writeFile(file, JSON.stringify({ v: 1 }));
    const { configs } = subscribe(createFileConfigSource({ path: file, debounceMs: 10 }));
    await eventually(() => expect(configs).toHaveLength(1));
    await writeFile(file, JSON.stringify({ v: 1 }));
    await writeFile(file, JSON.stringify({ v: 2 }));
    await eventually(() => expect(configs.at(-1)).toEqual({ v: 2 }));
    expect(configs).toEqual([{ v: 1 }, { v: 2 }]);
  });

  it("reports a missing file, and picks it up once it appears", async () => {
    const { configs, rejections } = subscribe(createFileConfigSource({ path: file, debounceMs: 10 }));
    await eventually(() => expect(rejections).toHaveLength(1));
    expect(rejections[0]?.message).toContain("cannot be read (ENOENT)");
    await writeFile(file, JSON.stringify({ v: 1 }));
    await eventually(() => expect(configs).toEqual([{ v: 1 }]));
  });

  it("gives a later subscriber the current config, and stops watching after the last unsubscribes", async () => {
    await writeFile(file, JSON.stringify({ v: 1 }));
    const source = createFileConfigSource({ path: file, debounceMs: 10 });
    const first = subscribe(source);
    await eventually(() => expect(first.configs).toHaveLength(1));
    const second = subscribe(source);
    await eventually(() => expect(second.configs).toEqual([{ v: 1 }]));
    for (const stop of stops.splice(0)) stop();
    await writeFile(file, JSON.stringify({ v: 2 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(first.configs).toEqual([{ v: 1 }]);
    expect(second.configs).toEqual([{ v: 1 }]);
  });

  it("refuses bad options", () => {
    expect(() => createFileConfigSource({ path: "" })).toThrow("path:");
    expect(() => createFileConfigSource({ path: "x.json", debounceMs: -1 })).toThrow("debounceMs:");
  });
});
