//! Building the app in a kittest harness and waiting for its queries.

use std::thread::sleep;
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use voxlake_dashboard::i18n::Language;
use voxlake_dashboard::pages::Page;
use voxlake_dashboard::{DashboardApp, LaunchOptions};

use crate::server::server;

pub type App = Harness<'static, DashboardApp>;

const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);

/// The dashboard on `page`, in English, connected to the demo server.
pub fn dashboard(page: Page) -> App {
    let s = server();
    with_options(LaunchOptions {
        url: Some(s.url.clone()),
        api_key: Some(s.key.clone()),
        ..options(page)
    })
}

pub fn options(page: Page) -> LaunchOptions {
    LaunchOptions {
        language: Some(Language::En),
        page: Some(page),
        fresh: true,
        ..LaunchOptions::default()
    }
}

pub fn with_options(options: LaunchOptions) -> App {
    let mut app = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |cc| DashboardApp::new(cc, options));
    settle(&mut app);
    app
}

/// Step until no query has been in flight for a few frames.
pub fn settle(app: &mut App) {
    let deadline = Instant::now() + SETTLE_TIMEOUT;
    let mut idle_frames = 0;
    while idle_frames < 3 {
        app.step();
        if app.state().is_idle() {
            idle_frames += 1;
        } else {
            idle_frames = 0;
            sleep(Duration::from_millis(10));
        }
        assert!(
            Instant::now() < deadline,
            "queries still running after {SETTLE_TIMEOUT:?}"
        );
    }
}

/// Click the button labelled `label` (not a plain label with the same text), then settle.
pub fn click_button(app: &mut App, label: &str) {
    app.get_by_role_and_label(Role::Button, label).click();
    settle(app);
}

/// Whether some widget is labelled exactly `label`.
pub fn shows(app: &App, label: &str) -> bool {
    app.query_all_by_label(label).next().is_some()
}

/// Assert a widget labelled `label` is there, naming what was expected.
#[track_caller]
pub fn assert_shows(app: &App, label: &str) {
    assert!(shows(app, label), "expected a widget labelled {label:?}");
}
