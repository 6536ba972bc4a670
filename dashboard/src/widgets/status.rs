//! How a page says it is loading, failed, or cannot show something because
//! the server lacks the feature behind it.

use egui::{RichText, Ui};

use crate::error::Error;
use crate::i18n::{Key, Language, fill};
use crate::slot::Slot;
use crate::theme::Palette;

/// A spinner with "Loading…".
pub fn loading_ui(ui: &mut Ui, language: Language) {
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label(Key::Loading.text(language));
    });
}

/// A red error box with the server's message and a retry button; returns
/// whether retry was clicked.
pub fn error_ui(ui: &mut Ui, language: Language, palette: Palette, error: &Error) -> bool {
    let mut retry = false;
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.0, palette.bad))
        .show(ui, |ui| {
            ui.label(
                RichText::new(Key::QueryFailed.text(language))
                    .color(palette.bad)
                    .strong(),
            );
            ui.label(error.to_string());
            if let Some((line, column)) = error.position() {
                let text = fill(
                    Key::Position.text(language),
                    &[("line", &line.to_string()), ("column", &column.to_string())],
                );
                ui.label(text);
            }
            retry = ui.button(Key::Retry.text(language)).clicked();
        });
    retry
}

/// A plain statement that the server cannot provide this yet.
pub fn unavailable_ui(ui: &mut Ui, palette: Palette, text: &str, detail: Option<&str>) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(RichText::new(text).color(palette.muted).strong());
        if let Some(detail) = detail {
            ui.label(RichText::new(detail).small().color(palette.muted));
        }
    });
}

/// The slot's state when it has no data: spinner or error. Returns whether
/// retry was clicked.
pub fn slot_state_ui<T>(ui: &mut Ui, language: Language, palette: Palette, slot: &Slot<T>) -> bool {
    match slot.error() {
        Some(e) if !e.is_connection() => error_ui(ui, language, palette, e),
        _ => {
            if slot.is_loading() {
                loading_ui(ui, language);
            }
            false
        }
    }
}
