//! A KPI tile: title, big value, change against the previous window.

use egui::{RichText, Ui};

use crate::theme::Palette;

/// Whether a rise of the metric is good news (volume: neither).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    Up,
    Down,
    Neither,
}

/// The change line of a tile.
pub struct Change {
    pub text: String,
    /// Positive for a rise.
    pub sign: f64,
    pub better: Better,
}

pub struct Tile<'a> {
    pub title: &'a str,
    pub value: String,
    pub change: Option<Change>,
    /// Shown under the value when there is no change (e.g. why n/a).
    pub note: Option<String>,
    pub help: Option<&'a str>,
}

impl Tile<'_> {
    pub fn ui(self, ui: &mut Ui, palette: Palette, width: f32) {
        egui::Frame::group(ui.style())
            .inner_margin(12.0)
            .show(ui, |ui| ui.vertical(|ui| self.contents_ui(ui, palette, width)));
    }

    fn contents_ui(self, ui: &mut Ui, palette: Palette, width: f32) {
        {
            ui.set_width(width);
            ui.set_min_height(92.0);
            let title = ui.label(RichText::new(self.title).color(palette.muted));
            if let Some(help) = self.help {
                title.on_hover_text(help);
            }
            ui.label(RichText::new(&self.value).size(26.0).strong());
            if let Some(change) = self.change {
                change_ui(ui, palette, &change);
            } else if let Some(note) = self.note {
                ui.label(RichText::new(note).small().color(palette.muted));
            }
        }
    }
}

fn change_ui(ui: &mut Ui, palette: Palette, change: &Change) {
    let arrow = if change.sign > 0.0 {
        "▲"
    } else if change.sign < 0.0 {
        "▼"
    } else {
        "■"
    };
    let good = match change.better {
        Better::Up => change.sign > 0.0,
        Better::Down => change.sign < 0.0,
        Better::Neither => true,
    };
    let color = if change.better == Better::Neither || change.sign == 0.0 {
        palette.muted
    } else if good {
        palette.good
    } else {
        palette.bad
    };
    ui.label(RichText::new(format!("{arrow} {}", change.text)).color(color));
}
