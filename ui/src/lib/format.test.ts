import { describe, expect, it } from "vitest";
import { formatMexicoCity, timeLeft } from "./format";
import { useLocale } from "./i18n.svelte";

describe("tender times", () => {
  it("shows an instant in Mexico City time whatever the computer's zone", () => {
    useLocale("es");
    // 20:00 UTC is 14:00 in Mexico City (UTC-6, no daylight saving since 2022).
    expect(formatMexicoCity("2026-03-20T20:00:00Z")).toContain("14:00");
    expect(formatMexicoCity("not a date")).toBe("");
  });

  it("counts down to the second and stops at the deadline", () => {
    const deadline = "2026-03-20T20:00:00Z";
    const at = (iso: string) => new Date(iso).getTime();
    expect(timeLeft(deadline, at("2026-03-19T18:58:59Z"))).toEqual({
      days: 1,
      hours: 1,
      minutes: 1,
      seconds: 1,
    });
    expect(timeLeft(deadline, at("2026-03-20T19:59:59Z"))).toEqual({
      days: 0,
      hours: 0,
      minutes: 0,
      seconds: 1,
    });
    expect(timeLeft(deadline, at("2026-03-20T20:00:00Z"))).toBeNull();
  });
});
