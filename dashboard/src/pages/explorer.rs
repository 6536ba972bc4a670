//! Feedback explorer: the rows in scope, newest first (up to
//! [`EXPLORER_LIMIT`](crate::queries::EXPLORER_LIMIT)), in a virtualised
//! grid; clicking a row shows every field of that feedback beside it. The
//! contact is masked by the server and its encrypted original never shown.

use arrow_schema::DataType;
use egui::{RichText, ScrollArea, Ui};

use super::{Action, PageCtx, Purpose};
use crate::backend::Reply;
use crate::format;
use crate::i18n::{Key, fill};
use crate::queries::{self, EXPLORER_LIMIT};
use crate::slot::Slot;
use crate::table::Table;
use crate::widgets::grid::{GridOutput, grid_ui};
use crate::widgets::status::slot_state_ui;

/// Width of the detail column beside the grid.
const DETAIL_WIDTH: f32 = 440.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Rows,
    Count,
    Detail,
}

#[derive(Default)]
pub struct Explorer {
    rows: Slot<Table>,
    count: Slot<i64>,
    selected: Option<usize>,
    detail: Slot<Table>,
    /// A scroll position asked for by [`Explorer::scroll_by`] (speed runs).
    scroll_to: Option<f32>,
    grid: GridOutput,
}

impl Explorer {
    pub fn on_reply(&mut self, part: Part, reply: Reply<Purpose>) {
        let Reply {
            id, result, elapsed, ..
        } = reply;
        match part {
            Part::Rows => {
                if self.rows.pending() == Some(id) {
                    self.selected = None;
                }
                self.rows.accept(id, result, elapsed, |t| t);
            }
            Part::Count => self.count.accept(id, result, elapsed, |t| t.i64("n", 0).unwrap_or(0)),
            Part::Detail => self.detail.accept(id, result, elapsed, |t| t),
        }
    }

    pub fn invalidate(&mut self) {
        self.rows.invalidate();
        self.count.invalidate();
    }

    pub fn is_loading(&self) -> bool {
        self.rows.is_loading() || self.count.is_loading() || self.detail.is_loading()
    }

    pub fn ui(&mut self, ui: &mut Ui, ctx: &mut PageCtx<'_>) {
        self.rows.ensure(queries::explorer_rows(ctx.scope), |sql| {
            ctx.submit(Purpose::Explorer(Part::Rows), sql)
        });
        self.count.ensure(queries::explorer_count(ctx.scope), |sql| {
            ctx.submit(Purpose::Explorer(Part::Count), sql)
        });
        self.header_ui(ui, ctx);
        if self.rows.data().is_none() {
            if slot_state_ui(ui, ctx.language, ctx.palette, &self.rows) {
                ctx.actions.push(Action::Retry);
            }
            return;
        }
        if let Some(rows) = self.rows.data() {
            self.grid = grid_ui(
                ui,
                "explorer_grid",
                rows,
                self.selected,
                Some("text"),
                self.scroll_to.take(),
            );
        }
        if let Some(row) = self.grid.clicked {
            self.select(ctx, row);
        }
        if self.selected.is_some() {
            let window = egui::Window::new(ctx.t(Key::Detail));
            let window = window
                .anchor(egui::Align2::RIGHT_TOP, [-12.0, 96.0])
                .default_width(DETAIL_WIDTH)
                .default_height(640.0)
                .collapsible(false);
            window.show(ui.ctx(), |ui| self.detail_ui(ui, ctx));
        }
    }

    /// Scroll the grid down `rows` rows on the next frame.
    pub fn scroll_by(&mut self, rows: usize) {
        self.scroll_to = Some(self.grid.offset + rows as f32 * self.grid.row_pitch);
    }

    /// Rows loaded, and whether the last of them was in view last frame.
    pub fn scrolled_to_end(&self) -> (usize, bool) {
        let loaded = self.rows.data().map_or(0, Table::num_rows);
        (loaded, loaded > 0 && self.grid.last_visible_row + 1 >= loaded)
    }

    fn header_ui(&self, ui: &mut Ui, ctx: &PageCtx<'_>) {
        ui.horizontal(|ui| {
            if let Some(n) = self.count.data() {
                ui.strong(format!("{}: {}", ctx.t(Key::Rows), format::count(*n)));
                if *n > EXPLORER_LIMIT as i64 {
                    ui.label(fill(
                        ctx.t(Key::RowsCapped),
                        &[("n", &format::count(EXPLORER_LIMIT as i64))],
                    ));
                }
            }
            if self.rows.is_loading() || self.count.is_loading() {
                ui.spinner();
            }
            if self.selected.is_none() {
                ui.label(RichText::new(ctx.t(Key::SelectRow)).color(ctx.palette.muted));
            }
        });
    }

    fn select(&mut self, ctx: &mut PageCtx<'_>, row: usize) {
        let Some(rows) = self.rows.data() else { return };
        let id = rows.text("feedback_id", row);
        let day = rows.timestamp("received_at", row).map(|t| t.date_naive());
        if let (Some(id), Some(day)) = (id, day) {
            self.selected = Some(row);
            self.detail.ensure(queries::feedback_detail(&id, day), |sql| {
                ctx.submit(Purpose::Explorer(Part::Detail), sql)
            });
        }
    }

    fn detail_ui(&mut self, ui: &mut Ui, ctx: &mut PageCtx<'_>) {
        if ui.button(ctx.t(Key::Close)).clicked() {
            self.selected = None;
        }
        let Some(detail) = self.detail.data() else {
            slot_state_ui(ui, ctx.language, ctx.palette, &self.detail);
            return;
        };
        ScrollArea::vertical()
            .id_salt("detail_scroll")
            .max_height(ui.ctx().content_rect().height() - 200.0)
            .show(ui, |ui| fields_ui(ui, ctx, detail));
    }
}

/// Every column of the first row: name above value; binary columns hidden.
fn fields_ui(ui: &mut Ui, ctx: &PageCtx<'_>, detail: &Table) {
    ui.set_width(ui.available_width());
    for (c, field) in detail.schema.fields().iter().enumerate() {
        ui.label(RichText::new(field.name()).small().color(ctx.palette.muted));
        let value = match field.data_type() {
            DataType::Binary | DataType::LargeBinary | DataType::BinaryView => Some(ctx.t(Key::Hidden).to_owned()),
            _ => detail.display(c, 0),
        };
        match value {
            Some(text) => ui.add(egui::Label::new(text).wrap()),
            None => ui.label(RichText::new("NULL").weak()),
        };
        ui.add_space(4.0);
    }
}
