//! The webview's entry points: each one locks the desk, calls one operation, returns.
//! They are `async` so Tauri runs them off the main thread and typing never stutters.

use std::sync::{Mutex, MutexGuard};

use serde::Serialize;
use tauri::{AppHandle, Emitter, State};
use ventanilla_core::checklist::Procedure;
use ventanilla_core::{Failure, FailureCode, Field, Locale, Representative};

use ventanilla_core::bid::Declaration;

use crate::dialogs;
use crate::ipc;
use crate::picks::PickedFiles;
use ventanilla_desk::appointments::AppointmentImport;
use ventanilla_desk::bids::{BidSaved, BidSummary, BidView};
use ventanilla_desk::documents::{ChecklistView, DocumentPreview};
use ventanilla_desk::fiel::{FielFile, FielView};
use ventanilla_desk::fits::{BusinessFits, FitNotice};
use ventanilla_desk::ids::{BidId, BusinessId, Ocid, SubmissionId};
use ventanilla_desk::locks::{HandedOver, ImportChoice, LockRequest, TakenIn};
use ventanilla_desk::outbox::{
    self, OutboxItemView, Readiness, ServerView, SignInForm, SyncMonitor, SyncView,
};
use ventanilla_desk::queue::Queue;
use ventanilla_desk::report::{ReportFormat, WrittenReport};
use ventanilla_desk::tenders::{
    QuestionQueued, TenderFilter, TenderImportReport, TenderSummary, TenderView,
};
use ventanilla_desk::views::{
    AppInfo, AttachProgress, AttachRequest, BidItemFieldRequest, BusinessSummary, BusinessView,
    Catalogues, ChamberMode, CommandError, DocumentDatesRequest, ImportProgress, NewBusiness,
    PickedFile, Saved,
};
use ventanilla_desk::Desk;

pub struct AppState(pub Mutex<Desk>);

type Answer<T> = Result<T, CommandError>;

impl AppState {
    /// A panic in one command must not lock the user out of their data afterwards.
    pub(crate) fn desk(&self) -> MutexGuard<'_, Desk> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn app_info(state: State<'_, AppState>) -> Answer<AppInfo> {
    Ok(state.desk().info())
}

/// Shows the data folder in the system's file manager (Configuración's "Abrir carpeta").
#[tauri::command(rename_all = "snake_case")]
pub async fn open_data_folder(state: State<'_, AppState>) -> Answer<()> {
    let (info, locale) = {
        let desk = state.desk();
        (desk.info(), desk.locale())
    };
    let folder = std::path::PathBuf::from(info.data_dir);
    dialogs::show_folder(&folder).map_err(|e| {
        CommandError::new(
            Failure::from(FailureCode::FolderNotShown).with("detail", e),
            locale,
        )
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_locale(state: State<'_, AppState>, locale: Locale) -> Answer<AppInfo> {
    state.desk().set_locale(locale)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn catalogues(state: State<'_, AppState>) -> Answer<Catalogues> {
    Ok(state.desk().catalogues())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_businesses(
    state: State<'_, AppState>,
    query: String,
) -> Answer<Vec<BusinessSummary>> {
    state.desk().list(&query)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn create_business(
    state: State<'_, AppState>,
    business: NewBusiness,
) -> Answer<BusinessView> {
    state.desk().create(business)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_business(state: State<'_, AppState>, id: BusinessId) -> Answer<()> {
    state.desk().delete(&id)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn open_business(state: State<'_, AppState>, id: BusinessId) -> Answer<BusinessView> {
    state.desk().open_business(&id)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_field(
    state: State<'_, AppState>,
    id: BusinessId,
    field: Field,
    value: String,
) -> Answer<Saved> {
    state.desk().set_field(&id, field, &value)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_representative(state: State<'_, AppState>, id: BusinessId) -> Answer<Saved> {
    state.desk().add_representative(&id)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_representative(
    state: State<'_, AppState>,
    id: BusinessId,
    representative: Representative,
) -> Answer<Saved> {
    state.desk().update_representative(&id, &representative)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_representative(
    state: State<'_, AppState>,
    id: BusinessId,
    representative_id: String,
) -> Answer<Saved> {
    state.desk().remove_representative(&id, &representative_id)
}

/// The UI calls this once the home screen shows data; benchmarks time launch by it.
#[tauri::command(rename_all = "snake_case")]
pub async fn report_ready() -> Answer<()> {
    eprintln!("ventanilla: ready");
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn checklist(
    state: State<'_, AppState>,
    id: BusinessId,
    procedure: Option<Procedure>,
) -> Answer<ChecklistView> {
    state.desk().checklist(&id, procedure)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn pick_document(
    app: AppHandle,
    picks: State<'_, PickedFiles>,
) -> Answer<Option<PickedFile>> {
    let chosen = dialogs::pick_file(
        &app,
        "PDF, JPG, PNG",
        &["pdf", "PDF", "jpg", "jpeg", "JPG", "JPEG", "png", "PNG"],
    );
    Ok(chosen.map(|path| picks.register(path)))
}

/// A progress callback that emits `event` with `payload(done, total)` at most once
/// per percent: enough for a smooth bar, cheap for 200 MB.
fn emit_each_percent<'a, P: Serialize + Clone>(
    app: &'a AppHandle,
    event: &'a str,
    payload: impl Fn(u64, u64) -> P + 'a,
) -> impl FnMut(u64, u64) + 'a {
    let mut last_percent = None;
    move |done, total| {
        let percent = outbox::percent(done, total);
        if last_percent != Some(percent) {
            last_percent = Some(percent);
            let _ = app.emit(event, payload(done, total));
        }
    }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn attach_document(
    app: AppHandle,
    state: State<'_, AppState>,
    picks: State<'_, PickedFiles>,
    request: AttachRequest,
) -> Answer<ChecklistView> {
    let locale = state.desk().locale();
    let path = picks.take(&request.file, locale)?;
    let mut report = emit_each_percent(&app, ipc::ATTACH_PROGRESS, |copied, total| {
        AttachProgress { copied, total }
    });
    let mut progress = |copied: u64, total: u64| {
        report(copied, total);
        true
    };
    state.desk().attach_document(
        &request.id,
        &request.requirement,
        request.representative.as_deref(),
        &path,
        request.issued_on.as_deref(),
        request.expires_on.as_deref(),
        request.procedure,
        &mut progress,
    )
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_document_dates(
    state: State<'_, AppState>,
    request: DocumentDatesRequest,
) -> Answer<ChecklistView> {
    state.desk().set_document_dates(
        &request.id,
        &request.document_id,
        request.issued_on.as_deref(),
        request.expires_on.as_deref(),
        request.procedure,
    )
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_document(
    state: State<'_, AppState>,
    id: BusinessId,
    document_id: String,
    procedure: Option<Procedure>,
) -> Answer<ChecklistView> {
    state.desk().remove_document(&id, &document_id, procedure)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn document_preview(
    state: State<'_, AppState>,
    id: BusinessId,
    document_id: String,
) -> Answer<DocumentPreview> {
    state.desk().document_preview(&id, &document_id)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_tenders(
    state: State<'_, AppState>,
    filter: TenderFilter,
) -> Answer<Vec<TenderSummary>> {
    state.desk().list_tenders(&filter)
}

/// Convocatorias' «Para ti»: each business's open tenders that fit it, with why.
#[tauri::command(rename_all = "snake_case")]
pub async fn tenders_for_you(state: State<'_, AppState>) -> Answer<Vec<BusinessFits>> {
    state.desk().tenders_for_you()
}

/// The fitting tenders told since last asked (new, closing within 3 days), once each.
#[tauri::command(rename_all = "snake_case")]
pub async fn take_fit_notices(state: State<'_, AppState>) -> Answer<Vec<FitNotice>> {
    state.desk().take_fit_notices()
}

/// Shows `title` and `body` as a desktop notification, for what a sync told while the
/// window was in the background. A desktop without a notification service is no fault
/// of the person's: the notice bar shows the same once they look.
#[tauri::command(rename_all = "snake_case")]
pub async fn notify_desktop(app: AppHandle, title: String, body: String) -> Answer<()> {
    use tauri_plugin_notification::NotificationExt;
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        eprintln!("ventanilla: no desktop notification: {e}");
    }
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn tender(state: State<'_, AppState>, ocid: Ocid) -> Answer<TenderView> {
    state.desk().tender(&ocid)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn pick_tender_file(
    app: AppHandle,
    picks: State<'_, PickedFiles>,
) -> Answer<Option<PickedFile>> {
    let chosen = dialogs::pick_file(&app, "OCDS (JSON)", &["json", "JSON"]);
    Ok(chosen.map(|path| picks.register(path)))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn import_tenders(
    app: AppHandle,
    state: State<'_, AppState>,
    picks: State<'_, PickedFiles>,
    file: String,
) -> Answer<TenderImportReport> {
    let locale = state.desk().locale();
    let path = picks.take(&file, locale)?;
    let mut progress = emit_each_percent(&app, ipc::TENDER_IMPORT_PROGRESS, |read, total| {
        ImportProgress { read, total }
    });
    state.desk().import_tenders(&path, &mut progress)
}

/// The system's file dialog for a chamber's appointments CSV.
#[tauri::command(rename_all = "snake_case")]
pub async fn pick_appointments_file(
    app: AppHandle,
    picks: State<'_, PickedFiles>,
) -> Answer<Option<PickedFile>> {
    let chosen = dialogs::pick_file(&app, "CSV", &["csv", "CSV", "txt", "TXT"]);
    Ok(chosen.map(|path| picks.register(path)))
}

/// Creates a business for each good row of the appointments CSV of that token.
#[tauri::command(rename_all = "snake_case")]
pub async fn import_appointments(
    state: State<'_, AppState>,
    picks: State<'_, PickedFiles>,
    file: String,
) -> Answer<AppointmentImport> {
    let locale = state.desk().locale();
    let path = picks.take(&file, locale)?;
    state.desk().import_appointments(&path)
}

/// Turns the chamber's operator mode on (with the operator's name) or off.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_chamber_mode(state: State<'_, AppState>, mode: ChamberMode) -> Answer<AppInfo> {
    state.desk().set_chamber_mode(&mode)
}

/// "Siguiente persona": the span of work being recorded ends, the open business is
/// closed and every unlocked business locks again.
#[tauri::command(rename_all = "snake_case")]
pub async fn next_person(state: State<'_, AppState>) -> Answer<()> {
    state.desk().next_person()
}

/// The chamber's queue of today: booked businesses by time, then the rest served today.
#[tauri::command(rename_all = "snake_case")]
pub async fn day_queue(state: State<'_, AppState>) -> Answer<Queue> {
    state.desk().queue()
}

/// In chamber mode, records that the owner of `business`, present, consented to the
/// capture: from then until "Siguiente persona" it may be opened and worked on.
#[tauri::command(rename_all = "snake_case")]
pub async fn give_consent(
    state: State<'_, AppState>,
    business: BusinessId,
) -> Answer<Option<String>> {
    Ok(state
        .desk()
        .give_consent(&business.0)
        .map(ventanilla_core::stamp::format))
}

/// Locks a business with its owner's passphrase; it stays open for this turn.
#[tauri::command(rename_all = "snake_case")]
pub async fn lock_business(
    state: State<'_, AppState>,
    id: BusinessId,
    request: LockRequest,
) -> Answer<()> {
    state.desk().lock_business(&id, &request)
}

/// Unlocks a locked business for this turn with its passphrase, and opens it.
#[tauri::command(rename_all = "snake_case")]
pub async fn unlock_business(
    state: State<'_, AppState>,
    id: BusinessId,
    passphrase: String,
) -> Answer<BusinessView> {
    state.desk().unlock_business(&id, &passphrase)
}

/// A passphrase to print for an owner.
#[tauri::command(rename_all = "snake_case")]
pub async fn generate_passphrase(state: State<'_, AppState>) -> Answer<String> {
    Ok(state.desk().generate_passphrase())
}

/// «Entregar expediente»: asks where to save the business's file, then writes it
/// sealed with `passphrase`; `None` when the person cancels.
#[tauri::command(rename_all = "snake_case")]
pub async fn hand_over(
    app: AppHandle,
    state: State<'_, AppState>,
    id: BusinessId,
    passphrase: String,
) -> Answer<Option<HandedOver>> {
    let name = format!("expediente.{}", ventanilla_store::BUNDLE_EXTENSION);
    let extensions = [ventanilla_store::BUNDLE_EXTENSION];
    let Some(path) = dialogs::save_file(&app, &name, "Ventanilla", &extensions) else {
        return Ok(None);
    };
    state.desk().hand_over(&id, &path, &passphrase).map(Some)
}

/// The system's file dialog for a business's file (`.ventanilla`).
#[tauri::command(rename_all = "snake_case")]
pub async fn pick_bundle_file(
    app: AppHandle,
    picks: State<'_, PickedFiles>,
) -> Answer<Option<PickedFile>> {
    let extensions = [ventanilla_store::BUNDLE_EXTENSION];
    let chosen = dialogs::pick_file(&app, "Ventanilla", &extensions);
    Ok(chosen.map(|path| picks.register(path)))
}

/// Takes in the business's file of that token. The token stays valid while the
/// person is asked what to do with a business already here, so the same file is
/// imported again with the choice.
#[tauri::command(rename_all = "snake_case")]
pub async fn import_bundle(
    state: State<'_, AppState>,
    picks: State<'_, PickedFiles>,
    file: String,
    passphrase: String,
    choice: ImportChoice,
) -> Answer<TakenIn> {
    let locale = state.desk().locale();
    let path = picks.peek(&file, locale)?;
    let taken = state.desk().take_in(&path, &passphrase, choice)?;
    picks.take(&file, locale)?;
    Ok(taken)
}

/// Asks where to save today's report, then writes it in `format`; `None` when the
/// person cancels.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_day_report(
    app: AppHandle,
    state: State<'_, AppState>,
    format: ReportFormat,
) -> Answer<Option<WrittenReport>> {
    let today = ventanilla_desk::documents::today();
    let name = format!(
        "informe-del-dia-{}.{}",
        today.format("%Y-%m-%d"),
        format.extension()
    );
    let (filter, extensions): (&str, &[&str]) = match format {
        ReportFormat::Csv => ("CSV (Excel)", &["csv", "CSV"]),
        ReportFormat::Pdf => ("PDF", &["pdf", "PDF"]),
    };
    let Some(path) = dialogs::save_file(&app, &name, filter, extensions) else {
        return Ok(None);
    };
    state
        .desk()
        .write_day_report(Some(today), format, &path)
        .map(Some)
}

/// The business's e.firma as the signing panel shows it; with `password`, every check
/// signing makes. The password is used for this call only, never kept.
#[tauri::command(rename_all = "snake_case")]
pub async fn fiel(
    state: State<'_, AppState>,
    id: BusinessId,
    password: Option<String>,
) -> Answer<FielView> {
    state.desk().fiel(&id, password.as_deref())
}

/// The system's file dialog for one of the e.firma's files.
#[tauri::command(rename_all = "snake_case")]
pub async fn pick_fiel_file(
    app: AppHandle,
    picks: State<'_, PickedFiles>,
    file: FielFile,
) -> Answer<Option<PickedFile>> {
    let chosen = match file {
        FielFile::Certificate => dialogs::pick_file(&app, "e.firma (.cer)", &["cer", "CER"]),
        FielFile::Key => dialogs::pick_file(&app, "e.firma (.key)", &["key", "KEY"]),
    };
    Ok(chosen.map(|path| picks.register(path)))
}

/// Remembers the picked file (by its token) as the business's `.cer` or `.key`.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_fiel_file(
    state: State<'_, AppState>,
    picks: State<'_, PickedFiles>,
    id: BusinessId,
    file: FielFile,
    token: String,
) -> Answer<FielView> {
    let locale = state.desk().locale();
    let path = picks.take(&token, locale)?;
    state.desk().set_fiel_file(&id, file, &path)
}

/// What the network commands share: the data folder they open on their own, the
/// drain's progress, and the one drain that may run at a time.
pub struct SyncState {
    pub data_dir: std::path::PathBuf,
    pub monitor: std::sync::Arc<SyncMonitor>,
    pub draining: std::sync::Arc<Mutex<()>>,
}

/// Runs a network operation on a blocking thread, off the window's lock; a panic there
/// is told in `locale`.
async fn off_the_lock<T: Send + 'static>(
    locale: Locale,
    work: impl FnOnce() -> Answer<T> + Send + 'static,
) -> Answer<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(CommandError::internal(e, locale)))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn server_settings(state: State<'_, AppState>) -> Answer<ServerView> {
    state.desk().server()
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sign_in(
    state: State<'_, AppState>,
    sync: State<'_, SyncState>,
    form: SignInForm,
) -> Answer<ServerView> {
    let data_dir = sync.data_dir.clone();
    let locale = state.desk().locale();
    off_the_lock(locale, move || outbox::sign_in(&data_dir, form)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn accept_new_key(
    state: State<'_, AppState>,
    sync: State<'_, SyncState>,
    key_id: String,
) -> Answer<ServerView> {
    let data_dir = sync.data_dir.clone();
    let monitor = std::sync::Arc::clone(&sync.monitor);
    let locale = state.desk().locale();
    off_the_lock(locale, move || {
        outbox::accept_new_key(&data_dir, &key_id, &monitor)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn readiness(state: State<'_, AppState>, id: BusinessId) -> Answer<Readiness> {
    state.desk().readiness(&id)
}

/// Freezes, signs with the business's e.firma and `password` (this call only), queues.
#[tauri::command(rename_all = "snake_case")]
pub async fn submit_registration(
    state: State<'_, AppState>,
    id: BusinessId,
    password: String,
) -> Answer<OutboxItemView> {
    state.desk().submit_registration(&id, &password)
}

/// Freezes, signs with the business's e.firma and `password` (this call only), queues.
#[tauri::command(rename_all = "snake_case")]
pub async fn submit_bid(
    state: State<'_, AppState>,
    id: BusinessId,
    bid_id: BidId,
    password: String,
) -> Answer<OutboxItemView> {
    state.desk().submit_bid(&id, &bid_id, &password)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_state(
    state: State<'_, AppState>,
    sync: State<'_, SyncState>,
) -> Answer<SyncView> {
    state.desk().sync_state(&sync.monitor)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn retry_submission(
    state: State<'_, AppState>,
    business: BusinessId,
    submission: SubmissionId,
) -> Answer<()> {
    state.desk().retry_submission(&business, &submission)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now(
    app: AppHandle,
    state: State<'_, AppState>,
    sync: State<'_, SyncState>,
) -> Answer<SyncView> {
    let (data_dir, monitor, draining) = (
        sync.data_dir.clone(),
        sync.monitor.clone(),
        sync.draining.clone(),
    );
    let locale = state.desk().locale();
    off_the_lock(locale, move || {
        drain_once(&app, &data_dir, &monitor, &draining, true)
    })
    .await?;
    state.desk().sync_state(&sync.monitor)
}

/// One drain, unless one is running already; progress goes out as `sync-progress`
/// events, the end as `sync-changed`.
pub fn drain_once(
    app: &AppHandle,
    data_dir: &std::path::Path,
    monitor: &SyncMonitor,
    draining: &Mutex<()>,
    everything_now: bool,
) -> Answer<()> {
    let Ok(_only_one) = draining.try_lock() else {
        return Ok(());
    };
    let outcome = outbox::drain(data_dir, everything_now, monitor, &|sending| {
        let _ = app.emit(ipc::SYNC_PROGRESS, sending);
    });
    let _ = app.emit(ipc::SYNC_CHANGED, ());
    outcome.map(drop)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn prepare_bid(
    state: State<'_, AppState>,
    id: BusinessId,
    ocid: Ocid,
) -> Answer<BidView> {
    state.desk().prepare_bid(&id, &ocid)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn ask_question(
    state: State<'_, AppState>,
    id: BusinessId,
    ocid: Ocid,
    question: String,
) -> Answer<QuestionQueued> {
    state.desk().ask_question(&id, &ocid, &question)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_bids(state: State<'_, AppState>, id: BusinessId) -> Answer<Vec<BidSummary>> {
    state.desk().list_bids(&id)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn open_bid(
    state: State<'_, AppState>,
    id: BusinessId,
    bid_id: BidId,
) -> Answer<BidView> {
    state.desk().open_bid(&id, &bid_id)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_bid_item_field(
    state: State<'_, AppState>,
    request: BidItemFieldRequest,
) -> Answer<BidSaved> {
    state.desk().set_bid_item_field(
        &request.id,
        &request.bid_id,
        &request.item_id,
        request.field,
        &request.value,
    )
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_bid_validity_days(
    state: State<'_, AppState>,
    id: BusinessId,
    bid_id: BidId,
    value: String,
) -> Answer<BidSaved> {
    state.desk().set_bid_validity_days(&id, &bid_id, &value)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_bid_declaration(
    state: State<'_, AppState>,
    id: BusinessId,
    bid_id: BidId,
    declaration: Declaration,
    accepted: bool,
) -> Answer<BidSaved> {
    state
        .desk()
        .set_bid_declaration(&id, &bid_id, declaration, accepted)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn confirm_bid(
    state: State<'_, AppState>,
    id: BusinessId,
    bid_id: BidId,
) -> Answer<BidView> {
    state.desk().confirm_bid(&id, &bid_id)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_bid(state: State<'_, AppState>, id: BusinessId, bid_id: BidId) -> Answer<()> {
    state.desk().delete_bid(&id, &bid_id)
}

/// Asks where to save the proposal, then writes it; `None` when the person cancels.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_bid_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    id: BusinessId,
    bid_id: BidId,
) -> Answer<Option<String>> {
    let Some(path) = dialogs::save_pdf(&app, "propuesta.pdf") else {
        return Ok(None);
    };
    state.desk().export_bid_pdf(&id, &bid_id, &path)?;
    Ok(Some(path.display().to_string()))
}

/// Asks where to save a sent submission's acuse, then writes it; `None` when the
/// person cancels.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_receipt_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    id: BusinessId,
    submission: SubmissionId,
) -> Answer<Option<String>> {
    let Some(path) = dialogs::save_pdf(&app, "acuse.pdf") else {
        return Ok(None);
    };
    state.desk().export_receipt_pdf(&id, &submission, &path)?;
    Ok(Some(path.display().to_string()))
}
