//! The eframe application: persisted [`State`], runtime data, and the frame
//! loop (`logic` drains worker replies under a time budget; `ui` draws the
//! chrome and the current page, then applies the actions the page raised).

mod logic;
pub mod state;
mod timed;
mod ui;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;

use crate::backend::{Backend, Request, Wake};
use crate::filters::Dim;
use crate::pages::{Action, Purpose, distributions, explorer, overview, sql_console, top_issues, trends};
use crate::slot::Slot;
use crate::theme::ThemeChoice;
use crate::timings::Timings;
use crate::timings::speed_run::SpeedRun;
use crate::{LaunchOptions, fonts};
pub use state::State;

/// Whether the server answered lately.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectionStatus {
    Connecting,
    Connected,
    Unreachable(String),
    Unauthorised,
}

/// Each page's runtime data.
#[derive(Default)]
struct Pages {
    overview: overview::Overview,
    trends: trends::Trends,
    distributions: distributions::Distributions,
    top_issues: top_issues::TopIssues,
    explorer: explorer::Explorer,
    console: sql_console::SqlConsole,
}

/// Text fields of the settings dialog, applied on "save".
#[derive(Clone, Debug, Default)]
struct SettingsDraft {
    url: String,
    api_key: String,
    remember_key: bool,
    refresh_secs: u32,
}

/// Text fields of the custom window.
#[derive(Clone, Debug, Default)]
struct CustomDraft {
    start: String,
    end: String,
}

pub struct DashboardApp {
    state: State,
    backend: Backend<Purpose>,
    wake: Wake,
    status: ConnectionStatus,
    anchor: Slot<Option<NaiveDate>>,
    options: BTreeMap<Dim, Slot<Vec<String>>>,
    pages: Pages,
    settings: Option<SettingsDraft>,
    custom: CustomDraft,
    last_refresh: Instant,
    applied_theme: Option<ThemeChoice>,
    actions: Vec<Action>,
    timings: Timings,
    speed_run: Option<SpeedRun>,
}

impl DashboardApp {
    /// Build the app: saved state (unless `options.fresh`), overridden by
    /// flags, fonts installed, the health check and the anchor (which every
    /// page waits for) sent before the first frame.
    pub fn new(cc: &eframe::CreationContext<'_>, options: LaunchOptions) -> Self {
        fonts::install(&cc.egui_ctx);
        let saved = if options.fresh {
            None
        } else {
            cc.storage.and_then(|s| eframe::get_value::<State>(s, eframe::APP_KEY))
        };
        let state = options.apply(saved.unwrap_or_default());
        let ctx = cc.egui_ctx.clone();
        let wake: Wake = Arc::new(move || ctx.request_repaint());
        let mut backend = Backend::start(&state.connection, Arc::clone(&wake));
        backend.submit(Purpose::Health, Request::Health).ok();
        let timings = timed::timings(&options);
        let mut app = Self {
            state,
            backend,
            wake,
            status: ConnectionStatus::Connecting,
            anchor: Slot::default(),
            options: BTreeMap::new(),
            pages: Pages::default(),
            settings: None,
            custom: CustomDraft::default(),
            last_refresh: Instant::now(),
            applied_theme: None,
            actions: Vec::new(),
            speed_run: options.speed_run.then(SpeedRun::default),
            timings,
        };
        app.request_anchor();
        app
    }

    /// The persisted part (tests inspect and change it).
    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn state_mut(&mut self) -> &mut State {
        &mut self.state
    }

    pub fn status(&self) -> &ConnectionStatus {
        &self.status
    }

    /// No query is running or queued.
    pub fn is_idle(&self) -> bool {
        self.backend.in_flight() == 0
    }
}

impl eframe::App for DashboardApp {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        self.frame_started(frame.info().cpu_usage);
        self.drain_replies(ctx);
        self.apply_theme(ctx);
        self.tick(ctx);
        self.speed_run_step(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.root_ui(ui);
        let drawn = self.drawn();
        self.apply_actions();
        self.frame_drawn(ui.ctx(), drawn);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.state.for_storage());
    }
}
