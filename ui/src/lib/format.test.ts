import { describe, expect, it } from "vitest";
import { formatDateTime, formatTime, timeLeft } from "./format";
import { useLocale } from "./i18n.svelte";

describe("dates and times shown", () => {
  it("shows an instant in Mexico City time whatever the computer's zone", () => {
    useLocale("es");
    // 20:00 UTC is 14:00 in Mexico City (UTC-6, no daylight saving since 2022).
    expect(formatDateTime("2026-03-20T20:00:00Z")).toBe("20/03/2026 14:00");
    expect(formatTime("2026-03-20T20:00:00Z")).toBe("14:00");
    expect(formatDateTime("not a date")).toBe("");
  });

  it("writes the Mexico City day, which is the day before late in the UTC evening", () => {
    expect(formatDateTime("2026-12-04T03:30:00Z")).toBe("03/12/2026 21:30");
    expect(formatDateTime("2026-12-03T06:00:00Z")).toBe("03/12/2026 00:00");
  });

  it("writes day first in English too: the papers are Mexican", () => {
    useLocale("en");
    expect(formatDateTime("2026-12-03T20:00:00Z")).toBe("03/12/2026 14:00");
    useLocale("es");
  });
});

describe("countdown", () => {
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
