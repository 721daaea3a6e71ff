// Locale-aware formatting of what the Rust side sends as strings.
import { i18n } from "./i18n.svelte";

function parseDate(iso: string): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "14:32" */
export function formatTime(iso: string): string {
  const date = parseDate(iso);
  if (!date) return "";
  return new Intl.DateTimeFormat(i18n.tag, { hour: "numeric", minute: "2-digit" }).format(date);
}

/** "24 nov 2025, 14:32" */
export function formatDateTime(iso: string): string {
  const date = parseDate(iso);
  if (!date) return "";
  return new Intl.DateTimeFormat(i18n.tag, { dateStyle: "medium", timeStyle: "short" }).format(
    date,
  );
}

/**
 * A typed amount of pesos as money ("$2,500,000.00"), or null when it is not a plain
 * amount. Only for showing back what was typed; the Rust side decides validity.
 */
export function formatPesos(typed: string): string | null {
  const cleaned = typed.replace(/[\s,$]/g, "");
  if (!/^\d+(\.\d{0,2})?$/.test(cleaned)) return null;
  const value = Number(cleaned);
  if (!Number.isFinite(value)) return null;
  return new Intl.NumberFormat(i18n.tag, { style: "currency", currency: "MXN" }).format(value);
}

/** A decimal string from Rust ("20.5"), with the locale's decimal mark. */
export function formatScore(score: string): string {
  const value = Number(score);
  if (!Number.isFinite(value)) return score;
  return new Intl.NumberFormat(i18n.tag, { maximumFractionDigits: 2 }).format(value);
}

/**
 * "20 mar 2026, 14:00" in Mexico City time, whatever this computer's zone; 24-hour, as
 * convocatorias state their deadlines.
 */
export function formatMexicoCity(iso: string): string {
  const date = parseDate(iso);
  if (!date) return "";
  return new Intl.DateTimeFormat(i18n.tag, {
    dateStyle: "medium",
    timeStyle: "short",
    hourCycle: "h23",
    timeZone: "America/Mexico_City",
  }).format(date);
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
