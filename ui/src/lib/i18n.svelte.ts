// Message catalogues and the current language. `t` reads a reactive locale, so any
// template that calls it re-renders when the language changes.
import es from "../locales/es.json";
import en from "../locales/en.json";
import type { Locale } from "./bindings";

export type MessageKey = keyof typeof es;
export type MessageParams = Record<string, string | number>;
type Catalogue = Record<MessageKey, string>;

const catalogues: Record<Locale, Catalogue> = { es, en: en satisfies Catalogue };

export const LOCALES: readonly Locale[] = ["es", "en"];

let current = $state<Locale>("es");

export const i18n = {
  get locale(): Locale {
    return current;
  },
  /** The BCP 47 tag for `Intl` and `<html lang>`. */
  get tag(): string {
    return current === "es" ? "es-MX" : "en-US";
  },
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** Switches the language shown; persisting it is the caller's business. */
export function useLocale(locale: Locale): void {
  current = locale;
  if (typeof document !== "undefined") document.documentElement.lang = i18n.tag;
}

/** The message for `key` in the current language, with `{name}` placeholders filled. */
export function t(key: MessageKey, params?: MessageParams): string {
  const message = catalogues[current][key] ?? catalogues.es[key] ?? key;
  if (!params) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Every key of a catalogue (for tests). */
export function catalogueKeys(locale: Locale): string[] {
  return Object.keys(catalogues[locale]);
}
