//! Distributions: feedback by category (level 1, drilling into level 2),
//! channel, rating and region. Clicking a bar filters the whole dashboard by
//! its value.

use std::collections::BTreeMap;

use egui::Ui;

use super::{Action, PageCtx, Purpose};
use crate::backend::Reply;
use crate::filters::Dim;
use crate::i18n::Key;
use crate::queries;
use crate::slot::Slot;
use crate::table::Table;
use crate::widgets::bars::{BarItem, bar_list_ui};
use crate::widgets::status::{slot_state_ui, unavailable_ui};

#[derive(Default)]
pub struct Distributions {
    slots: BTreeMap<Dim, Slot<Vec<BarItem>>>,
}

impl Distributions {
    pub fn on_reply(&mut self, dim: Dim, reply: Reply<Purpose>) {
        let slot = self.slots.entry(dim).or_default();
        slot.accept(reply.id, reply.result, reply.elapsed, |t| bars(&t, dim));
    }

    pub fn invalidate(&mut self) {
        self.slots.values_mut().for_each(Slot::invalidate);
    }

    pub fn is_loading(&self) -> bool {
        self.slots.values().any(Slot::is_loading)
    }

    pub fn ui(&mut self, ui: &mut Ui, ctx: &mut PageCtx<'_>) {
        ui.label(egui::RichText::new(ctx.t(Key::ClickToFilter)).color(ctx.palette.muted));
        ui.add_space(6.0);
        let category = if ctx.scope.filters.get(Dim::CategoryL1).is_some() {
            Dim::CategoryL2
        } else {
            Dim::CategoryL1
        };
        let panels = [[category, Dim::Channel], [Dim::Rating, Dim::Region]];
        for row in panels {
            ui.columns(2, |columns| {
                for (ui, dim) in columns.iter_mut().zip(row) {
                    self.panel_ui(ui, ctx, dim);
                }
            });
            ui.add_space(12.0);
        }
    }

    fn panel_ui(&mut self, ui: &mut Ui, ctx: &mut PageCtx<'_>, dim: Dim) {
        let slot = self.slots.entry(dim).or_default();
        slot.ensure(queries::distribution(ctx.scope, dim), |sql| {
            ctx.submit(Purpose::Distribution(dim), sql)
        });
        ui.horizontal(|ui| {
            ui.heading(ctx.t(dim.key()));
            if dim == Dim::CategoryL2 {
                if let Some(parent) = ctx.scope.filters.get(Dim::CategoryL1) {
                    ui.label(format!("· {parent}"));
                }
                if ui.button(ctx.t(Key::DrillUp)).clicked() {
                    ctx.actions.push(Action::RemoveFilter(Dim::CategoryL1));
                }
            }
            if slot.is_loading() {
                ui.spinner();
            }
        });
        let Some(items) = slot.data() else {
            if slot_state_ui(ui, ctx.language, ctx.palette, slot) {
                ctx.actions.push(Action::Retry);
            }
            return;
        };
        panel_body_ui(ui, ctx, dim, items);
    }
}

fn panel_body_ui(ui: &mut Ui, ctx: &mut PageCtx<'_>, dim: Dim, items: &[BarItem]) {
    if items.is_empty() {
        ui.label(ctx.t(Key::NoData));
        return;
    }
    let is_category = matches!(dim, Dim::CategoryL1 | Dim::CategoryL2);
    if is_category && items.iter().all(|b| b.value.is_none()) {
        unavailable_ui(ui, ctx.palette, ctx.t(Key::CategoryNa), None);
        return;
    }
    let labelled: Vec<BarItem> = items.iter().map(|b| localise(b, ctx)).collect();
    if let Some(bar) = bar_list_ui(ui, &labelled, ctx.palette, ctx.scope.filters.get(dim)) {
        let value = bar.value.clone().unwrap_or_default();
        ctx.actions.push(Action::SetFilter {
            dim,
            label: bar.label.clone(),
            value,
        });
    }
}

/// NULL values are shown as "(unknown)" in the UI language.
fn localise(bar: &BarItem, ctx: &PageCtx<'_>) -> BarItem {
    let mut bar = bar.clone();
    if bar.value.is_none() {
        bar.label = ctx.t(Key::Unknown).to_owned();
    }
    bar
}

fn bars(table: &Table, dim: Dim) -> Vec<BarItem> {
    (0..table.num_rows())
        .map(|r| {
            let value = table.text("value", r);
            let label = match (&value, dim) {
                (Some(v), Dim::Rating) => format!("{v} ★"),
                (Some(v), _) => v.clone(),
                (None, _) => String::new(),
            };
            BarItem {
                label,
                value,
                count: table.i64("n", r).unwrap_or(0),
            }
        })
        .collect()
}
