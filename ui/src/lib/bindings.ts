// Generated from the Rust types by `UPDATE_BINDINGS=1 cargo test -p ventanilla-desk`.
// Do not edit by hand.

export type BusinessId = string & { readonly __brand: "BusinessId" };
export type BidId = string & { readonly __brand: "BidId" };
export type SubmissionId = string & { readonly __brand: "SubmissionId" };
export type Ocid = string & { readonly __brand: "Ocid" };
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
id: string, 
/**
 * The representative's full name.
 */
name: string, 
/**
 * The representative's CURP.
 */
curp: string, 
/**
 * Data of the power of attorney (deed number, notary...).
 */
power_of_attorney: string, };
export type RegistrationDraft = { 
/**
 * `""`, `"fisica"` or `"moral"`.
 */
persona: string, 
/**
 * The RFC, as typed.
 */
rfc: string, 
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
curp: string, 
/**
 * Street of the fiscal address.
 */
street: string, 
/**
 * Exterior number.
 */
exterior_number: string, 
/**
 * Interior number, optional.
 */
interior_number: string, 
/**
 * Colonia.
 */
neighborhood: string, 
/**
 * Código postal, 5 digits.
 */
postal_code: string, 
/**
 * Municipio or alcaldía.
 */
municipality: string, 
/**
 * Code of the federal entity in [`crate::catalog::states`], such as `"CMX"`.
 */
state: string, 
/**
 * Where the alcaldía writes to the business.
 */
email: string, 
/**
 * A 10-digit Mexican phone, separators allowed.
 */
phone: string, 
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
sector: string, 
/**
 * Head count, as typed.
 */
workers: string, 
/**
 * In pesos, as typed (`"$20,000,000.50"`).
 */
annual_sales: string, 
/**
 * `""`, `"yes"` or `"no"`.
 */
employer: string, 
/**
 * The 18-digit CLABE payments go to.
 */
clabe: string, 
/**
 * The legal representatives, for a persona moral.
 */
representatives: Array<Representative>, };
export type IssueView = { 
/**
 * What is wrong.
 */
code: Code, 
/**
 * How much it stops sending.
 */
severity: Severity, 
/**
 * The field where it is, when it is in one.
 */
field: Field | null, 
/**
 * The wizard section of that field, where the UI lists it.
 */
section: Section | null, 
/**
 * The representative's id, when it is in one of their fields.
 */
representative: string | null, 
/**
 * Its explanation in the chosen language.
 */
message: string, };
export type SectionReview = { 
/**
 * The step.
 */
section: Section, 
/**
 * Required values not filled in yet.
 */
missing: number, 
/**
 * Values that cannot be right; they block sending.
 */
errors: number, 
/**
 * Values that are probably wrong; they do not block.
 */
warnings: number, 
/**
 * Nothing missing and nothing wrong (warnings allowed).
 */
done: boolean, };
export type SizeAssessment = { 
/**
 * Workers × 0.1 + annual sales in millions of pesos × 0.9, exact.
 */
score: string, 
/**
 * The size the score gives for the sector.
 */
size: Size, };
export type ReviewFacts = { 
/**
 * As chosen, else inferred from the RFC's length.
 */
persona: Persona | null, 
/**
 * One per section, in wizard order.
 */
sections: Array<SectionReview>, 
/**
 * Present once sector, workers and sales can all be read.
 */
size: SizeAssessment | null, 
/**
 * The annual sales written as money (`$20,000,000.00 MXN`), once they can be read:
 * the UI shows this back rather than reading the amount a second way.
 */
annual_sales: string | null, 
/**
 * The bank read from the CLABE.
 */
bank: string | null, 
/**
 * The postal code lies in Benito Juárez (03000-03949).
 */
in_benito_juarez: boolean, 
/**
 * Ready to send: nothing missing and nothing wrong (warnings allowed).
 */
complete: boolean, };
export type ReviewView = { 
/**
 * Every problem, in wizard order, in the user's language.
 */
issues: Array<IssueView>, 
/**
 * What the draft comes to.
 */
facts: ReviewFacts, };
export type BusinessHealth = "ok" | "damaged";
export type DocumentAlert = { 
/**
 * When the document stops counting.
 */
valid_until: string, 
/**
 * Negative once expired.
 */
days_left: number, };
export type FielRenewal = { 
/**
 * Mexico City days left until its last day; negative after it.
 */
days_left: number, 
/**
 * It can no longer sign.
 */
expired: boolean, 
/**
 * The end of validity in Mexico City time, `dd/mm/aaaa hh:mm`.
 */
not_after_local: string, };
export type FitReason = { "kind": "scian", 
/**
 * The business's (and the item's) SCIAN code.
 */
code: string, 
/**
 * The item's description.
 */
item: string, } | { "kind": "scian_branch", 
/**
 * The business's SCIAN code.
 */
code: string, 
/**
 * The item's SCIAN code.
 */
item_code: string, 
/**
 * The item's description.
 */
item: string, } | { "kind": "mentions", 
/**
 * The word as the owner typed it.
 */
word: string, };
export type FitView = { 
/**
 * The tender.
 */
ocid: Ocid, 
/**
 * Its title.
 */
title: string, 
/**
 * Its deadline, UTC RFC 3339; the UI shows it in Mexico City time.
 */
deadline: string | null, 
/**
 * Why it fits, worded by the window.
 */
reasons: Array<FitReason>, };
export type BusinessSummary = { 
/**
 * The business's id.
 */
id: BusinessId, 
/**
 * Its RFC as typed.
 */
rfc: string, 
/**
 * Its name or razón social.
 */
name: string, 
/**
 * Física or moral, once known.
 */
persona: Persona | null, 
/**
 * Whether its files open.
 */
health: BusinessHealth, 
/**
 * Why a damaged business cannot be opened, in the user's language.
 */
damage: string | null, 
/**
 * Sections of the form complete.
 */
sections_done: number, 
/**
 * Sections in all.
 */
sections_total: number, 
/**
 * Everything the registration needs is filled in and valid.
 */
complete: boolean, 
/**
 * When it last changed.
 */
updated_at: string, 
/**
 * A document that expires within a week, or has expired.
 */
alert: DocumentAlert | null, 
/**
 * The business's e.firma expires within the notice period, or has expired.
 */
fiel_renewal: FielRenewal | null, 
/**
 * The title of the tender one of its bids last won, as the last sync saw it.
 */
won: string | null, 
/**
 * How many open tenders fit what it does («Para ti»).
 */
fits: number, 
/**
 * The newest of them, with why.
 */
fit_top: Array<FitView>, 
/**
 * Locked with its owner's passphrase: `name` is the label it shows while locked.
 */
locked: boolean, 
/**
 * Locked, and unlocked for this turn.
 */
unlocked: boolean, 
/**
 * In chamber mode, when its owner's consent was recorded for this turn; until
 * then nothing of it is read or written.
 */
consent_at: string | null, };
export type BusinessView = { 
/**
 * The business's id.
 */
id: BusinessId, 
/**
 * What is stored.
 */
draft: RegistrationDraft, 
/**
 * Its review.
 */
review: ReviewView, };
export type Saved = { 
/**
 * What is stored now.
 */
draft: RegistrationDraft, 
/**
 * Its fresh review.
 */
review: ReviewView, 
/**
 * When it was stored (RFC 3339, UTC).
 */
saved_at: string, };
export type Regimen = { 
/**
 * The SAT code, such as `612`.
 */
code: string, 
/**
 * Its name in the SAT catalogue.
 */
name: string, 
/**
 * Whether a persona física may be in it.
 */
fisica: boolean, 
/**
 * Whether a persona moral may be in it.
 */
moral: boolean, };
export type State = { 
/**
 * Three letters, such as `CMX`.
 */
code: string, 
/**
 * Its official name.
 */
name: string, };
export type Catalogues = { 
/**
 * SAT's tax regimes.
 */
regimenes: Array<Regimen>, 
/**
 * Mexico's states.
 */
states: Array<State>, };
export type CommandError = { 
/**
 * Stable, for the UI and tests.
 */
code: string, 
/**
 * What is wrong and what to do, in the user's language.
 */
message: string, 
/**
 * The form field at fault, to focus it.
 */
field: Field | null, };
export type AppInfo = { 
/**
 * The app's version.
 */
version: string, 
/**
 * The data folder.
 */
data_dir: string, 
/**
 * The language of messages.
 */
locale: Locale, 
/**
 * Set when the data folder could not be opened; the UI shows it instead of the home.
 */
startup_error: CommandError | null, 
/**
 * Whether the chamber's operator mode is on, and under whose name.
 */
chamber: ChamberMode, };
export type NewBusiness = { 
/**
 * `fisica` or `moral`, or empty.
 */
persona: string, 
/**
 * The RFC as typed.
 */
rfc: string, 
/**
 * The name or razón social as typed.
 */
name: string, 
/**
 * In chamber mode, that the owner, present, gave consent to the capture.
 */
consent: boolean, };
export type Procedure = "licitacion" | "invitacion_restringida" | "adjudicacion_directa";
export type FileKind = "pdf" | "jpeg" | "png";
export type DateNeeded = "issue" | "expiry";
export type DateProblem = "issued_in_future" | "expires_before_issue";
export type Status = { "kind": "missing" } | { "kind": "attached" } | { "kind": "expiring_soon" } | { "kind": "expired" } | { "kind": "rejected", 
/**
 * The alcaldía's reason.
 */
reason: string, } | { "kind": "needs_date", 
/**
 * The date that is missing.
 */
date: DateNeeded, } | { "kind": "date_invalid", 
/**
 * What is wrong with the dates.
 */
problem: DateProblem, };
export type DateAsked = "none" | "issue" | "expiry" | "fiscal_year_end";
export type DocumentIntegrity = "ok" | "missing" | "altered";
export type DocumentView = { 
/**
 * The document's id.
 */
id: string, 
/**
 * The file's name as the person had it.
 */
original_name: string, 
/**
 * What the file is.
 */
kind: FileKind, 
/**
 * Its size in bytes.
 */
size: number, 
/**
 * Pages, for a PDF.
 */
pages: number | null, 
/**
 * When it was issued, when the requirement asks.
 */
issued_on: string | null, 
/**
 * When it expires, when the requirement asks.
 */
expires_on: string | null, 
/**
 * When it was attached.
 */
attached_at: string, 
/**
 * Whether the stored file is still the one attached.
 */
integrity: DocumentIntegrity, };
export type ChecklistItem = { 
/**
 * The requirement's code.
 */
code: string, 
/**
 * Its name.
 */
name: string, 
/**
 * What it is and where to get it.
 */
help: string, 
/**
 * The representative it is about, for a per-person document.
 */
representative: string | null, 
/**
 * That representative's name.
 */
representative_name: string | null, 
/**
 * Whether it is needed; an optional document only adds to the file.
 */
required: boolean, 
/**
 * Where it stands.
 */
status: Status, 
/**
 * The status explained, in the user's language.
 */
message: string, 
/**
 * Until when the attached document counts.
 */
valid_until: string | null, 
/**
 * Days until then; negative once past.
 */
days_left: number | null, 
/**
 * Which date to ask when attaching.
 */
date_asked: DateAsked, 
/**
 * File kinds accepted.
 */
accepted: Array<FileKind>, 
/**
 * The largest file accepted, in bytes.
 */
max_bytes: number, 
/**
 * The document attached now.
 */
document: DocumentView | null, 
/**
 * Documents attached before it, kept.
 */
earlier_versions: number, };
export type ChecklistView = { 
/**
 * The business.
 */
business_id: BusinessId, 
/**
 * The requirement catalogue's version it was judged by.
 */
catalogue_version: string, 
/**
 * The day it was judged on.
 */
on: string, 
/**
 * Requirements ready.
 */
ready: number, 
/**
 * Requirements in all.
 */
total: number, 
/**
 * The registration does not yet say física or moral, so the list is unknown.
 */
needs_persona: boolean, 
/**
 * Every requirement, in the catalogue's order.
 */
items: Array<ChecklistItem>, };
export type DocumentPreview = { 
/**
 * What the file is.
 */
kind: FileKind, 
/**
 * Its bytes as a `data:` URL.
 */
data_url: string, 
/**
 * Pages, for a PDF.
 */
pages: number | null, };
export type TenderProcedure = "licitacion" | "invitacion" | "adjudicacion";
export type TenderStatus = "planned" | "active" | "withdrawn" | "complete";
export type TenderItem = { 
/**
 * The item's id within the tender, stable across amendments.
 */
id: string, 
/**
 * What is asked for, in the buyer's words.
 */
description: string, 
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
export type TenderDocument = { 
/**
 * What the document is, as published.
 */
title: string, 
/**
 * Where to read it, as published; never fetched by the webview.
 */
url: string, };
export type TenderEnquiry = { 
/**
 * The question's id within the tender; a question this business asked has its
 * submission's id.
 */
id: string, 
/**
 * When it was asked.
 */
asked_at: string | null, 
/**
 * The question, as asked.
 */
question: string, 
/**
 * The answer, as last given.
 */
answer: string, 
/**
 * When the answer was given or last changed.
 */
answered_at: string | null, };
export type AwardStatus = "won" | "unsuccessful" | "cancelled";
export type TenderAward = { 
/**
 * Who won, or that none did.
 */
status: AwardStatus, 
/**
 * When it was decided.
 */
date: string | null, 
/**
 * The winning bids' ids (OCDS `relatedBids`): a bid this business sent has its
 * submission's id.
 */
bid_ids: Array<string>, 
/**
 * The winners: each one's RFC when published, else its name.
 */
suppliers: Array<string>, 
/**
 * The awarded amount in MXN, when published.
 */
amount: string | null, 
/**
 * The signed contract's amount in MXN, once there is one.
 */
contract_amount: string | null, };
export type BidOutcome = "won" | "lost" | "deserted" | "cancelled";
export type Tender = { 
/**
 * The contracting process id (OCDS `ocid`): the tender's identity everywhere.
 */
ocid: string, 
/**
 * The latest release's id and date: a change of either after a bid was prepared
 * means the tender moved and the bid needs review.
 */
release_id: string, 
/**
 * When the latest release was published.
 */
release_date: string, 
/**
 * The tender's title, else its description, else its ocid.
 */
title: string, 
/**
 * The tender's description, as published.
 */
description: string, 
/**
 * The buyer or procuring unit's name.
 */
buyer: string, 
/**
 * The kind of procedure, when the publisher says.
 */
procedure: TenderProcedure | null, 
/**
 * Whether it takes bids.
 */
status: TenderStatus, 
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
bid_bond_rate: string | null, 
/**
 * What the buyer asks for, in the tender's order.
 */
items: Array<TenderItem>, 
/**
 * The documents published with it.
 */
documents: Array<TenderDocument>, 
/**
 * Requirement codes of the document catalogue the tender asks for, such as
 * `EDOS_FIN`; empty means the catalogue's rules for its procedure.
 */
requirements: Array<string>, 
/**
 * Until when questions are taken (OCDS `enquiryPeriod.endDate`); `None`: until the
 * deadline.
 */
enquiry_end: string | null, 
/**
 * The questions answered so far, as published.
 */
enquiries: Array<TenderEnquiry>, 
/**
 * The award and contract, once decided.
 */
award: TenderAward | null, };
export type TenderStatusFilter = "open" | "planned" | "active" | "withdrawn" | "complete";
export type TenderFilter = { 
/**
 * Words matched against title, buyer, ocid, description and items.
 */
query: string, 
/**
 * Which tenders by status; every one when `None`.
 */
status: TenderStatusFilter | null, 
/**
 * Only deadlines from now to this many days ahead.
 */
deadline_within_days: number | null, 
/**
 * `goods`, `services` or `works`.
 */
category: string | null, };
export type TenderSummary = { 
/**
 * The tender's OCDS id.
 */
ocid: Ocid, 
/**
 * Its title.
 */
title: string, 
/**
 * Who buys.
 */
buyer: string, 
/**
 * Its status as published.
 */
status: TenderStatus, 
/**
 * The kind of procedure, when published.
 */
procedure: TenderProcedure | null, 
/**
 * `goods`, `services`, `works`, or empty.
 */
category: string, 
/**
 * UTC RFC 3339; the UI shows it in Mexico City time.
 */
deadline: string | null, 
/**
 * Active and the deadline still ahead by this computer's clock (the server's
 * decides at submission).
 */
open: boolean, };
export type FitTender = { 
/**
 * The tender's row, as the catalogue list shows it.
 */
tender: TenderSummary, 
/**
 * Why it fits.
 */
reasons: Array<FitReason>, };
export type BusinessFits = { 
/**
 * The business.
 */
business: BusinessId, 
/**
 * Its name.
 */
name: string, 
/**
 * It has a SCIAN code or words of what it offers to match by.
 */
has_activity: boolean, 
/**
 * How many open tenders fit it.
 */
count: number, 
/**
 * The newest of them (at most 200), with why.
 */
tenders: Array<FitTender>, };
export type FitNoticeKind = "new" | "closing";
export type FitNotice = { 
/**
 * The business it fits.
 */
business: BusinessId, 
/**
 * The business's name.
 */
business_name: string, 
/**
 * The tender.
 */
ocid: Ocid, 
/**
 * Its title.
 */
title: string, 
/**
 * New, or closing soon.
 */
kind: FitNoticeKind, 
/**
 * Its deadline, UTC RFC 3339.
 */
deadline: string | null, };
export type TenderRequirement = { 
/**
 * The requirement's code.
 */
code: string, 
/**
 * The catalogue's name in the user's language, or the code if it is not there.
 */
name: string, };
export type EnquiryView = { 
/**
 * The question's id.
 */
id: string, 
/**
 * The question, as asked.
 */
question: string, 
/**
 * The answer, as last given.
 */
answer: string, 
/**
 * When it was answered (or the answer last changed), in Mexico City time.
 */
answered_local: string | null, 
/**
 * Not shown on this page before, or answered again since.
 */
new: boolean, };
export type AwardView = { 
/**
 * Who won, or that none did.
 */
status: AwardStatus, 
/**
 * When it was decided, in Mexico City time.
 */
date_local: string | null, 
/**
 * The winners' RFCs (or names).
 */
suppliers: Array<string>, 
/**
 * The awarded amount, formatted (`$1,234.50`).
 */
amount: string | null, 
/**
 * The contract's amount, formatted, once signed.
 */
contract_amount: string | null, };
export type QuestionQueued = { 
/**
 * The question's id, its idempotency key.
 */
id: string, 
/**
 * The question as it will be sent (trimmed).
 */
question: string, };
export type TenderView = { 
/**
 * The tender as imported.
 */
tender: Tender, 
/**
 * Active with its deadline ahead: a bid can be prepared.
 */
open: boolean, 
/**
 * The documents a bid on it needs.
 */
requirements: Array<TenderRequirement>, 
/**
 * Its answered questions, in the tender's order, each marked new when this page
 * had not shown it (or its answer changed since).
 */
enquiries: Array<EnquiryView>, 
/**
 * A question may be asked now (by this computer's clock; the server decides).
 */
takes_questions: boolean, 
/**
 * Until when questions are taken, in Mexico City time, such as `01/12/2026 14:00`.
 */
questions_until_local: string | null, 
/**
 * The award (fallo) and contract, once published.
 */
award: AwardView | null, };
export type BidResult = { 
/**
 * Ganó, no ganó, desierta or cancelada.
 */
outcome: BidOutcome, 
/**
 * The awarded amount, formatted (the winner's bid), when there is a winner.
 */
awarded_amount: string | null, 
/**
 * The contract's amount, formatted, once signed.
 */
contract_amount: string | null, 
/**
 * When the award was decided, in Mexico City time.
 */
date_local: string | null, };
export type SkippedRelease = { 
/**
 * Its place in the file, from 1.
 */
position: number, 
/**
 * Its tender's id, when it could be read.
 */
ocid: string | null, 
/**
 * Why it was skipped, in the user's language.
 */
message: string, };
export type TenderImportReport = { 
/**
 * Tenders new to the catalogue.
 */
imported: number, 
/**
 * Tenders whose newer release replaced the kept one.
 */
updated: number, 
/**
 * Tenders already current.
 */
unchanged: number, 
/**
 * Releases not imported, and why.
 */
skipped: Array<SkippedRelease>, };
export type ServerView = { 
/**
 * The server's address, once set.
 */
url: string | null, 
/**
 * What to offer when none is set.
 */
default_url: string | null, 
/**
 * The account signed in, or last signed in.
 */
email: string | null, 
/**
 * A session token is kept.
 */
signed_in: boolean, 
/**
 * The receipt-signing key pinned at first contact.
 */
key_id: string | null, };
export type SignInForm = { 
/**
 * The server's address.
 */
url: string, 
/**
 * The account's email.
 */
email: string, 
/**
 * The account's password, never kept.
 */
password: string, 
/**
 * Create the account first.
 */
create: boolean, 
/**
 * For a new account: a business's own (with its RFC) or a chamber operator's.
 */
operator: boolean, 
/**
 * For a business's own new account: its RFC.
 */
rfc: string | null, 
/**
 * For an owner whose business a chamber registered: the código de entrega the
 * chamber gave them.
 */
handover: string | null, };
export type Readiness = { 
/**
 * It can be sent now.
 */
ready: boolean, 
/**
 * What to complete first, in the person's language.
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
server_time: string, 
/**
 * The server's time in UTC (RFC 3339).
 */
server_time_utc: string, 
/**
 * SHA-256 of the snapshot sent.
 */
payload_sha256: string, 
/**
 * The RFC the receipt is for.
 */
rfc: string, 
/**
 * The pinned key it verified with: only verified receipts are kept.
 */
key_id: string, 
/**
 * When it verified here.
 */
verified_at: string, 
/**
 * Who signed the submission with their e.firma, as the server verified it.
 */
signer: string | null, 
/**
 * The signer's número de certificado.
 */
signer_certificate_number: string | null, };
export type OutboxItemView = { 
/**
 * The business's id.
 */
business: BusinessId, 
/**
 * The business's name.
 */
business_name: string, 
/**
 * The submission's id (its idempotency key).
 */
submission: SubmissionId, 
/**
 * `registration` or `bid`.
 */
kind: string, 
/**
 * The tender, for a bid.
 */
ocid: Ocid | null, 
/**
 * The RFC sent.
 */
rfc: string, 
/**
 * Where it stands.
 */
state: ItemState, 
/**
 * Tries so far.
 */
attempts: number, 
/**
 * Why the last try failed, in the person's language.
 */
last_error: string | null, 
/**
 * Percent of the documents' bytes the server holds, while there are some to send.
 */
percent: number | null, 
/**
 * When it was queued.
 */
created_at: string, 
/**
 * Its verified receipt, once sent.
 */
receipt: ReceiptView | null, };
export type SendingView = { 
/**
 * The submission's id.
 */
submission: SubmissionId, 
/**
 * Percent of its documents' bytes the server holds.
 */
percent: number, };
export type SyncView = { 
/**
 * The last contact's outcome; `None` before any.
 */
online: boolean | null, 
/**
 * When the last drain that reached the server and went to its end ended.
 */
last_sync: string | null, 
/**
 * Why the last drain stopped (signed out, key changed...).
 */
stopped: CommandError | null, 
/**
 * After a changed key: the one the server publishes now, which the person may
 * trust once the alcaldía confirms the change.
 */
new_key: string | null, 
/**
 * Submissions queued or being sent.
 */
to_send: number, 
/**
 * Submissions that need the person.
 */
needs_attention: number, 
/**
 * The item being sent and its percent, during a drain.
 */
sending: SendingView | null, 
/**
 * Every submission, newest first.
 */
items: Array<OutboxItemView>, };
export type ItemField = "offered" | "brand_model" | "delivery" | "warranty" | "unit_price" | "quantity";
export type Declaration = "no_impediment" | "no_conflict_of_interest" | "mipyme_size";
export type Tab = "technical" | "economic" | "documents" | "declarations" | "review";
export type ItemDraft = { 
/**
 * What is offered, in the owner's words.
 */
offered: string, 
/**
 * Brand and model of what is offered.
 */
brand_model: string, 
/**
 * Delivery time, such as `10 días hábiles`.
 */
delivery: string, 
/**
 * The warranty offered.
 */
warranty: string, 
/**
 * The unit price before IVA, in pesos, as typed.
 */
unit_price: string, 
/**
 * The quantity, as typed; only asked when the tender leaves it out.
 */
quantity: string, };
export type BidIssueView = { 
/**
 * How much it stops the bid.
 */
severity: Severity, 
/**
 * Its explanation in the chosen language.
 */
message: string, 
/**
 * What is wrong.
 */
code: Code, 
/**
 * The tab that shows it.
 */
tab: Tab, 
/**
 * The tender item, for a problem in one item.
 */
item: string | null, 
/**
 * The item's field, for a problem in one item.
 */
field: ItemField | null, 
/**
 * The requirement code or the declaration, for those tabs.
 */
subject: string | null, };
export type DeclarationText = { 
/**
 * Which declaration it is.
 */
declaration: Declaration, 
/**
 * Its heading, see [`Declaration::title`].
 */
title: string, 
/**
 * The statement with the business's and the tender's data, in Spanish.
 */
text: string, 
/**
 * Whether the owner confirmed it.
 */
accepted: boolean, };
export type TotalsView = { 
/**
 * Before IVA, in pesos as the person reads them.
 */
subtotal: string, 
/**
 * The IVA on the subtotal.
 */
iva: string, 
/**
 * Subtotal plus IVA.
 */
total: string, 
/**
 * The guarantee the tender asks for, when it asks for one.
 */
bid_bond: string | null, };
export type BidItemView = { 
/**
 * The tender item's id.
 */
id: string, 
/**
 * What the tender asks for.
 */
description: string, 
/**
 * The tender's quantity; `None` when the owner must type it.
 */
quantity: string | null, 
/**
 * The unit the quantity counts.
 */
unit: string, 
/**
 * What the person typed, kept as typed.
 */
typed: ItemDraft, 
/**
 * The line's subtotal, once its price and quantity can be read.
 */
subtotal: string | null, };
export type BidDocumentView = { 
/**
 * The requirement's code.
 */
code: string, 
/**
 * The requirement's name.
 */
name: string, 
/**
 * The representative it is about, for a per-person document.
 */
representative: string | null, 
/**
 * Whether it is needed; an optional document only adds to the file.
 */
required: boolean, 
/**
 * Attached and valid for this bid.
 */
ready: boolean, 
/**
 * What to do about it, in the user's language.
 */
message: string, };
export type BidView = { 
/**
 * The business the bid belongs to.
 */
business_id: BusinessId, 
/**
 * The bid's id.
 */
id: BidId, 
/**
 * The tender's OCDS id.
 */
ocid: Ocid, 
/**
 * The tender's title.
 */
title: string, 
/**
 * Who buys.
 */
buyer: string, 
/**
 * UTC, RFC 3339.
 */
deadline: string | null, 
/**
 * The deadline in Mexico City time, such as `15/12/2026 14:00`.
 */
deadline_local: string | null, 
/**
 * Seconds from now to the deadline; negative once it passed.
 */
seconds_left: number | null, 
/**
 * One per tender item, in the tender's order.
 */
items: Array<BidItemView>, 
/**
 * Days the prices hold, as typed.
 */
price_validity_days: string, 
/**
 * `None` while some price cannot be read.
 */
totals: TotalsView | null, 
/**
 * The documents the tender asks for, with their state.
 */
documents: Array<BidDocumentView>, 
/**
 * The checklist the documents come from: the tender's procedure.
 */
procedure: Procedure | null, 
/**
 * The declarations to accept, with their text.
 */
declarations: Array<DeclarationText>, 
/**
 * Every problem, in tab order.
 */
issues: Array<BidIssueView>, 
/**
 * The tender changed since the bid was prepared: "requiere revisión".
 */
needs_review: boolean, 
/**
 * The tender was withdrawn: the bid can no longer be sent.
 */
withdrawn: boolean, 
/**
 * Nothing missing or wrong: it can be sent now.
 */
ready: boolean, 
/**
 * Once the award is published: whether this bid won, lost, or the tender was
 * deserted or cancelled, with the amounts.
 */
result: BidResult | null, };
export type LineView = { 
/**
 * The tender item edited.
 */
item_id: string, 
/**
 * Its quantity times its price; `None` while either cannot be read.
 */
subtotal: string | null, };
export type TabCount = { 
/**
 * The tab.
 */
tab: Tab, 
/**
 * Things still to fill in on it.
 */
missing: number, 
/**
 * Things wrong on it.
 */
errors: number, };
export type BidSaved = { 
/**
 * The edited line, for an item's edit.
 */
line: LineView | null, 
/**
 * The bid's totals now.
 */
totals: TotalsView | null, 
/**
 * The problems of the edited item (or of the bid's own field).
 */
issues: Array<BidIssueView>, 
/**
 * Every tab's counts.
 */
tabs: Array<TabCount>, 
/**
 * Nothing missing or wrong: it can be sent now.
 */
ready: boolean, 
/**
 * When the edit was stored (RFC 3339, UTC).
 */
saved_at: string, };
export type BidSummary = { 
/**
 * The bid's id.
 */
id: BidId, 
/**
 * The tender's OCDS id.
 */
ocid: Ocid, 
/**
 * The tender's title.
 */
title: string, 
/**
 * The deadline in Mexico City time.
 */
deadline_local: string | null, 
/**
 * When the bid last changed.
 */
updated_at: string, 
/**
 * Once the award is published, what it means for this bid.
 */
result: BidResult | null, };
export type PickedFile = { 
/**
 * The token the commands take.
 */
token: string, 
/**
 * The file's name without its folder.
 */
name: string, };
export type DropPoint = { 
/**
 * Horizontal, from the left edge.
 */
x: number, 
/**
 * Vertical, from the top edge.
 */
y: number, };
export type DroppedFiles = { 
/**
 * The files, by token.
 */
files: Array<PickedFile>, 
/**
 * Where they were dropped.
 */
position: DropPoint, };
export type AttachRequest = { 
/**
 * The business.
 */
id: BusinessId, 
/**
 * The checklist item's requirement code.
 */
requirement: string, 
/**
 * The representative the document is of, for items per representative.
 */
representative: string | null, 
/**
 * The token of a file chosen in the dialog (`pick_document`) or dropped on the
 * window; good once.
 */
file: string, 
/**
 * "YYYY-MM-DD", or none.
 */
issued_on: string | null, 
/**
 * "YYYY-MM-DD", or none.
 */
expires_on: string | null, 
/**
 * The procedure the checklist is drawn up for; `None`: the registration's.
 */
procedure: Procedure | null, };
export type DocumentDatesRequest = { 
/**
 * The business.
 */
id: BusinessId, 
/**
 * The document.
 */
document_id: string, 
/**
 * "YYYY-MM-DD", or none.
 */
issued_on: string | null, 
/**
 * "YYYY-MM-DD", or none.
 */
expires_on: string | null, 
/**
 * The procedure the checklist is drawn up for; `None`: the registration's.
 */
procedure: Procedure | null, };
export type BidItemFieldRequest = { 
/**
 * The business.
 */
id: BusinessId, 
/**
 * The bid.
 */
bid_id: BidId, 
/**
 * The tender's item.
 */
item_id: string, 
/**
 * Which of the item's fields.
 */
field: ItemField, 
/**
 * What was typed.
 */
value: string, };
export type AttachProgress = { 
/**
 * Bytes copied so far.
 */
copied: number, 
/**
 * The file's size in bytes.
 */
total: number, };
export type ImportProgress = { 
/**
 * Bytes read so far.
 */
read: number, 
/**
 * The file's size in bytes.
 */
total: number, };
export type FielFile = "certificate" | "key";
export type FielInput = "certificate" | "key" | "password";
export type FielProblem = { 
/**
 * Stable: the e.firma's own codes (`wrong_password`, `certificate_is_csd`, …), or
 * `file_unreadable`, `certificate_not_chosen`, `key_not_chosen`.
 */
code: string, 
/**
 * What is wrong and what to do, in the user's language.
 */
message: string, 
/**
 * The input at fault.
 */
input: FielInput, };
export type FielFacts = { 
/**
 * The holder's name or company name.
 */
holder: string, 
/**
 * The holder's RFC; for a persona moral, the company's.
 */
rfc: string, 
/**
 * For a persona moral, the legal representative's RFC.
 */
representative_rfc: string | null, 
/**
 * The número de certificado (20 digits).
 */
certificate_number: string, 
/**
 * The end of validity (RFC 3339, UTC).
 */
not_after: string, 
/**
 * The end of validity in Mexico City time, `dd/mm/aaaa hh:mm`.
 */
not_after_local: string, };
export type FielView = { 
/**
 * The certificate file's name, once chosen.
 */
certificate_file: string | null, 
/**
 * The key file's name, once chosen.
 */
key_file: string | null, 
/**
 * What the certificate says, once it could be read.
 */
facts: FielFacts | null, 
/**
 * Every reason it cannot sign, as far as what was given shows.
 */
problems: Array<FielProblem>, 
/**
 * Both files chosen and nothing wrong: without a password, it will sign once the
 * password is typed; with it, it signs.
 */
ready: boolean, 
/**
 * Expiring within the notice period, or expired.
 */
renewal: FielRenewal | null, };
export type RowProblem = { 
/**
 * The column as the file's header names it; `None` for the row as a whole.
 */
column: string | null, 
/**
 * Stable: an issue code of the review, or a failure code.
 */
code: string, 
/**
 * What is wrong and what to do, in the user's language.
 */
message: string, };
export type AppointmentRow = { 
/**
 * The line of the file the row starts on (the header is line 1).
 */
line: number, 
/**
 * The RFC as written in the row.
 */
rfc: string, 
/**
 * The name as written in the row.
 */
name: string, 
/**
 * The business it created, or the one that already had its RFC.
 */
business: BusinessId | null, 
/**
 * Why it was skipped (errors, or the RFC kept already), or what to review
 * (warnings of a row created), each in the user's language.
 */
problems: Array<RowProblem>, };
export type AppointmentImport = { 
/**
 * The rows that became businesses (with any warning to review).
 */
created: Array<AppointmentRow>, 
/**
 * The rows whose RFC a business already had, or an earlier row of the file:
 * nothing was created or changed for them.
 */
kept: Array<AppointmentRow>, 
/**
 * The rows skipped for their errors.
 */
refused: Array<AppointmentRow>, 
/**
 * Headers that name no registration field: their columns were left out.
 */
ignored_columns: Array<string>, 
/**
 * `utf8` or `windows1252`.
 */
encoding: string, 
/**
 * `,` or `;`.
 */
separator: string, };
export type ChamberMode = { 
/**
 * Whether it is on.
 */
enabled: boolean, 
/**
 * The operator's name as typed (kept when the mode is turned off).
 */
operator: string, };
export type ReportFormat = "csv" | "pdf";
export type WrittenReport = { 
/**
 * Where.
 */
path: string, 
/**
 * The day it covers, `YYYY-MM-DD`.
 */
date: string, 
/**
 * The businesses it lists.
 */
businesses: number, 
/**
 * Their minutes together.
 */
minutes: number, };
export type LockRequest = { 
/**
 * The owner's passphrase (at least 8 characters).
 */
passphrase: string, 
/**
 * The name to show the business by while it is locked.
 */
label: string, };
export type ImportChoice = "ask" | "keep_both" | "replace";
export type HandedOver = { 
/**
 * The file written.
 */
path: string, 
/**
 * Documents and database packed.
 */
files: number, 
/**
 * Their bytes.
 */
bytes: number, };
export type TakenIn = { 
/**
 * The business's id here.
 */
id: BusinessId, 
/**
 * Its name.
 */
name: string, 
/**
 * Whether it replaced the copy that was here.
 */
replaced: boolean, 
/**
 * Whether it is locked (it then opens with the same passphrase).
 */
locked: boolean, };
export type QueueState = "waiting" | "serving" | "served";
export type QueueEntry = { 
/**
 * The business as the home list shows it.
 */
business: BusinessSummary, 
/**
 * The appointment's time, `HH:MM`, when the chamber's list gave one.
 */
time: string | null, 
/**
 * Booked for today; `false` for one served today without an appointment.
 */
booked: boolean, 
/**
 * Where it stands.
 */
state: QueueState, 
/**
 * Minutes spent on it today.
 */
minutes: number, };
export type Queue = { 
/**
 * The day, `YYYY-MM-DD` (Mexico City).
 */
date: string, 
/**
 * Booked first, by time; then the rest served that day, by first action.
 */
entries: Array<QueueEntry>, };
