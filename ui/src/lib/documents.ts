// The document checklist's pure parts: ids, badges, dates, sizes, the item under the
// pointer and the order items keep on screen. No state, no back end: the page and the
// business card call these, and documents.test.ts checks them.
import type {
  ChecklistItem,
  DateAsked,
  DocumentAlert,
  FileKind,
  Status,
} from "./bindings";
import { formatDay } from "./dates";
import type { MessageKey, MessageParams } from "./i18n.svelte";

/** A message to show: its key and placeholders, for `t`. */
export interface Message {
  key: MessageKey;
  params?: MessageParams;
}

/** One item on the page: its requirement, and its representative when per representative. */
export function itemKey(item: Pick<ChecklistItem, "code" | "representative">): string {
  return item.representative ? `${item.code}-${item.representative}` : item.code;
}

/** Element ids of an item's controls (stable hooks for the window tests). */
export const docIds = {
  item: (key: string) => `doc-${key}`,
  name: (key: string) => `doc-name-${key}`,
  message: (key: string) => `doc-message-${key}`,
  attach: (key: string) => `attach-${key}`,
  issued: (key: string) => `issued-${key}`,
  expires: (key: string) => `expires-${key}`,
  preview: (key: string) => `preview-${key}`,
  remove: (key: string) => `remove-${key}`,
  removeConfirm: (key: string) => `remove-confirm-${key}`,
  removeCancel: (key: string) => `remove-cancel-${key}`,
};

/** Which of a document's two dates an item asks for. */
export type DateSlot = "issued" | "expires";

/** The date input an item shows, if any: an issue date (also the fiscal year's close) or an expiry. */
export function dateSlot(asked: DateAsked): DateSlot | null {
  switch (asked) {
    case "issue":
    case "fiscal_year_end":
      return "issued";
    case "expiry":
      return "expires";
    case "none":
      return null;
  }
}

export const DATE_LABEL: Record<Exclude<DateAsked, "none">, MessageKey> = {
  issue: "docs.date.issue",
  expiry: "docs.date.expiry",
  fiscal_year_end: "docs.date.fiscalYearEnd",
};

/** How a status looks: the badge classes of app.css. */
export type Tone = "ok" | "pending" | "error" | "neutral";

export function statusTone(status: Status, required: boolean): Tone {
  switch (status.kind) {
    case "attached":
      return "ok";
    case "missing":
      return required ? "pending" : "neutral";
    case "expiring_soon":
    case "needs_date":
      return "pending";
    case "expired":
    case "rejected":
    case "date_invalid":
      return "error";
  }
}

/** The badge's words: "Falta", "Listo", "Vence pronto (3 días)", … */
export function statusLabel(item: Pick<ChecklistItem, "status" | "days_left">): Message {
  switch (item.status.kind) {
    case "missing":
      return { key: "docs.status.missing" };
    case "attached":
      return { key: "docs.status.attached" };
    case "expiring_soon": {
      const n = item.days_left;
      if (n === null) return { key: "docs.status.expiringSoon" };
      if (n <= 0) return { key: "docs.status.expiringToday" };
      if (n === 1) return { key: "docs.status.expiringOne" };
      return { key: "docs.status.expiringOther", params: { n } };
    }
    case "expired":
      return { key: "docs.status.expired" };
    case "rejected":
      return { key: "docs.status.rejected" };
    case "needs_date":
      return { key: "docs.status.needsDate" };
    case "date_invalid":
      return { key: "docs.status.dateInvalid" };
  }
}

/** Ready to be sent as it is (what "n de m listos" counts). */
export function isReady(status: Status): boolean {
  return status.kind === "attached" || status.kind === "expiring_soon";
}

const KIND_LABEL: Record<FileKind, string> = { pdf: "PDF", jpeg: "JPG", png: "PNG" };

export function kindLabel(kind: FileKind): string {
  return KIND_LABEL[kind];
}

/** "PDF, JPG o PNG" */
export function kindsList(kinds: readonly FileKind[], tag: string): string {
  const labels = kinds.map(kindLabel);
  if (typeof Intl.ListFormat !== "function") return labels.join(", ");
  return new Intl.ListFormat(tag, { type: "disjunction" }).format(labels);
}

const SIZE_UNITS = ["B", "KB", "MB", "GB", "TB"] as const;

/** A file size as people read it: "850 B", "12 KB", "1.4 MB" (binary units, like Windows). */
export function formatBytes(bytes: number, tag: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  let digits = unit === 0 || value >= 10 ? 0 : 1;
  // 1023.96 KB would read "1024 KB": say "1 MB" instead.
  if (unit < SIZE_UNITS.length - 1 && round(value, digits) >= 1024) {
    value /= 1024;
    unit += 1;
    digits = 1;
  }
  const number = new Intl.NumberFormat(tag, {
    maximumFractionDigits: digits,
    useGrouping: false,
  }).format(value);
  return `${number} ${SIZE_UNITS[unit]}`;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Whole percent of a copy, 0-100. */
export function percentOf(copied: number, total: number): number {
  if (!(total > 0) || !Number.isFinite(copied)) return 0;
  return Math.min(100, Math.max(0, Math.floor((copied / total) * 100)));
}

/** The home card's line about a document that expires within a week or has expired. */
export function alertMessage(alert: DocumentAlert): Message & { tone: "warn" | "error" } {
  const date = formatDay(alert.valid_until);
  const n = alert.days_left;
  if (n < 0) return { key: "card.alert.expired", params: { date }, tone: "error" };
  if (n === 0) return { key: "card.alert.today", params: { date }, tone: "warn" };
  if (n === 1) return { key: "card.alert.one", params: { date }, tone: "warn" };
  return { key: "card.alert.other", params: { n, date }, tone: "warn" };
}

/** A position from Tauri's drag-and-drop events: physical pixels of the webview. */
export interface PhysicalPoint {
  x: number;
  y: number;
}

/** The same point in CSS pixels, what `elementFromPoint` expects. */
export function cssPoint(position: PhysicalPoint, ratio: number): PhysicalPoint {
  const scale = Number.isFinite(ratio) && ratio > 0 ? ratio : 1;
  return { x: position.x / scale, y: position.y / scale };
}

export const ITEM_SELECTOR = '[data-testid="checklist-item"]';

/** What `document.elementFromPoint` returns, as far as finding the item needs. */
export interface HitElement {
  closest(selector: string): { getAttribute(name: string): string | null } | null;
}

/** The key of the checklist item under a drag-and-drop position, if any. */
export function itemKeyAt(
  position: PhysicalPoint,
  ratio: number,
  hit: (x: number, y: number) => HitElement | null,
): string | null {
  const { x, y } = cssPoint(position, ratio);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
  const item = hit(x, y)?.closest(ITEM_SELECTOR) ?? null;
  return item?.getAttribute("data-key") || null;
}

/**
 * The order items keep on screen while the page is open: the Rust side sorts what is
 * missing first, but an item that just got its file should not jump away from the
 * pointer. Known keys keep their place, new ones follow in the given order.
 */
export function stableOrder(previous: readonly string[], next: readonly string[]): string[] {
  const wanted = new Set(next);
  const kept = previous.filter((key) => wanted.has(key));
  const known = new Set(kept);
  return [...kept, ...next.filter((key) => !known.has(key))];
}

/** The bytes of a `data:` URL (base64 or percent-encoded), decoded here, not fetched. */
export function dataUrlBytes(url: string): Uint8Array {
  const comma = url.indexOf(",");
  if (!url.startsWith("data:") || comma < 0) throw new Error("not a data: URL");
  const meta = url.slice(5, comma);
  const body = url.slice(comma + 1);
  if (/;base64$/i.test(meta)) {
    const native = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array }).fromBase64;
    if (typeof native === "function") return native.call(Uint8Array, body);
    const binary = atob(body);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }
  const encoder = new TextEncoder();
  const bytes: number[] = [];
  let i = 0;
  while (i < body.length) {
    const hex = body.slice(i + 1, i + 3);
    if (body[i] === "%" && /^[0-9a-f]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else {
      const char = String.fromCodePoint(body.codePointAt(i)!);
      bytes.push(...encoder.encode(char));
      i += char.length;
    }
  }
  return Uint8Array.from(bytes);
}
