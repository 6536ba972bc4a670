//! Voxlake's management dashboard: a native egui/eframe app over the Voxlake
//! service's HTTP API.
//!
//! It links no engine code: every number comes from `POST /v1/sql` as an
//! Arrow IPC stream (see [`client`]), sent by worker threads ([`backend`])
//! so the UI thread never waits, with all SQL built in one place
//! ([`queries`]) from the global window and filters ([`filters`]). Pages are
//! one file each ([`pages`]); strings come from [`i18n`] in Chinese and
//! English, rendered with a bundled CJK font subset ([`fonts`]). With
//! `--timings`, [`timings`] records how fast the numbers reach the screen.
//!
//! What it does not do: write anything to the server, or show numbers the
//! server cannot back — a page whose feature (sentiment, taxonomy, topics,
//! tickets) is not on the server says so instead.

pub mod app;
pub mod backend;
pub mod client;
pub mod error;
pub mod filters;
pub mod fonts;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod queries;
pub mod slot;
pub mod table;
pub mod theme;
pub mod timings;
pub mod widgets;

use std::path::PathBuf;
use std::time::Instant;

pub use app::{DashboardApp, State};
pub use error::{Error, Result};

use crate::i18n::Language;
use crate::pages::Page;
use crate::theme::ThemeChoice;

/// Where the dashboard looks for a server unless told otherwise (the demo
/// server's default address).
pub const DEFAULT_SERVER_URL: &str = "http://127.0.0.1:8080";
const APP_ID: &str = "voxlake-dashboard";

/// Start-up choices from flags or the environment; each one set overrides
/// the remembered state.
#[derive(Clone, Debug, Default)]
pub struct LaunchOptions {
    pub url: Option<String>,
    pub api_key: Option<String>,
    pub language: Option<Language>,
    pub theme: Option<ThemeChoice>,
    pub page: Option<Page>,
    pub refresh_secs: Option<u32>,
    /// Ignore the remembered state.
    pub fresh: bool,
    /// Write speed measurements here (see [`timings`]).
    pub timings: Option<PathBuf>,
    /// Play the scripted scenario of [`timings::speed_run`], then quit.
    pub speed_run: bool,
    /// When the process started (what the first frame is timed from).
    pub started: Option<Instant>,
}

impl LaunchOptions {
    /// `state` with every option that is set applied.
    pub fn apply(&self, mut state: State) -> State {
        if let Some(url) = &self.url {
            state.connection.url = url.clone();
        }
        if let Some(key) = &self.api_key {
            state.connection.api_key = Some(key.clone());
        }
        state.language = self.language.unwrap_or(state.language);
        state.theme = self.theme.unwrap_or(state.theme);
        state.page = self.page.unwrap_or(state.page);
        state.refresh_secs = self.refresh_secs.unwrap_or(state.refresh_secs);
        state
    }
}

/// Open the dashboard window and run until it is closed.
pub fn run(options: LaunchOptions) -> std::result::Result<(), eframe::Error> {
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Voxlake")
            .with_app_id(APP_ID)
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([960.0, 600.0]),
        renderer: eframe::Renderer::Glow,
        persist_window: true,
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        APP_ID,
        native,
        Box::new(move |cc| Ok(Box::new(DashboardApp::new(cc, options)))),
    )
}
