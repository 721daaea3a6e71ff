// The message catalogues: same keys in both languages, nothing empty, the same
// placeholders, and every key the sources ask for exists.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import es from "./es.json";
import en from "./en.json";

const SRC = fileURLToPath(new URL("..", import.meta.url));
const catalogues: Record<string, Record<string, string>> = { es, en };

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|svelte)$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

describe("message catalogues", () => {
  it("have exactly the same keys", () => {
    const esKeys = Object.keys(es).sort();
    const enKeys = Object.keys(en).sort();
    expect(enKeys.filter((k) => !esKeys.includes(k))).toEqual([]);
    expect(esKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
  });

  it("have no empty messages", () => {
    for (const [locale, messages] of Object.entries(catalogues)) {
      const empty = Object.entries(messages)
        .filter(([, value]) => typeof value !== "string" || value.trim() === "")
        .map(([key]) => `${locale}:${key}`);
      expect(empty).toEqual([]);
    }
  });

  it("use the same placeholders in both languages", () => {
    const differ = Object.keys(es).filter(
      (key) =>
        placeholders(es[key as keyof typeof es]).join() !==
        placeholders(en[key as keyof typeof en]).join(),
    );
    expect(differ).toEqual([]);
  });

  it("contain every key the sources pass to t()", () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(5);
    const used = new Map<string, string>();
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/\bt\(\s*(["'`])([^"'`$]+)\1/g)) {
        used.set(match[2]!, relative(SRC, file));
      }
    }
    expect(used.size).toBeGreaterThan(50);
    const unknown = [...used].filter(([key]) => !(key in es)).map(([k, f]) => `${k} (${f})`);
    expect(unknown).toEqual([]);
  });

  it("contain every key named in lib/form.ts and component key tables", () => {
    // Keys kept in tables (labels, hints, severities) rather than passed to t() directly.
    const keyShape = /["']((?:field|section|size|sector|summary|issue|status|persona|locale|reps|docs|card|preview)\.[\w.]+)["']/g;
    const missing: string[] = [];
    for (const file of sources(SRC)) {
      if (file.endsWith(".json")) continue;
      for (const match of readFileSync(file, "utf8").matchAll(keyShape)) {
        if (!(match[1]! in es)) missing.push(`${match[1]} (${relative(SRC, file)})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
