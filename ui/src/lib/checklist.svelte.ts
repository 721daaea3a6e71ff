// The document checklist of one business while its page is open: the latest view from
// Rust, what each item is doing (attaching, saving a date, asking before removing),
// and the operations. Writes go through one serial queue, so the store sees them in
// the order they were made and the last answer shows the latest state.
import { api as defaultApi, toCommandError, type Api } from "./api";
import type { BusinessId, ChecklistItem, ChecklistView, PickedFile, Procedure } from "./bindings";
import { itemKey, stableOrder, type DateSlot } from "./documents";
import { t } from "./i18n.svelte";
import { SerialQueue } from "./save-queue";

export type DatesState = "saving" | "saved" | "error";

/** Dates typed for an attached document and not yet confirmed by the store. */
interface DatesDraft {
  documentId: string;
  issued: string | null;
  expires: string | null;
}

/** What one item is doing; the view is in `Checklist.view`. */
export interface ItemUi {
  /** From choosing a file until the copy is answered. */
  attaching: boolean;
  /** The copy itself is under way (the file was chosen or dropped). */
  copying: boolean;
  progress: { copied: number; total: number } | null;
  removing: boolean;
  confirmRemove: boolean;
  /** The last refusal for this item, in the user's language. */
  error: string | null;
  /** A remark about the last operation (e.g. only the first dropped file was taken). */
  notice: string | null;
  /** Dates chosen before any file is attached; sent with the file. */
  pendingIssued: string;
  pendingExpires: string;
  dates: DatesDraft | null;
  datesState: DatesState | null;
  datesSavedAt: string | null;
  datesError: string | null;
  datesSerial: number;
}

function emptyUi(): ItemUi {
  return {
    attaching: false,
    copying: false,
    progress: null,
    removing: false,
    confirmRemove: false,
    error: null,
    notice: null,
    pendingIssued: "",
    pendingExpires: "",
    dates: null,
    datesState: null,
    datesSavedAt: null,
    datesError: null,
    datesSerial: 0,
  };
}

export class Checklist {
  readonly id: BusinessId;
  view: ChecklistView | null = $state(null);
  /** Keys in the order shown (see `stableOrder`). */
  order: string[] = $state([]);
  ui: Record<string, ItemUi> = $state({});
  loadError: string | null = $state(null);
  /** The item whose file is being attached; one at a time (progress events name none). */
  attaching: string | null = $state(null);
  /** Said to screen readers after an operation. */
  announcement = $state("");
  /** The procedure the list is drawn up for; `null`: the registration's. */
  procedure: Procedure | null = $state(null);

  #api: Api;
  #queue = new SerialQueue();
  #loads = 0;

  constructor(id: BusinessId, api: Api = defaultApi) {
    this.id = id;
    this.#api = api;
  }

  /** The items in the order shown. */
  get items(): ChecklistItem[] {
    if (!this.view) return [];
    const byKey = new Map(this.view.items.map((item) => [itemKey(item), item]));
    return this.order.flatMap((key) => byKey.get(key) ?? []);
  }

  item(key: string): ChecklistItem | null {
    return this.view?.items.find((item) => itemKey(item) === key) ?? null;
  }

  /** Loads the checklist afresh (after pending writes), in Rust's order. */
  async load(): Promise<void> {
    const mine = ++this.#loads;
    try {
      const view = await this.#queue.push(() => this.#api.checklist(this.id, this.procedure));
      if (mine !== this.#loads) return;
      this.order = [];
      this.#apply(view);
      this.loadError = null;
    } catch (error) {
      if (mine !== this.#loads) return;
      this.loadError = toCommandError(error, t("docs.loadError")).message;
    }
  }

  /** Progress of the copy under way, from `attach-progress` events. */
  progress(copied: number, total: number): void {
    const key = this.attaching;
    const ui = key ? this.ui[key] : undefined;
    if (ui?.copying) ui.progress = { copied, total };
  }

  /**
   * Attaches a file to item `key`: `dropped` when dropped, else the one chosen in the
   * system's dialog. Resolves true when a file was attached.
   */
  async attach(key: string, dropped: PickedFile | null = null): Promise<boolean> {
    const item = this.item(key);
    const ui = this.ui[key];
    if (!item || !ui || ui.removing) return false;
    if (this.attaching !== null) {
      if (this.attaching !== key) ui.error = t("docs.busyOther");
      return false;
    }
    this.attaching = key;
    ui.attaching = true;
    ui.error = null;
    ui.notice = null;
    ui.confirmRemove = false;
    try {
      const chosen = dropped ?? (await this.#api.pickDocument());
      if (chosen === null) return false;
      ui.progress = null;
      ui.copying = true;
      // A new file starts with the dates typed for it; a replacement gets its own.
      const fresh = item.document === null;
      const view = await this.#queue.push(() =>
        this.#api.attachDocument({
          id: this.id,
          requirement: item.code,
          representative: item.representative,
          file: chosen.token,
          issued_on: fresh ? ui.pendingIssued || null : null,
          expires_on: fresh ? ui.pendingExpires || null : null,
          procedure: this.procedure,
        }),
      );
      this.#apply(view);
      ui.pendingIssued = "";
      ui.pendingExpires = "";
      ui.dates = null;
      ui.datesState = null;
      ui.datesError = null;
      const attached = this.item(key)?.document;
      this.announcement = t("docs.attached.announce", {
        file: attached?.original_name ?? chosen.name,
        name: item.name,
      });
      return true;
    } catch (error) {
      ui.error = toCommandError(error, t("docs.attachError")).message;
      return false;
    } finally {
      ui.attaching = false;
      ui.copying = false;
      ui.progress = null;
      this.attaching = null;
    }
  }

  /** The value the date input of `slot` shows. */
  dateValue(item: ChecklistItem, slot: DateSlot): string {
    const ui = this.ui[itemKey(item)];
    const document = item.document;
    if (!document) return (slot === "issued" ? ui?.pendingIssued : ui?.pendingExpires) ?? "";
    const draft = ui?.dates;
    if (draft && draft.documentId === document.id) return draft[slot] ?? "";
    return (slot === "issued" ? document.issued_on : document.expires_on) ?? "";
  }

  /**
   * A date chosen for item `key` ("YYYY-MM-DD", or "" for none): the date field hands
   * over only whole days. Before a file is attached it waits to go with the file; for
   * an attached document it is stored at once.
   */
  setDate(key: string, slot: DateSlot, value: string): void {
    const item = this.item(key);
    const ui = this.ui[key];
    if (!item || !ui) return;
    const document = item.document;
    if (!document) {
      if (slot === "issued") ui.pendingIssued = value;
      else ui.pendingExpires = value;
      return;
    }
    const normalized = value === "" ? null : value;
    const current = ui.dates && ui.dates.documentId === document.id ? ui.dates : null;
    // Already on its way (or failed, and "Reintentar" sends it): nothing new to send.
    if (current && current[slot] === normalized) return;
    const stored = slot === "issued" ? document.issued_on : document.expires_on;
    if (!current && normalized === stored) return;
    const next: DatesDraft = {
      documentId: document.id,
      issued: current ? current.issued : document.issued_on,
      expires: current ? current.expires : document.expires_on,
    };
    if (slot === "issued") next.issued = normalized;
    else next.expires = normalized;
    this.#saveDates(key, next);
  }

  /** Sends again the dates that failed to save. */
  retryDates(key: string): void {
    const draft = this.ui[key]?.dates;
    if (draft) this.#saveDates(key, { ...draft });
  }

  #saveDates(key: string, draft: DatesDraft): void {
    const ui = this.ui[key]!;
    ui.dates = draft;
    const serial = ++ui.datesSerial;
    ui.datesState = "saving";
    ui.datesError = null;
    ui.error = null;
    void this.#queue.push(async () => {
      try {
        const view = await this.#api.setDocumentDates(this.id, draft.documentId, draft.issued, draft.expires, this.procedure);
        this.#apply(view);
        if (ui.datesSerial !== serial) return;
        ui.dates = null;
        ui.datesState = "saved";
        ui.datesSavedAt = new Date().toISOString();
      } catch (error) {
        if (ui.datesSerial !== serial) return;
        ui.datesState = "error";
        ui.datesError = toCommandError(error, t("docs.datesError")).message;
      }
    });
  }

  askRemove(key: string): void {
    const ui = this.ui[key];
    if (ui) {
      ui.confirmRemove = true;
      ui.error = null;
    }
  }

  cancelRemove(key: string): void {
    const ui = this.ui[key];
    if (ui) ui.confirmRemove = false;
  }

  /** Removes the document of item `key`. Resolves true when it was removed. */
  async remove(key: string): Promise<boolean> {
    const item = this.item(key);
    const ui = this.ui[key];
    const document = item?.document;
    if (!item || !ui || !document || ui.removing || ui.attaching) return false;
    ui.removing = true;
    ui.error = null;
    ui.notice = null;
    try {
      const view = await this.#queue.push(() => this.#api.removeDocument(this.id, document.id, this.procedure));
      this.#apply(view);
      ui.dates = null;
      ui.datesState = null;
      ui.datesError = null;
      this.announcement = t("docs.removed.announce", { name: item.name });
      return true;
    } catch (error) {
      ui.error = toCommandError(error, t("docs.removeError")).message;
      return false;
    } finally {
      ui.removing = false;
      ui.confirmRemove = false;
    }
  }

  #apply(view: ChecklistView): void {
    const keys = view.items.map(itemKey);
    for (const key of keys) {
      if (!this.ui[key]) this.ui[key] = emptyUi();
    }
    this.view = view;
    this.order = stableOrder(this.order, keys);
  }
}
