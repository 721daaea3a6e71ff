// One bid in its wizard: what the owner typed, and Rust's latest judgement of it. Every
// edit is sent at once through a serial queue, as in the registration; each answer
// carries the edited line's subtotal, the exact totals (already formatted as pesos)
// and the problem counts per tab, so the totals change with every keystroke while the
// webview never does arithmetic on money.
import { api as defaultApi, toCommandError, type Api } from "./api";
import type {
  BidId,
  BusinessId,
  OutboxItemView,
  BidIssueView,
  BidSaved,
  BidView,
  Declaration,
  ItemField,
  Tab,
  TabCount,
  TotalsView,
} from "./bindings";
import { t } from "./i18n.svelte";
import { SerialQueue } from "./save-queue";
import type { SaveState } from "./session.svelte";

export const BID_TABS: readonly Tab[] = ["technical", "economic", "documents", "declarations", "review"];

function counts(issues: BidIssueView[]): TabCount[] {
  return BID_TABS.map((tab) => ({
    tab,
    missing: issues.filter((i) => i.tab === tab && i.severity === "missing").length,
    errors: issues.filter((i) => i.tab === tab && i.severity === "error").length,
  }));
}

export class BidSession {
  readonly businessId: BusinessId;
  readonly id: BidId;
  view: BidView = $state() as BidView;
  totals: TotalsView | null = $state(null);
  /** Subtotal shown per item id (formatted), null while its line cannot be read. */
  subtotals: Record<string, string | null> = $state({});
  /** The latest problems by item id, or by `@subject` for the bid's own fields
   * (`@price_validity_days`, `@no_impediment`...) and the tabs' general ones (`@`). */
  itemIssues: Record<string, BidIssueView[]> = $state({});
  tabs: TabCount[] = $state([]);
  ready = $state(false);
  saveState: SaveState = $state("saved");
  errorMessage: string | null = $state(null);

  #api: Api;
  #queue = new SerialQueue();
  #failed = new Set<string>();

  constructor(view: BidView, api: Api = defaultApi) {
    this.businessId = view.business_id;
    this.id = view.id;
    this.#api = api;
    this.#load(view);
  }

  #load(view: BidView): void {
    this.view = view;
    this.totals = view.totals;
    this.subtotals = Object.fromEntries(view.items.map((i) => [i.id, i.subtotal]));
    const byItem: Record<string, BidIssueView[]> = {};
    for (const issue of view.issues) {
      const key = issue.item ?? `@${issue.subject ?? ""}`;
      (byItem[key] ??= []).push(issue);
    }
    this.itemIssues = byItem;
    this.tabs = counts(view.issues);
    this.ready = view.ready;
  }

  /** The problems of one item's field, or of everything under a key when `field` is null. */
  issuesOf(key: string, field: ItemField | null = null): BidIssueView[] {
    return (this.itemIssues[key] ?? []).filter((i) => field === null || i.field === field);
  }

  /** Resolves when every edit made so far has been answered. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  #apply(key: string, saved: BidSaved): void {
    if (saved.line) this.subtotals[saved.line.item_id] = saved.line.subtotal;
    this.totals = saved.totals;
    this.itemIssues[key] = saved.issues;
    this.tabs = saved.tabs;
    this.ready = saved.ready;
  }

  /** Sends one edit; its answer is applied inside the queue, so `idle()` sees it. A
   * failed key stays marked until a later edit of it is stored. */
  #save(key: string, send: () => Promise<BidSaved>): void {
    this.saveState = "saving";
    void this.#queue.push(async () => {
      try {
        this.#apply(key, await send());
        this.#failed.delete(key);
      } catch (e: unknown) {
        this.#failed.add(key);
        this.errorMessage = toCommandError(e, t("error.generic")).message;
      }
      if (this.#failed.size > 0) this.saveState = "error";
      else if (this.#queue.size <= 1) this.saveState = "saved";
    });
  }

  setItemField(item: string, field: ItemField, value: string): void {
    const typed = this.view.items.find((i) => i.id === item)?.typed;
    if (typed) typed[field] = value;
    this.#save(item, () => this.#api.setBidItemField(this.businessId, this.id, item, field, value));
  }

  setValidityDays(value: string): void {
    this.view.price_validity_days = value;
    this.#save("@price_validity_days", () =>
      this.#api.setBidValidityDays(this.businessId, this.id, value),
    );
  }

  setDeclaration(declaration: Declaration, accepted: boolean): void {
    const text = this.view.declarations.find((d) => d.declaration === declaration);
    if (text) text.accepted = accepted;
    this.#save(`@${declaration}`, () =>
      this.#api.setBidDeclaration(this.businessId, this.id, declaration, accepted),
    );
  }

  /** Reloads the whole bid (after confirming, or to refresh the review). */
  async reload(): Promise<void> {
    await this.idle();
    this.#load(await this.#api.openBid(this.businessId, this.id));
  }

  async confirm(): Promise<void> {
    await this.idle();
    this.#load(await this.#api.confirmBid(this.businessId, this.id));
  }

  /** Freezes the bid, signs it with the e.firma and `password`, and puts it in the
   * list of submissions (works offline). */
  async submit(password: string): Promise<OutboxItemView> {
    await this.idle();
    return this.#api.submitBid(this.businessId, this.id, password);
  }

  /** Saves the proposal PDF where the person chooses; the path, or null if cancelled. */
  async exportPdf(): Promise<string | null> {
    await this.idle();
    return this.#api.exportBidPdf(this.businessId, this.id);
  }
}

export async function openBidSession(businessId: BusinessId, bidId: BidId): Promise<BidSession> {
  return new BidSession(await defaultApi.openBid(businessId, bidId));
}
