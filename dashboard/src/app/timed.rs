//! The app's side of [`crate::timings`]: what it tells the recorder each
//! frame (the view drawn, whether its numbers are all in, each query's
//! time), and the steps of a speed run. Without `--timings` all of this is
//! a check of an `Option` per frame.

use std::time::{Duration, Instant};

use super::DashboardApp;
use crate::LaunchOptions;
use crate::backend::Reply;
use crate::filters::Dim;
use crate::pages::{Page, Purpose};
use crate::table::Table;
use crate::timings::speed_run::{SCROLL_ROWS_PER_FRAME, Step};
use crate::timings::{Timings, View};

/// How often a speed run looks for its next step.
const SPEED_RUN_POLL: Duration = Duration::from_millis(20);

/// The recorder `options` ask for; a file that cannot be created is logged
/// and measuring skipped.
pub(super) fn timings(options: &LaunchOptions) -> Timings {
    let Some(path) = &options.timings else {
        return Timings::default();
    };
    let started = options.started.unwrap_or_else(Instant::now);
    Timings::to_file(path, started).unwrap_or_else(|e| {
        tracing::warn!(path = %path.display(), error = %e, "cannot write timings; not measuring");
        Timings::default()
    })
}

impl DashboardApp {
    pub(super) fn frame_started(&mut self, cpu_usage: Option<f32>) {
        if let Some(recorder) = self.timings.recorder() {
            recorder.frame_started(cpu_usage);
        }
    }

    /// The view this frame drew and whether all its numbers were in (when measuring).
    pub(super) fn drawn(&self) -> Option<(View, bool)> {
        self.timings.is_on().then(|| (self.view(), self.page_complete()))
    }

    pub(super) fn frame_drawn(&mut self, ctx: &egui::Context, drawn: Option<(View, bool)>) {
        let Some((drawn, complete)) = drawn else { return };
        let wanted = self.view();
        let Some(recorder) = self.timings.recorder() else {
            return;
        };
        if recorder.frame_drawn(drawn, complete, wanted) {
            ctx.request_repaint();
        }
    }

    pub(super) fn note_query(&mut self, reply: &Reply<Purpose>) {
        if let Some(recorder) = self.timings.recorder() {
            let rows = reply.result.as_ref().ok().map(Table::num_rows);
            recorder.query(&format!("{:?}", reply.tag), reply.elapsed, rows);
        }
    }

    /// The page shown and, for pages that show it, the window and filters.
    fn view(&self) -> View {
        let page = self.state.page;
        let scope = match self.scope() {
            Some(scope) if page.is_scoped() => format!("{scope:?}"),
            _ => String::new(),
        };
        (page, scope)
    }

    /// The scope is known and the page waits for no reply.
    fn page_complete(&self) -> bool {
        let pages = &self.pages;
        let loading = match self.state.page {
            Page::Overview => pages.overview.is_loading(),
            Page::Trends => pages.trends.is_loading(),
            Page::Distributions => pages.distributions.is_loading(),
            Page::TopIssues => pages.top_issues.is_loading(),
            Page::Explorer => pages.explorer.is_loading(),
            Page::SqlConsole => pages.console.is_loading(),
        };
        self.scope().is_some() && !self.anchor.is_loading() && !loading
    }

    /// Take the speed run's next step, if one is due.
    pub(super) fn speed_run_step(&mut self, ctx: &egui::Context) {
        if self.speed_run.is_none() {
            return;
        }
        let waiting = self.timings.recorder().is_some_and(|r| r.is_waiting());
        let (rows, at_end) = self.pages.explorer.scrolled_to_end();
        let Some(run) = self.speed_run.as_mut() else { return };
        let step = run.next(waiting, at_end);
        let frames = match run.frames() {
            Some(Step::Still) => Some("explorer still"),
            Some(Step::Scroll) => Some("explorer scroll"),
            _ => None,
        };
        ctx.request_repaint_after(SPEED_RUN_POLL);
        let Some(recorder) = self.timings.recorder() else {
            return;
        };
        if recorder.frames == Some("explorer scroll") && frames.is_none() {
            recorder.note(&format!("scrolled through {rows} rows"));
        }
        recorder.frames = frames;
        match step {
            Some(Step::Scroll) => self.pages.explorer.scroll_by(SCROLL_ROWS_PER_FRAME),
            Some(Step::Still) => {}
            Some(step) => self.take_step(ctx, step),
            None => {}
        }
    }

    fn take_step(&mut self, ctx: &egui::Context, step: Step) {
        let note = format!("{step:?}");
        match step {
            Step::Navigate(page) => self.state.page = page,
            Step::Channel(n) => self.filter_by_channel(n),
            Step::ClearFilters => self.state.filters.clear(),
            Step::Still | Step::Scroll => {}
            Step::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
        if let Some(recorder) = self.timings.recorder() {
            recorder.note(&note);
        }
    }

    fn filter_by_channel(&mut self, n: usize) {
        let channels = self.options.get(&Dim::Channel).and_then(|s| s.data());
        let Some(value) = channels.and_then(|c| c.get(n % c.len().max(1))).cloned() else {
            tracing::warn!("speed run: no channel to filter by");
            return;
        };
        self.state.filters.set(Dim::Channel, value);
    }
}
