// Formatting of what the Rust side sends as strings: dates and times read the same in
// both languages (dd/mm/aaaa, Mexico City time); numbers take the language's marks.
import { formatDay } from "./dates";
import { i18n } from "./i18n.svelte";

function parseDate(iso: string): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

const MEXICO_CITY = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/Mexico_City",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  numberingSystem: "latn",
});

/** The calendar day ("YYYY-MM-DD") and the time ("14:32") of an instant in Mexico City. */
function inMexicoCity(date: Date): { day: string; time: string } {
  const parts = MEXICO_CITY.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: `${part("year")}-${part("month")}-${part("day")}`, time: `${part("hour")}:${part("minute")}` };
}

/** "14:32" in Mexico City time, whatever this computer's zone. */
export function formatTime(iso: string): string {
  const date = parseDate(iso);
  return date ? inMexicoCity(date).time : "";
}

/**
 * "03/12/2026 14:32": an instant in Mexico City time, whatever this computer's zone and
 * language, the day written like every other date (`formatDay`) and the time on the
 * 24-hour clock, as convocatorias state their deadlines.
 */
export function formatDateTime(iso: string): string {
  const date = parseDate(iso);
  if (!date) return "";
  const { day, time } = inMexicoCity(date);
  return `${formatDay(day)} ${time}`;
}

/** A decimal string from Rust ("20.5"), with the locale's decimal mark. */
export function formatScore(score: string): string {
  const value = Number(score);
  if (!Number.isFinite(value)) return score;
  return new Intl.NumberFormat(i18n.tag, { maximumFractionDigits: 2 }).format(value);
}

/** The time left until `iso` from `now`, split for a countdown; null once it passed. */
export function timeLeft(
  iso: string,
  now: number,
): { days: number; hours: number; minutes: number; seconds: number } | null {
  const date = parseDate(iso);
  if (!date) return null;
  const left = Math.floor((date.getTime() - now) / 1000);
  if (left <= 0) return null;
  return {
    days: Math.floor(left / 86400),
    hours: Math.floor((left % 86400) / 3600),
    minutes: Math.floor((left % 3600) / 60),
    seconds: left % 60,
  };
}
