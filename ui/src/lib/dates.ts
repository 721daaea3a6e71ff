// Calendar days as Mexico writes them: dd/mm/aaaa, day first in both languages and
// whatever the computer's locale, read from what a person types and written back the
// same way. The Rust side takes and gives days as "YYYY-MM-DD"; these convert.

/** Years a document's date can have; anything else is a typing slip. */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2099;

/** A calendar day "YYYY-MM-DD" as a UTC instant, or null when it is not one. */
export function parseDay(iso: string | null | undefined): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso?.trim() ?? "");
  if (!match) return null;
  return utcDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** The instant of a real calendar day, or null ("31/02" is none). */
function utcDay(year: number, month: number, day: number): Date | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null;
  }
  return date;
}

function two(n: number): string {
  return String(n).padStart(2, "0");
}

function isoOf(date: Date): string {
  return `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}`;
}

/**
 * A calendar day as people read it, "03/12/2026"; what is not a day comes back as it
 * is. Days have no time zone, so nothing shifts them.
 */
export function formatDay(iso: string | null | undefined): string {
  const date = parseDay(iso);
  if (!date) return iso ?? "";
  return `${two(date.getUTCDate())}/${two(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}`;
}

/** What a date field holds: nothing, a real day ("YYYY-MM-DD"), or something else. */
export type TypedDay = { kind: "empty" } | { kind: "day"; iso: string } | { kind: "invalid" };

// Day, month and year apart: "3/12/2026", "03-12-2026", "03.12.2026", "03 12 2026".
const SEPARATED = /^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{4})$/;
// Eight digits in a row, day first: "03122026". Seven are refused: "3122026" could be
// 3/12/2026 or 31/12/2026 with a digit left out.
const DIGITS = /^(\d{2})(\d{2})(\d{4})$/;
// Pasted from a system that writes the year first ("2026-12-03"): no day-month doubt.
const YEAR_FIRST = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/**
 * Reads a date as typed, day first: "03/12/2026", "3/12/2026", "03122026" and
 * "2026-12-03" are all 3 December 2026; "31/02/2026" is no day at all. The year takes
 * four digits, so a day is never read while it is still being typed.
 */
export function readTypedDay(text: string): TypedDay {
  const typed = text.trim();
  if (typed === "") return { kind: "empty" };
  let parts: [number, number, number] | null = null;
  const dayFirst = SEPARATED.exec(typed) ?? DIGITS.exec(typed);
  const yearFirst = YEAR_FIRST.exec(typed);
  if (dayFirst) parts = [Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1])];
  else if (yearFirst) parts = [Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3])];
  if (!parts) return { kind: "invalid" };
  const date = utcDay(...parts);
  return date && inRange(date) ? { kind: "day", iso: isoOf(date) } : { kind: "invalid" };
}

function inRange(date: Date): boolean {
  return date.getUTCFullYear() >= FIRST_YEAR && date.getUTCFullYear() <= LAST_YEAR;
}

/**
 * The day `days` after `iso` (before when negative), or null when `iso` is no day or
 * the step leaves the years a date field takes.
 */
export function addDays(iso: string, days: number): string | null {
  const date = parseDay(iso);
  if (!date) return null;
  date.setUTCDate(date.getUTCDate() + days);
  return inRange(date) ? isoOf(date) : null;
}
