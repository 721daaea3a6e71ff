// «Para ti»: why a tender fits a business, and the notice after a sync, worded from
// the catalogues (Rust sends the reasons as data).
import type { FitNotice, FitReason } from "./bindings";
import type { MessageKey } from "./i18n.svelte";

/** A message of the catalogues and its parameters. */
export type Message = { key: MessageKey; params: Record<string, string | number> };

/** Why one tender fits, as a sentence of the catalogues. */
export function reasonMessage(reason: FitReason): Message {
  switch (reason.kind) {
    case "scian":
      return { key: "fit.reason.scian", params: { code: reason.code, item: reason.item } };
    case "scian_branch":
      return {
        key: "fit.reason.scianBranch",
        params: { code: reason.code, itemCode: reason.item_code, item: reason.item },
      };
    case "mentions":
      return { key: "fit.reason.mentions", params: { word: reason.word } };
  }
}

/** The home card's line: how many tenders fit the business. */
export function countMessage(n: number): Message {
  return { key: n === 1 ? "home.card.fits.one" : "home.card.fits.other", params: { n } };
}

/** The notices shown after a sync: the first `shown`, and how many more there are. */
export function noticeLines(
  notices: FitNotice[],
  deadline: (utc: string) => string,
  shown = 3,
): { lines: (Message & { ocid: FitNotice["ocid"] })[]; more: number } {
  const lines = notices.slice(0, shown).map((notice) => ({
    ocid: notice.ocid,
    key: (notice.kind === "new" ? "notice.fits.new" : "notice.fits.closing") as MessageKey,
    params: {
      business: notice.business_name,
      title: notice.title,
      deadline: notice.deadline ? deadline(notice.deadline) : "",
    },
  }));
  return { lines, more: Math.max(0, notices.length - shown) };
}

/** The desktop notification for what a sync told: a title, and a line per tender. */
export function desktopNotice(
  notices: FitNotice[],
  deadline: (utc: string) => string,
  say: (message: Message) => string,
): { title: string; body: string } {
  const { lines, more } = noticeLines(notices, deadline);
  const body = lines.map(say);
  if (more > 0) body.push(say({ key: "notice.fits.more", params: { n: more } }));
  return { title: say({ key: "notice.fits.title", params: {} }), body: body.join("\n") };
}
