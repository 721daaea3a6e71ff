// The e.firma's renewal warning as worded on the workspace and on the home card.
import type { FielRenewal } from "./bindings";
import type { MessageKey, MessageParams } from "./i18n.svelte";

export interface RenewalMessage {
  key: MessageKey;
  params: MessageParams;
  tone: "warn" | "error";
}

/** The sentence for a renewal warning: expired (error), today, tomorrow or in n days. */
export function renewalMessage(renewal: FielRenewal): RenewalMessage {
  const date = renewal.not_after_local;
  const n = renewal.days_left;
  if (renewal.expired) return { key: "fiel.renewal.expired", params: { date }, tone: "error" };
  if (n <= 0) return { key: "fiel.renewal.today", params: { date }, tone: "warn" };
  if (n === 1) return { key: "fiel.renewal.one", params: { date }, tone: "warn" };
  return { key: "fiel.renewal.other", params: { n, date }, tone: "warn" };
}
