// The connection and queue state, shared by the always-visible indicator and the
// sync page: refreshed on the shell's `sync-progress` / `sync-changed` events and
// after each action here.
import { listen } from "@tauri-apps/api/event";
import { api, toCommandError } from "./api";
import type { BusinessId, CommandError, FitNotice, SendingView, SubmissionId, SyncView } from "./bindings";
import { desktopNotice } from "./fits";
import { formatDateTime } from "./format";
import { t } from "./i18n.svelte";

class SyncState {
  view = $state<SyncView | null>(null);
  busy = $state(false);
  error = $state<CommandError | null>(null);
  /** Fitting tenders told after the last syncs («Para ti»), until dismissed. */
  fitNotices = $state<FitNotice[]>([]);
  /** Counts the syncs finished: the lists that show what a sync brings follow it. */
  finished = $state(0);
  #listening = false;

  /** Collects the fitting tenders the last sync told (each comes once). */
  async takeFitNotices(): Promise<void> {
    try {
      const told = await api.takeFitNotices();
      if (told.length === 0) return;
      this.fitNotices = [...this.fitNotices, ...told];
      // In the background, the notice bar goes unseen: the desktop tells it too.
      if (!document.hasFocus()) {
        const { title, body } = desktopNotice(told, formatDateTime, (m) => t(m.key, m.params));
        void api.notifyDesktop(title, body).catch(() => {});
      }
    } catch {
      // Not worth an error of its own: the home card and «Para ti» still show them.
    }
  }

  dismissFitNotices(): void {
    this.fitNotices = [];
  }

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
    void this.takeFitNotices();
    listen<SendingView>("sync-progress", (event) => {
      if (this.view) this.view = { ...this.view, sending: event.payload };
    }).catch(() => {});
    listen("sync-changed", () => {
      this.finished += 1;
      void this.refresh();
      void this.takeFitNotices();
    }).catch(() => {});
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
