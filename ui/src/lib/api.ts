// The only place that talks to the Rust side. One typed function per command of
// docs/IPC.md; arguments go out with the snake_case keys the contract names;
// the command with many arguments takes one request typed from Rust (`AttachRequest`).
import { invoke } from "@tauri-apps/api/core";
import type {
  BusinessFits,
  FitNotice,
  Procedure,
  BidId,
  BusinessId,
  Ocid,
  SubmissionId,
  AppInfo,
  AttachRequest,
  BidItemFieldRequest,
  BidSaved,
  BidSummary,
  BidView,
  Declaration,
  ItemField,
  BusinessSummary,
  BusinessView,
  Catalogues,
  ChecklistView,
  CommandError,
  DocumentDatesRequest,
  DocumentPreview,
  FielFile,
  FielView,
  Field,
  Locale,
  NewBusiness,
  OutboxItemView,
  PickedFile,
  QuestionQueued,
  Readiness,
  Representative,
  Saved,
  TenderFilter,
  TenderImportReport,
  AppointmentImport,
  ChamberMode,
  ReportFormat,
  WrittenReport,
  LockRequest,
  HandedOver,
  ImportChoice,
  TakenIn,
  TenderSummary,
  TenderView,
  ServerView,
  SignInForm,
  SyncView,
  Queue,
} from "./bindings";

const call = <T>(command: string, args?: Record<string, unknown>): Promise<T> =>
  invoke<T>(command, args);

export const api = {
  appInfo: () => call<AppInfo>("app_info"),
  /** Shows the data folder in the system's file manager. */
  openDataFolder: () => call<null>("open_data_folder"),
  setLocale: (locale: Locale) => call<AppInfo>("set_locale", { locale }),
  catalogues: () => call<Catalogues>("catalogues"),
  listBusinesses: (query: string) => call<BusinessSummary[]>("list_businesses", { query }),
  createBusiness: (business: NewBusiness) => call<BusinessView>("create_business", { business }),
  deleteBusiness: (id: BusinessId) => call<null>("delete_business", { id }),
  openBusiness: (id: BusinessId) => call<BusinessView>("open_business", { id }),
  setField: (id: BusinessId, field: Field, value: string) =>
    call<Saved>("set_field", { id, field, value }),
  addRepresentative: (id: BusinessId) => call<Saved>("add_representative", { id }),
  updateRepresentative: (id: BusinessId, representative: Representative) =>
    call<Saved>("update_representative", { id, representative }),
  removeRepresentative: (id: BusinessId, representativeId: string) =>
    call<Saved>("remove_representative", { id, representative_id: representativeId }),
  checklist: (id: BusinessId, procedure: Procedure | null) =>
    call<ChecklistView>("checklist", { id, procedure }),
  /** The system's file dialog, opened by Rust; null when the person cancelled it. */
  pickDocument: () => call<PickedFile | null>("pick_document"),
  /** Copies the file into the vault; `attach-progress` events report the copy. */
  attachDocument: (request: AttachRequest) => call<ChecklistView>("attach_document", { request }),
  setDocumentDates: (
    id: BusinessId,
    documentId: string,
    issuedOn: string | null,
    expiresOn: string | null,
    procedure: Procedure | null,
  ) =>
    call<ChecklistView>("set_document_dates", {
      request: {
        id,
        document_id: documentId,
        issued_on: issuedOn,
        expires_on: expiresOn,
        procedure,
      } satisfies DocumentDatesRequest,
    }),
  removeDocument: (id: BusinessId, documentId: string, procedure: Procedure | null) =>
    call<ChecklistView>("remove_document", { id, document_id: documentId, procedure }),
  documentPreview: (id: BusinessId, documentId: string) =>
    call<DocumentPreview>("document_preview", { id, document_id: documentId }),
  listTenders: (filter: TenderFilter) => call<TenderSummary[]>("list_tenders", { filter }),
  tender: (ocid: Ocid) => call<TenderView>("tender", { ocid }),
  /** The system's file dialog for an OCDS file; null when cancelled. */
  pickTenderFile: () => call<PickedFile | null>("pick_tender_file"),
  /** Imports the file of that token; `tender-import-progress` events report the bytes read. */
  importTenders: (file: string) => call<TenderImportReport>("import_tenders", { file }),
  /** «Para ti»: each business's open tenders that fit it, newest first, with why. */
  tendersForYou: () => call<BusinessFits[]>("tenders_for_you"),
  /** Fitting tenders told since last asked (new, closing within 3 days); each once. */
  takeFitNotices: () => call<FitNotice[]>("take_fit_notices"),
  /** A desktop notification, where the system has a notification service. */
  notifyDesktop: (title: string, body: string) => call<null>("notify_desktop", { title, body }),
  /** The system's file dialog for an appointments CSV; null when cancelled. */
  pickAppointmentsFile: () => call<PickedFile | null>("pick_appointments_file"),
  /** Creates a business for each good row of the CSV of that token; the report row by row. */
  importAppointments: (file: string) => call<AppointmentImport>("import_appointments", { file }),
  /** Chamber mode on (with the operator's name) or off; refused on without a name. */
  setChamberMode: (mode: ChamberMode) => call<AppInfo>("set_chamber_mode", { mode }),
  /** "Siguiente persona": the span of work ends, the open business closes, every
   * unlocked business locks again. */
  nextPerson: () => call<null>("next_person"),
  dayQueue: () => call<Queue>("day_queue"),
  giveConsent: (business: BusinessId) => call<string | null>("give_consent", { business }),
  /** Locks a business with its owner's passphrase; it stays open for this turn. */
  lockBusiness: (id: BusinessId, request: LockRequest) => call<null>("lock_business", { id, request }),
  /** Unlocks a locked business for this turn and opens it. */
  unlockBusiness: (id: BusinessId, passphrase: string) =>
    call<BusinessView>("unlock_business", { id, passphrase }),
  /** A passphrase of 20 characters easy to read, to print for an owner. */
  generatePassphrase: () => call<string>("generate_passphrase"),
  /** «Entregar expediente»: the save dialog, then the business's file; null when cancelled. */
  handOver: (id: BusinessId, passphrase: string) => call<HandedOver | null>("hand_over", { id, passphrase }),
  /** The system's file dialog for a business's file (.ventanilla); null when cancelled. */
  pickBundleFile: () => call<PickedFile | null>("pick_bundle_file"),
  /** Takes in the file of that token; `ask` is refused with bundle_exists when it is here. */
  importBundle: (file: string, passphrase: string, choice: ImportChoice) =>
    call<TakenIn>("import_bundle", { file, passphrase, choice }),
  /** Today's report saved where the save dialog says; null when cancelled. */
  exportDayReport: (format: ReportFormat) => call<WrittenReport | null>("export_day_report", { format }),
  /** The business's e.firma read now; with the password, every check signing makes. */
  fiel: (id: BusinessId, password: string | null) => call<FielView>("fiel", { id, password }),
  /** The system's file dialog for the e.firma's .cer or .key; null when cancelled. */
  pickFielFile: (file: FielFile) => call<PickedFile | null>("pick_fiel_file", { file }),
  /** Remembers the picked file (its path only) as the business's .cer or .key. */
  setFielFile: (id: BusinessId, file: FielFile, token: string) =>
    call<FielView>("set_fiel_file", { id, file, token }),
  serverSettings: () => call<ServerView>("server_settings"),
  signIn: (form: SignInForm) => call<ServerView>("sign_in", { form }),
  /** Trusts the server's new receipt-signing key, the one shown to the person. */
  acceptNewKey: (keyId: string) => call<ServerView>("accept_new_key", { key_id: keyId }),
  readiness: (id: BusinessId) => call<Readiness>("readiness", { id }),
  /** Freezes the registration, signs it with the e.firma and this password (used for
   * this call only), and queues it. */
  submitRegistration: (id: BusinessId, password: string) =>
    call<OutboxItemView>("submit_registration", { id, password }),
  /** The same for a bid. */
  submitBid: (id: BusinessId, bidId: BidId, password: string) =>
    call<OutboxItemView>("submit_bid", { id, bid_id: bidId, password }),
  syncState: () => call<SyncView>("sync_state"),
  retrySubmission: (business: BusinessId, submission: SubmissionId) =>
    call<null>("retry_submission", { business, submission }),
  /** The acuse's save dialog, opened by Rust, then the PDF written; null when cancelled. */
  exportReceiptPdf: (business: BusinessId, submission: SubmissionId) =>
    call<string | null>("export_receipt_pdf", { id: business, submission }),
  /** Sends every pending item now; `sync-progress` events report the bytes. */
  syncNow: () => call<SyncView>("sync_now"),
  /** Starts a bid of business `id` on a tender of the catalogue. */
  prepareBid: (id: BusinessId, ocid: Ocid) => call<BidView>("prepare_bid", { id, ocid }),
  /** Queues a question of business `id` on the tender; the next sync sends it once. */
  askQuestion: (id: BusinessId, ocid: Ocid, question: string) =>
    call<QuestionQueued>("ask_question", { id, ocid, question }),
  listBids: (id: BusinessId) => call<BidSummary[]>("list_bids", { id }),
  openBid: (id: BusinessId, bidId: BidId) => call<BidView>("open_bid", { id, bid_id: bidId }),
  setBidItemField: (id: BusinessId, bidId: BidId, itemId: string, field: ItemField, value: string) =>
    call<BidSaved>("set_bid_item_field", {
      request: { id, bid_id: bidId, item_id: itemId, field, value } satisfies BidItemFieldRequest,
    }),
  setBidValidityDays: (id: BusinessId, bidId: BidId, value: string) =>
    call<BidSaved>("set_bid_validity_days", { id, bid_id: bidId, value }),
  setBidDeclaration: (id: BusinessId, bidId: BidId, declaration: Declaration, accepted: boolean) =>
    call<BidSaved>("set_bid_declaration", { id, bid_id: bidId, declaration, accepted }),
  confirmBid: (id: BusinessId, bidId: BidId) => call<BidView>("confirm_bid", { id, bid_id: bidId }),
  deleteBid: (id: BusinessId, bidId: BidId) => call<null>("delete_bid", { id, bid_id: bidId }),
  /** The save dialog, opened by Rust, then the PDF written; null when cancelled. */
  exportBidPdf: (id: BusinessId, bidId: BidId) =>
    call<string | null>("export_bid_pdf", { id, bid_id: bidId }),
  /** Tells the shell the first screen is usable (startup timing); failures are ignored. */
  reportReady: () => call<null>("report_ready").catch(() => null),
};

export type Api = typeof api;

/**
 * Whatever a command rejected with, as a `CommandError`. Rust sends one already in the
 * user's language; Tauri itself may reject with a bare string (e.g. unknown command).
 */
export function toCommandError(error: unknown, fallback: string): CommandError {
  if (error && typeof error === "object" && "message" in error) {
    const e = error as Partial<CommandError>;
    if (typeof e.message === "string" && e.message.trim() !== "") {
      return {
        code: typeof e.code === "string" ? e.code : "unknown",
        message: e.message,
        field: e.field ?? null,
      };
    }
  }
  if (typeof error === "string" && error.trim() !== "") {
    return { code: "unknown", message: error, field: null };
  }
  return { code: "unknown", message: fallback, field: null };
}

/** Why the data folder could not be opened, if it could not. */
export function startupError(info: AppInfo): CommandError | null {
  return info.startup_error ?? null;
}
