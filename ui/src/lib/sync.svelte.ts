// The connection and queue state, shared by the always-visible indicator and the
// sync page: refreshed on the shell's `sync-progress` / `sync-changed` events and
// after each action here.
import { listen } from "@tauri-apps/api/event";
import { api, toCommandError } from "./api";
import type { BusinessId, CommandError, SendingView, SubmissionId, SyncView } from "./bindings";
import { t } from "./i18n.svelte";

class SyncState {
  view = $state<SyncView | null>(null);
  busy = $state(false);
  error = $state<CommandError | null>(null);
  #listening = false;

  async refresh(): Promise<void> {
    try {
      this.view = await api.syncState();
    } catch (e) {
      this.error = toCommandError(e, t("error.generic"));
    }
  }

  /** Starts following the shell's events (once). */
  follow(): void {
    if (this.#listening) return;
    this.#listening = true;
    void this.refresh();
    listen<SendingView>("sync-progress", (event) => {
      if (this.view) this.view = { ...this.view, sending: event.payload };
    }).catch(() => {});
    listen("sync-changed", () => void this.refresh()).catch(() => {});
  }

  async syncNow(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      this.view = await api.syncNow();
    } catch (e) {
      this.error = toCommandError(e, t("error.generic"));
    } finally {
      this.busy = false;
    }
  }

  async retry(business: BusinessId, submission: SubmissionId): Promise<void> {
    try {
      await api.retrySubmission(business, submission);
      await this.syncNow();
    } catch (e) {
      this.error = toCommandError(e, t("error.generic"));
    }
  }
}

export const sync = new SyncState();
