// Dates as Mexico writes them: what a person types in a date field, read day first,
// and every calendar day shown written back as dd/mm/aaaa.
import { describe, expect, it } from "vitest";
import { addDays, formatDay, parseDay, readTypedDay } from "./dates";

const day = (iso: string) => ({ kind: "day", iso });
const invalid = { kind: "invalid" };

describe("reading a typed date", () => {
  it("reads the day first, as written in Mexico", () => {
    expect(readTypedDay("03/12/2026")).toEqual(day("2026-12-03"));
    expect(readTypedDay("12/03/2026")).toEqual(day("2026-03-12"));
  });

  it("takes the digits with or without slashes, and one-digit days and months", () => {
    expect(readTypedDay("03122026")).toEqual(day("2026-12-03"));
    expect(readTypedDay("3/12/2026")).toEqual(day("2026-12-03"));
    expect(readTypedDay("3/2/2026")).toEqual(day("2026-02-03"));
    expect(readTypedDay("03-12-2026")).toEqual(day("2026-12-03"));
    expect(readTypedDay("03.12.2026")).toEqual(day("2026-12-03"));
  });

  it("ignores spaces around the date and its separators", () => {
    expect(readTypedDay("  03/12/2026 ")).toEqual(day("2026-12-03"));
    expect(readTypedDay("03 / 12 / 2026")).toEqual(day("2026-12-03"));
    expect(readTypedDay("03 12 2026")).toEqual(day("2026-12-03"));
  });

  it("takes a pasted year-first date, which cannot be misread", () => {
    expect(readTypedDay("2026-12-03")).toEqual(day("2026-12-03"));
  });

  it("refuses days the calendar does not have", () => {
    expect(readTypedDay("31/02/2026")).toEqual(invalid);
    expect(readTypedDay("31/04/2026")).toEqual(invalid);
    expect(readTypedDay("00/12/2026")).toEqual(invalid);
    expect(readTypedDay("03/13/2026")).toEqual(invalid);
    expect(readTypedDay("03/00/2026")).toEqual(invalid);
  });

  it("knows the leap years", () => {
    expect(readTypedDay("29/02/2028")).toEqual(day("2028-02-29"));
    expect(readTypedDay("29/02/2000")).toEqual(day("2000-02-29"));
    expect(readTypedDay("29/02/2026")).toEqual(invalid);
    expect(readTypedDay("29/02/1900")).toEqual(invalid);
  });

  it("refuses seven digits in a row: 3122026 could be 3/12 or 31/12 missing a digit", () => {
    expect(readTypedDay("3122026")).toEqual(invalid);
  });

  it("reads no day while the year is still being typed, nor a two-digit year", () => {
    expect(readTypedDay("03/12/2")).toEqual(invalid);
    expect(readTypedDay("03/12/202")).toEqual(invalid);
    expect(readTypedDay("03/12/26")).toEqual(invalid);
    expect(readTypedDay("0312202")).toEqual(invalid);
  });

  it("refuses years no document has and anything that is not a date", () => {
    expect(readTypedDay("03/12/0026")).toEqual(invalid);
    expect(readTypedDay("03/12/1899")).toEqual(invalid);
    expect(readTypedDay("03/12/2100")).toEqual(invalid);
    expect(readTypedDay("3 de diciembre de 2026")).toEqual(invalid);
    expect(readTypedDay("03/12/2026/1")).toEqual(invalid);
    expect(readTypedDay("０３/１２/２０２６")).toEqual(invalid);
  });

  it("tells an empty field from a wrong one", () => {
    expect(readTypedDay("")).toEqual({ kind: "empty" });
    expect(readTypedDay("   ")).toEqual({ kind: "empty" });
    expect(readTypedDay("/")).toEqual(invalid);
  });
});

describe("writing a day", () => {
  it("writes dd/mm/aaaa without shifting the day by the time zone", () => {
    expect(formatDay("2026-12-03")).toBe("03/12/2026");
    expect(formatDay("2026-01-01")).toBe("01/01/2026");
    expect(formatDay("2025-12-31")).toBe("31/12/2025");
  });

  it("gives back what is not a day as it came, and nothing for nothing", () => {
    expect(formatDay("2026-02-30")).toBe("2026-02-30");
    expect(formatDay(null)).toBe("");
    expect(formatDay("")).toBe("");
  });

  it("reads back what it writes, for every day of a leap year", () => {
    let iso: string | null = "2028-01-01";
    let days = 0;
    while (iso !== null && iso.startsWith("2028")) {
      expect(readTypedDay(formatDay(iso))).toEqual(day(iso));
      iso = addDays(iso, 1);
      days += 1;
    }
    expect(days).toBe(366);
  });
});

describe("calendar days", () => {
  it("reads only real days written year first", () => {
    expect(parseDay("2025-11-28")?.toISOString()).toBe("2025-11-28T00:00:00.000Z");
    expect(parseDay("2025-02-30")).toBeNull();
    expect(parseDay("28/11/2025")).toBeNull();
    expect(parseDay(null)).toBeNull();
  });

  it("steps a day across months and years, within the years a field takes", () => {
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
    expect(addDays("2099-12-31", 1)).toBeNull();
    expect(addDays("not a day", 1)).toBeNull();
  });
});
