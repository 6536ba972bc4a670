//! Everything but drawing: replies drained under a frame budget and routed
//! to the slot that asked, the connection status, actions, refresh and
//! reconnection.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;

use super::{ConnectionStatus, DashboardApp, Pages};
use crate::backend::{Backend, Reply, Request};
use crate::client::Connection;
use crate::error::Error;
use crate::filters::{Dim, Window};
use crate::pages::{Action, Purpose};
use crate::queries::{self, Scope};
use crate::table::Table;

/// Time per frame spent taking in replies (rerun's pattern): the rest waits
/// for the next frame, so a burst of results never stalls drawing.
const DRAIN_BUDGET: Duration = Duration::from_millis(10);
/// While the server is unreachable, try again this often.
const RECONNECT_EVERY: Duration = Duration::from_secs(5);
/// The filter drop-downs offer values of these dimensions.
pub(super) const FILTER_DIMS: [Dim; 4] = [Dim::Channel, Dim::Product, Dim::Region, Dim::CategoryL1];

impl DashboardApp {
    pub(super) fn drain_replies(&mut self, ctx: &egui::Context) {
        let deadline = Instant::now() + DRAIN_BUDGET;
        while Instant::now() < deadline {
            let Some(reply) = self.backend.try_recv() else { return };
            self.route(reply);
        }
        ctx.request_repaint();
    }

    fn route(&mut self, reply: Reply<Purpose>) {
        self.note_status(reply.tag, &reply.result);
        self.note_query(&reply);
        let Reply { id, tag, elapsed, .. } = reply;
        match tag {
            Purpose::Health => {}
            Purpose::Anchor => self.anchor.accept(id, reply.result, elapsed, |t| Some(anchor_day(&t))),
            Purpose::Options(dim) => self
                .options
                .entry(dim)
                .or_default()
                .accept(id, reply.result, elapsed, |t| values(&t)),
            Purpose::Overview(part) => self.pages.overview.on_reply(part, reply),
            Purpose::Trends => self.pages.trends.on_reply(reply),
            Purpose::Distribution(dim) => self.pages.distributions.on_reply(dim, reply),
            Purpose::TopIssues(part) => self.pages.top_issues.on_reply(part, reply),
            Purpose::Explorer(part) => self.pages.explorer.on_reply(part, reply),
            Purpose::Console => self.pages.console.on_reply(reply),
        }
    }

    /// A health check only says the server is up; a query also says the key is good.
    fn note_status(&mut self, tag: Purpose, result: &Result<Table, Error>) {
        self.status = match result {
            Ok(_) if tag == Purpose::Health && self.status == ConnectionStatus::Unauthorised => return,
            Ok(_) => ConnectionStatus::Connected,
            Err(Error::Unauthorised { .. }) => ConnectionStatus::Unauthorised,
            Err(e @ Error::Unreachable { .. }) => ConnectionStatus::Unreachable(e.to_string()),
            Err(_) => return,
        };
    }

    /// The window and filters in force, once the newest feedback is known.
    pub(super) fn scope(&self) -> Option<Scope> {
        let anchor = (*self.anchor.data()?).unwrap_or_else(|| Utc::now().date_naive());
        Some(Scope {
            window: Window::resolve(self.state.window, anchor),
            filters: self.state.filters.clone(),
        })
    }

    /// Ask for what every page needs first: the newest feedback's time.
    pub(super) fn request_anchor(&mut self) {
        self.anchor.ensure(queries::anchor(), |sql| {
            self.backend.submit(Purpose::Anchor, Request::Sql(sql))
        });
    }

    /// Ask for the filter drop-downs' values. Called after the page has
    /// asked for its numbers, so those queue first: the jobs run in order
    /// on a few workers, and the server's cores are shared by all of them.
    pub(super) fn request_options(&mut self) {
        let Some(scope) = self.scope() else { return };
        for dim in FILTER_DIMS {
            let slot = self.options.entry(dim).or_default();
            slot.ensure(queries::filter_options(&scope.window, dim), |sql| {
                self.backend.submit(Purpose::Options(dim), Request::Sql(sql))
            });
        }
    }

    pub(super) fn apply_actions(&mut self) {
        for action in std::mem::take(&mut self.actions) {
            match action {
                Action::SetFilter { dim, value, label } => self.state.filters.set_labelled(dim, value, label),
                Action::RemoveFilter(dim) => self.state.filters.remove(dim),
                Action::Navigate(page) => self.state.page = page,
                Action::Retry => self.refresh(),
            }
        }
    }

    /// Fetch everything again (keeping what is shown until it arrives).
    pub(super) fn refresh(&mut self) {
        self.last_refresh = Instant::now();
        self.anchor.invalidate();
        self.options.values_mut().for_each(crate::slot::Slot::invalidate);
        let pages = &mut self.pages;
        pages.overview.invalidate();
        pages.trends.invalidate();
        pages.distributions.invalidate();
        pages.top_issues.invalidate();
        pages.explorer.invalidate();
        self.backend.submit(Purpose::Health, Request::Health).ok();
    }

    /// Talk to another server (or with another key): new workers, no old data.
    pub(super) fn reconnect(&mut self, connection: Connection) {
        self.state.connection = connection;
        self.backend = Backend::start(&self.state.connection, Arc::clone(&self.wake));
        self.status = ConnectionStatus::Connecting;
        self.anchor.reset();
        self.options.clear();
        self.pages = Pages::default();
        self.refresh();
    }

    /// Automatic refresh, and reconnection attempts while unreachable.
    pub(super) fn tick(&mut self, ctx: &egui::Context) {
        let period = match self.status {
            ConnectionStatus::Unreachable(_) => Some(RECONNECT_EVERY),
            _ if self.state.refresh_secs > 0 => Some(Duration::from_secs(u64::from(self.state.refresh_secs))),
            _ => None,
        };
        let Some(period) = period else { return };
        let since = self.last_refresh.elapsed();
        if since >= period {
            self.refresh();
        } else {
            ctx.request_repaint_after(period - since);
        }
    }

    pub(super) fn apply_theme(&mut self, ctx: &egui::Context) {
        if self.applied_theme != Some(self.state.theme) {
            self.state.theme.apply(ctx);
            self.applied_theme = Some(self.state.theme);
        }
    }
}

fn anchor_day(table: &Table) -> chrono::NaiveDate {
    table
        .timestamp("anchor", 0)
        .map_or_else(|| Utc::now().date_naive(), |t| t.date_naive())
}

fn values(table: &Table) -> Vec<String> {
    (0..table.num_rows()).filter_map(|r| table.text("value", r)).collect()
}
