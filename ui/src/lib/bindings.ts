// Generated from the Rust types by `UPDATE_BINDINGS=1 cargo test -p ventanilla-app`.
// Do not edit by hand.

export type Locale = "es" | "en";
export type Persona = "fisica" | "moral";
export type Severity = "missing" | "error" | "warning";
export type Section = "identity" | "general" | "address" | "contact" | "representatives" | "activity" | "bank";
export type Field = "persona" | "rfc" | "name" | "regimen" | "curp" | "street" | "exterior_number" | "interior_number" | "neighborhood" | "postal_code" | "municipality" | "state" | "email" | "phone" | "activity" | "scian" | "sector" | "workers" | "annual_sales" | "employer" | "clabe" | "representatives" | "representative_name" | "representative_curp" | "representative_power";
export type Code = "required" | "too_long" | "invalid_characters" | "rfc_length" | "rfc_shape" | "rfc_inconvenient_word" | "rfc_date" | "rfc_check_digit" | "rfc_generic" | "rfc_persona_mismatch" | "curp_length" | "curp_shape" | "curp_inconvenient_word" | "curp_date" | "curp_sex" | "curp_state" | "curp_check_digit" | "curp_rfc_mismatch" | "clabe_length" | "clabe_not_digits" | "clabe_check_digit" | "clabe_unknown_bank" | "postal_code_shape" | "state_unknown" | "email_shape" | "phone_shape" | "regimen_unknown" | "regimen_not_for_persona" | "scian_shape" | "workers_not_number" | "sales_not_amount" | "sector_unknown" | "employer_unknown" | "persona_unknown" | "representatives_missing" | "price_not_number" | "price_negative" | "price_decimal_comma" | "price_too_many_decimals" | "price_too_large" | "quantity_not_number" | "quantity_negative" | "quantity_decimal_comma" | "quantity_too_many_decimals" | "quantity_too_large" | "quantity_missing" | "validity_days_not_number" | "bid_too_large" | "declaration_not_accepted" | "document_not_ready" | "tender_changed" | "tender_withdrawn" | "deadline_passed";
export type Sector = "commerce" | "industry" | "services";
export type Size = "micro" | "small" | "medium" | "large";
export type Representative = { 
/**
 * Stable id chosen by whoever adds the representative; issues point at it.
 */
id: string, name: string, curp: string, 
/**
 * Data of the power of attorney (deed number, notary...).
 */
power_of_attorney: string, };
export type RegistrationDraft = { 
/**
 * `""`, `"fisica"` or `"moral"`.
 */
persona: string, rfc: string, 
/**
 * Full name (física) or razón social (moral).
 */
name: string, 
/**
 * SAT code of the tax regime, such as `"612"`.
 */
regimen: string, 
/**
 * The owner's CURP; only a persona física has one.
 */
curp: string, street: string, exterior_number: string, interior_number: string, neighborhood: string, postal_code: string, 
/**
 * Municipio or alcaldía.
 */
municipality: string, 
/**
 * Code of the federal entity in [`catalog::states`], such as `"CMX"`.
 */
state: string, email: string, phone: string, 
/**
 * The goods and services the business offers.
 */
activity: string, 
/**
 * SCIAN code of the main activity (6 digits), optional.
 */
scian: string, 
/**
 * `""`, `"commerce"`, `"industry"` or `"services"`.
 */
sector: string, workers: string, 
/**
 * In pesos, as typed (`"$20,000,000.50"`).
 */
annual_sales: string, 
/**
 * `""`, `"yes"` or `"no"`.
 */
employer: string, clabe: string, representatives: Array<Representative>, };
export type IssueView = { code: Code, severity: Severity, field: Field | null, representative: string | null, message: string, };
export type SectionReview = { section: Section, missing: number, errors: number, warnings: number, 
/**
 * Nothing missing and nothing wrong (warnings allowed).
 */
done: boolean, };
export type SizeAssessment = { 
/**
 * Workers × 0.1 + annual sales in millions of pesos × 0.9, exact.
 */
score: string, size: Size, };
export type ReviewView = { persona: Persona | null, issues: Array<IssueView>, sections: Array<SectionReview>, size: SizeAssessment | null, 
/**
 * The annual sales as core writes money, once they can be read.
 */
annual_sales: string | null, bank: string | null, in_benito_juarez: boolean, complete: boolean, };
export type BusinessHealth = "ok" | "damaged";
export type DocumentAlert = { valid_until: string, 
/**
 * Negative once expired.
 */
days_left: number, };
export type BusinessSummary = { id: string, rfc: string, name: string, persona: Persona | null, health: BusinessHealth, 
/**
 * Why a damaged business cannot be opened, in the user's language.
 */
damage: string | null, sections_done: number, sections_total: number, complete: boolean, updated_at: string, 
/**
 * A document that expires within a week, or has expired.
 */
alert: DocumentAlert | null, };
export type BusinessView = { id: string, draft: RegistrationDraft, review: ReviewView, };
export type Saved = { draft: RegistrationDraft, review: ReviewView, saved_at: string, };
export type Regimen = { code: string, name: string, fisica: boolean, moral: boolean, };
export type State = { code: string, name: string, };
export type Catalogues = { regimenes: Array<Regimen>, states: Array<State>, };
export type CommandError = { code: string, message: string, field: Field | null, };
export type AppInfo = { version: string, data_dir: string, locale: Locale, 
/**
 * Set when the data folder could not be opened; the UI shows it instead of the home.
 */
startup_error: CommandError | null, };
export type NewBusiness = { persona: string, rfc: string, name: string, };
export type Procedure = "licitacion" | "invitacion_restringida" | "adjudicacion_directa";
export type FileKind = "pdf" | "jpeg" | "png";
export type DateNeeded = "issue" | "expiry";
export type DateProblem = "issued_in_future" | "expires_before_issue";
export type Status = { "kind": "missing" } | { "kind": "attached" } | { "kind": "expiring_soon" } | { "kind": "expired" } | { "kind": "rejected", reason: string, } | { "kind": "needs_date", date: DateNeeded, } | { "kind": "date_invalid", problem: DateProblem, };
export type DateAsked = "none" | "issue" | "expiry" | "fiscal_year_end";
export type DocumentIntegrity = "ok" | "missing" | "altered";
export type DocumentView = { id: string, original_name: string, kind: FileKind, size: number, pages: number | null, issued_on: string | null, expires_on: string | null, attached_at: string, integrity: DocumentIntegrity, };
export type ChecklistItem = { code: string, name: string, help: string, representative: string | null, representative_name: string | null, required: boolean, status: Status, 
/**
 * The status explained, in the user's language.
 */
message: string, valid_until: string | null, days_left: number | null, date_asked: DateAsked, accepted: Array<FileKind>, max_bytes: number, document: DocumentView | null, earlier_versions: number, };
export type ChecklistView = { business_id: string, catalogue_version: string, on: string, ready: number, total: number, 
/**
 * The registration does not yet say física or moral, so the list is unknown.
 */
needs_persona: boolean, items: Array<ChecklistItem>, };
export type DocumentPreview = { kind: FileKind, data_url: string, pages: number | null, };
export type TenderProcedure = "licitacion" | "invitacion" | "adjudicacion";
export type TenderStatus = "planned" | "active" | "withdrawn" | "complete";
export type TenderItem = { 
/**
 * The item's id within the tender, stable across amendments.
 */
id: string, description: string, 
/**
 * Exact; `None` when the publisher left it out.
 */
quantity: string | null, 
/**
 * Such as `pieza`, `servicio`, `litro`.
 */
unit: string, 
/**
 * Such as `CUCOP 21101` (scheme and id), or empty.
 */
classification: string, };
export type TenderDocument = { title: string, 
/**
 * Where to read it, as published; never fetched by the webview.
 */
url: string, };
export type Tender = { 
/**
 * The contracting process id (OCDS `ocid`): the tender's identity everywhere.
 */
ocid: string, 
/**
 * The latest release's id and date: a change of either after a bid was prepared
 * means the tender moved and the bid needs review.
 */
release_id: string, release_date: string, title: string, description: string, 
/**
 * The buyer or procuring unit's name.
 */
buyer: string, procedure: TenderProcedure | null, status: TenderStatus, 
/**
 * `goods`, `services`, `works`, or empty.
 */
category: string, 
/**
 * The submission deadline (OCDS `tenderPeriod.endDate`), judged by the server.
 */
deadline: string | null, 
/**
 * When bids are opened.
 */
opening: string | null, 
/**
 * The estimated value in MXN, when published.
 */
value: string | null, 
/**
 * The bid bond (garantía de sostenimiento) as a fraction of the pre-tax amount,
 * such as 0.05; `None` when the tender asks for none.
 */
bid_bond_rate: string | null, items: Array<TenderItem>, documents: Array<TenderDocument>, 
/**
 * Requirement codes of the document catalogue the tender asks for, such as
 * `EDOS_FIN`; empty means the catalogue's rules for its procedure.
 */
requirements: Array<string>, };
export type TenderStatusFilter = "open" | "planned" | "active" | "withdrawn" | "complete";
export type TenderFilter = { query: string, status: TenderStatusFilter | null, 
/**
 * Only deadlines from now to this many days ahead.
 */
deadline_within_days: number | null, 
/**
 * `goods`, `services` or `works`.
 */
category: string | null, };
export type TenderSummary = { ocid: string, title: string, buyer: string, status: TenderStatus, procedure: TenderProcedure | null, category: string, 
/**
 * UTC RFC 3339; the UI shows it in Mexico City time.
 */
deadline: string | null, 
/**
 * Active and the deadline still ahead by this computer's clock (the server's
 * decides at submission).
 */
open: boolean, };
export type TenderRequirement = { code: string, 
/**
 * The catalogue's name in the user's language, or the code if it is not there.
 */
name: string, };
export type TenderView = { tender: Tender, open: boolean, requirements: Array<TenderRequirement>, };
export type SkippedRelease = { 
/**
 * Its place in the file, from 1.
 */
position: number, ocid: string | null, message: string, };
export type TenderImportReport = { imported: number, updated: number, unchanged: number, skipped: Array<SkippedRelease>, };
export type ServerView = { url: string | null, 
/**
 * What to offer when none is set.
 */
default_url: string | null, email: string | null, signed_in: boolean, 
/**
 * The receipt-signing key pinned at first contact.
 */
key_id: string | null, };
export type SignInForm = { url: string, email: string, password: string, 
/**
 * Create the account first.
 */
create: boolean, 
/**
 * For a new account: a business's own (with its RFC) or a chamber operator's.
 */
operator: boolean, rfc: string | null, 
/**
 * For an owner whose business a chamber registered: the código de entrega the
 * chamber gave them.
 */
handover: string | null, };
export type Readiness = { ready: boolean, 
/**
 * What to complete first, in Spanish.
 */
missing: Array<string>, 
/**
 * A registration of this business is already waiting to be sent.
 */
queued: boolean, };
export type ItemState = "queued" | "sending" | "sent" | "needs_attention";
export type ReceiptView = { 
/**
 * The receipt's id, the folio to quote to the alcaldía.
 */
folio: string, 
/**
 * Its position in the alcaldía's receipt log.
 */
log_index: number, 
/**
 * The server's time, in Mexico City, `dd/mm/aaaa hh:mm:ss`.
 */
server_time: string, server_time_utc: string, 
/**
 * SHA-256 of the snapshot sent.
 */
payload_sha256: string, rfc: string, 
/**
 * The pinned key it verified with: only verified receipts are kept.
 */
key_id: string, verified_at: string, };
export type OutboxItemView = { business: string, business_name: string, submission: string, 
/**
 * `registration` or `bid`.
 */
kind: string, ocid: string | null, rfc: string, state: ItemState, attempts: number, last_error: string | null, 
/**
 * Percent of the documents' bytes the server holds, while there are some to send.
 */
percent: number | null, created_at: string, receipt: ReceiptView | null, };
export type SendingView = { submission: string, percent: number, };
export type SyncView = { 
/**
 * The last contact's outcome; `None` before any.
 */
online: boolean | null, last_sync: string | null, 
/**
 * Why the last drain stopped (signed out, key changed...).
 */
stopped: CommandError | null, 
/**
 * After a changed key: the one the server publishes now, which the person may
 * trust once the alcaldía confirms the change.
 */
new_key: string | null, to_send: number, needs_attention: number, 
/**
 * The item being sent and its percent, during a drain.
 */
sending: SendingView | null, items: Array<OutboxItemView>, };
export type ItemField = "offered" | "brand_model" | "delivery" | "warranty" | "unit_price" | "quantity";
export type Declaration = "no_impediment" | "no_conflict_of_interest" | "mipyme_size";
export type Tab = "technical" | "economic" | "documents" | "declarations" | "review";
export type ItemDraft = { offered: string, brand_model: string, delivery: string, warranty: string, unit_price: string, quantity: string, };
export type BidIssueView = { severity: Severity, message: string, code: Code, tab: Tab, 
/**
 * The tender item, for a problem in one item.
 */
item: string | null, field: ItemField | null, 
/**
 * The requirement code or the declaration, for those tabs.
 */
subject: string | null, };
export type DeclarationText = { declaration: Declaration, title: string, text: string, accepted: boolean, };
export type TotalsView = { subtotal: string, iva: string, total: string, bid_bond: string | null, };
export type BidItemView = { id: string, description: string, 
/**
 * The tender's quantity; `None` when the owner must type it.
 */
quantity: string | null, unit: string, typed: ItemDraft, 
/**
 * The line's subtotal, once its price and quantity can be read.
 */
subtotal: string | null, };
export type BidDocumentView = { code: string, name: string, representative: string | null, required: boolean, ready: boolean, message: string, };
export type BidView = { business_id: string, id: string, ocid: string, title: string, buyer: string, 
/**
 * UTC, RFC 3339.
 */
deadline: string | null, 
/**
 * The deadline in Mexico City time, such as `15/12/2026 14:00`.
 */
deadline_local: string | null, seconds_left: number | null, items: Array<BidItemView>, price_validity_days: string, totals: TotalsView | null, documents: Array<BidDocumentView>, 
/**
 * The checklist the documents come from: the tender's procedure.
 */
procedure: Procedure | null, declarations: Array<DeclarationText>, 
/**
 * Every problem, in tab order.
 */
issues: Array<BidIssueView>, 
/**
 * The tender changed since the bid was prepared: "requiere revisión".
 */
needs_review: boolean, withdrawn: boolean, ready: boolean, };
export type LineView = { item_id: string, subtotal: string | null, };
export type TabCount = { tab: Tab, missing: number, errors: number, };
export type BidSaved = { line: LineView | null, totals: TotalsView | null, 
/**
 * The problems of the edited item (or of the bid's own field).
 */
issues: Array<BidIssueView>, tabs: Array<TabCount>, ready: boolean, saved_at: string, };
export type BidSummary = { id: string, ocid: string, title: string, deadline_local: string | null, updated_at: string, };
export type PickedFile = { token: string, 
/**
 * The file's name without its folder.
 */
name: string, };
export type DropPoint = { x: number, y: number, };
export type DroppedFiles = { files: Array<PickedFile>, position: DropPoint, };
