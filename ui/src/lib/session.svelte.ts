// One open business in the wizard: its draft as typed, the latest review, and the
// autosave. Every edit is sent at once through a serial queue (so the store sees edits
// in order and the last one typed wins); answers bring a fresh review, while the draft
// the server echoes is merged only where it cannot undo typing (never the focused
// input, never while later edits are still on their way, never a value that failed).
import { api as defaultApi, toCommandError, type Api } from "./api";
import type {
  BusinessId,
  BusinessView,
  RegistrationDraft,
  Representative,
  ReviewView,
  Saved,
} from "./bindings";
import { DRAFT_FIELDS, type DraftField, type RepPart } from "./form";
import { t } from "./i18n.svelte";
import { SerialQueue } from "./save-queue";

export type SaveState = "saving" | "saved" | "error";

type Op =
  | { kind: "field"; field: DraftField }
  | { kind: "rep"; repId: string }
  | { kind: "add"; serial: number }
  | { kind: "remove"; repId: string }
  | { kind: "refresh" };

function opKey(op: Op): string {
  switch (op.kind) {
    case "field":
      return `field:${op.field}`;
    case "rep":
      return `rep:${op.repId}`;
    case "add":
      return `add:${op.serial}`;
    case "remove":
      return `remove:${op.repId}`;
    case "refresh":
      return "refresh";
  }
}

/** The property of `Representative` each part edits. */
export const REP_PROP: Readonly<Record<RepPart, "name" | "curp" | "power_of_attorney">> = {
  name: "name",
  curp: "curp",
  power: "power_of_attorney",
};

/** Focus/touch key of a top-level field or of one representative's part. */
export function fieldKey(field: DraftField | "representatives"): string {
  return field;
}
export function repKey(repId: string, part: RepPart): string {
  return `rep:${repId}:${part}`;
}

const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 30_000;

function emptyDraft(): RegistrationDraft {
  const draft = Object.fromEntries(DRAFT_FIELDS.map((f) => [f, ""])) as Record<DraftField, string>;
  return { ...draft, representatives: [] } as RegistrationDraft;
}

function emptyReview(): ReviewView {
  return {
    issues: [],
    facts: {
      persona: null,
      sections: [],
      size: null,
      annual_sales: null,
      bank: null,
      in_benito_juarez: false,
      complete: false,
    },
  };
}

export class Session {
  readonly id: BusinessId;
  /** What the person sees and types; inputs bind straight to it. */
  draft: RegistrationDraft = $state(emptyDraft());
  review: ReviewView = $state(emptyReview());
  saveState: SaveState = $state("saved");
  /** `saved_at` of the last successful write (RFC 3339), null before the first. */
  savedAt: string | null = $state(null);
  /** The server's message for the last failed write, while something is unsaved. */
  errorMessage: string | null = $state(null);
  /**
   * Keys of inputs whose "missing" message may show (see `fieldKey`, `repKey`): left
   * after a change, passed with "Siguiente", or jumped to from the summary. Focus
   * alone is not a touch.
   */
  touched: Record<string, boolean> = $state({});
  /** The representative just added, for the view to focus; cleared by it. */
  addedRep: string | null = $state(null);

  #api: Api;
  #queue = new SerialQueue();
  #failed = new Map<string, Op>();
  #focus: string | null = null;
  /** Keys of inputs changed by the person, to tell leaving one from passing through. */
  #changed = new Set<string>();
  #server: RegistrationDraft | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #retryDelay = FIRST_RETRY_MS;
  #serial = 0;

  constructor(view: BusinessView, api: Api = defaultApi) {
    this.id = view.id;
    this.#api = api;
    this.draft = structuredClone(view.draft);
    this.review = view.review;
    this.#server = view.draft;
  }

  /** Edits not yet stored (failed, waiting for a retry). */
  get unsaved(): boolean {
    return this.#failed.size > 0;
  }

  /** Writes in flight or queued. */
  get busy(): boolean {
    return this.#queue.size > 0;
  }

  /** Resolves when every edit made so far has been answered. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  focus(key: string): void {
    this.#focus = key;
  }

  blur(key: string): void {
    if (this.#focus === key) this.#focus = null;
    if (this.#changed.has(key)) this.touch(key);
    // The server may have normalised what was typed (capitals, spaces): show it now.
    if (this.#queue.size === 0 && this.#server) this.#merge(this.#server);
  }

  touch(...keys: string[]): void {
    for (const key of keys) if (!this.touched[key]) this.touched[key] = true;
  }

  /** Stores a top-level field; call on every input event, after the draft holds it. */
  setField(field: DraftField, value?: string): void {
    if (value !== undefined && this.draft[field] !== value) this.draft[field] = value;
    this.#changed.add(fieldKey(field));
    this.#enqueue({ kind: "field", field });
  }

  /** Stores one representative as it is now in the draft, after a change to `part`. */
  saveRepresentative(repId: string, part: RepPart): void {
    this.#changed.add(repKey(repId, part));
    this.#enqueue({ kind: "rep", repId });
  }

  addRepresentative(): void {
    this.#serial += 1;
    this.#enqueue({ kind: "add", serial: this.#serial });
  }

  removeRepresentative(repId: string): void {
    this.draft.representatives = this.draft.representatives.filter((r) => r.id !== repId);
    this.#failed.delete(`rep:${repId}`);
    this.#enqueue({ kind: "remove", repId });
  }

  /** Reloads the review (e.g. after the language changed), after pending edits. */
  refresh(): void {
    this.#enqueue({ kind: "refresh" });
  }

  /** Sends again, now, every edit that failed. */
  retry(): void {
    this.#clearRetry();
    const failed = [...this.#failed.values()];
    for (const op of failed) this.#enqueue(op);
  }

  /** Gives up on this business (it was deleted): no more retries. */
  dispose(): void {
    this.#clearRetry();
    this.#failed.clear();
  }

  #enqueue(op: Op): void {
    this.saveState = "saving";
    void this.#queue.push(async () => {
      const key = opKey(op);
      try {
        const result = await this.#execute(op);
        this.#failed.delete(key);
        if (result) this.#apply(result, op);
      } catch (error) {
        this.#failed.set(key, op);
        this.errorMessage = toCommandError(error, t("save.error.generic")).message;
      }
      // This task is the last one in the queue: report the overall outcome.
      if (this.#queue.size === 1) this.#settle();
    });
  }

  #execute(op: Op): Promise<Saved | BusinessView | null> {
    switch (op.kind) {
      case "field":
        return this.#api.setField(this.id, op.field, this.draft[op.field]);
      case "rep": {
        const rep = this.draft.representatives.find((r) => r.id === op.repId);
        if (!rep) return Promise.resolve(null);
        return this.#api.updateRepresentative(this.id, $state.snapshot(rep));
      }
      case "add":
        return this.#api.addRepresentative(this.id);
      case "remove":
        return this.#api.removeRepresentative(this.id, op.repId);
      case "refresh":
        return this.#api.openBusiness(this.id);
    }
  }

  #apply(result: Saved | BusinessView, op: Op): void {
    this.review = result.review;
    if ("saved_at" in result) this.savedAt = result.saved_at;
    this.#server = result.draft;
    if (op.kind === "add") {
      const known = new Set(this.draft.representatives.map((r) => r.id));
      const fresh = result.draft.representatives.filter(
        (r) => !known.has(r.id) && !this.#failed.has(`remove:${r.id}`),
      );
      if (fresh.length > 0) {
        this.draft.representatives.push(...fresh.map((r) => ({ ...r })));
        this.addedRep = fresh[fresh.length - 1]!.id;
      }
    }
    if (this.#queue.size === 1) this.#merge(result.draft);
  }

  /** Takes the stored values except where that could undo the person's typing. */
  #merge(server: RegistrationDraft): void {
    for (const field of DRAFT_FIELDS) {
      if (this.#focus === field || this.#failed.has(`field:${field}`)) continue;
      if (this.draft[field] !== server[field]) this.draft[field] = server[field];
    }
    const local = new Map(this.draft.representatives.map((r) => [r.id, r]));
    const wanted = server.representatives.filter((r) => !this.#failed.has(`remove:${r.id}`));
    const sameOrder =
      wanted.length === this.draft.representatives.length &&
      wanted.every((r, i) => this.draft.representatives[i]!.id === r.id);
    const mergedRep = (stored: Representative): Representative => {
      const mine = local.get(stored.id);
      if (!mine) return { ...stored };
      if (this.#failed.has(`rep:${stored.id}`)) return mine;
      for (const part of Object.keys(REP_PROP) as RepPart[]) {
        const prop = REP_PROP[part];
        if (this.#focus === repKey(stored.id, part)) continue;
        if (mine[prop] !== stored[prop]) mine[prop] = stored[prop];
      }
      return mine;
    };
    if (sameOrder) {
      for (const stored of wanted) mergedRep(stored);
    } else {
      this.draft.representatives = wanted.map(mergedRep);
    }
  }

  #settle(): void {
    if (this.#failed.size > 0) {
      this.saveState = "error";
      // One retry pending at a time; the wait doubles each time a retry fails.
      if (this.#retryTimer === null) this.#scheduleRetry();
    } else {
      this.saveState = "saved";
      this.errorMessage = null;
      this.#retryDelay = FIRST_RETRY_MS;
      this.#clearRetry();
    }
  }

  #scheduleRetry(): void {
    this.#clearRetry();
    const delay = this.#retryDelay;
    this.#retryDelay = Math.min(this.#retryDelay * 2, MAX_RETRY_MS);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.retry();
    }, delay);
  }

  #clearRetry(): void {
    if (this.#retryTimer !== null) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = null;
    }
  }
}

/** The latest session of each business: one queue per business, whatever the screen. */
const live = new Map<string, Session>();

/**
 * Opens business `id` for editing. A session that still holds unsaved edits is reused
 * (its typed values are the truth); otherwise pending writes finish first and the
 * business is loaded afresh.
 */
export async function openSession(id: BusinessId, api: Api = defaultApi): Promise<Session> {
  const existing = live.get(id);
  if (existing) {
    if (existing.unsaved) {
      existing.refresh();
      return existing;
    }
    await existing.idle();
  }
  const session = new Session(await api.openBusiness(id), api);
  live.set(id, session);
  return session;
}

/** Starts a session on a business just created. */
export function startSession(view: BusinessView, api: Api = defaultApi): Session {
  const session = new Session(view, api);
  live.set(view.id, session);
  return session;
}

/** Drops what is kept about a deleted business. */
export function forgetSession(id: string): void {
  live.get(id)?.dispose();
  live.delete(id);
}

/** Waits for every open session's pending writes (before the home list reloads). */
export async function allIdle(): Promise<void> {
  await Promise.all([...live.values()].map((s) => s.idle()));
}
