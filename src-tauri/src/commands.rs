//! The webview's entry points: each one locks the desk, calls one operation, returns.
//! They are `async` so Tauri runs them off the main thread and typing never stutters.

use std::sync::{Mutex, MutexGuard};

use tauri::State;
use ventanilla_core::{Field, Locale, Representative};

use crate::desk::Desk;
use crate::views::{
    AppInfo, BusinessSummary, BusinessView, Catalogues, CommandError, NewBusiness, Saved,
};

pub struct AppState(pub Mutex<Desk>);

type Answer<T> = Result<T, CommandError>;

impl AppState {
    /// A panic in one command must not lock the user out of their data afterwards.
    fn desk(&self) -> MutexGuard<'_, Desk> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn app_info(state: State<'_, AppState>) -> Answer<AppInfo> {
    Ok(state.desk().info())
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
pub async fn delete_business(state: State<'_, AppState>, id: String) -> Answer<()> {
    state.desk().delete(&id)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn open_business(state: State<'_, AppState>, id: String) -> Answer<BusinessView> {
    state.desk().open_business(&id)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_field(
    state: State<'_, AppState>,
    id: String,
    field: Field,
    value: String,
) -> Answer<Saved> {
    state.desk().set_field(&id, field, &value)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_representative(state: State<'_, AppState>, id: String) -> Answer<Saved> {
    state.desk().add_representative(&id)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_representative(
    state: State<'_, AppState>,
    id: String,
    representative: Representative,
) -> Answer<Saved> {
    state.desk().update_representative(&id, &representative)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_representative(
    state: State<'_, AppState>,
    id: String,
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
