//! The chrome around the pages: top bar (connection, window, refresh,
//! language, theme, settings), side navigation, filter bar with removable
//! chips, the connection banner and the settings dialog.

use chrono::NaiveDate;
use egui::{CentralPanel, ComboBox, Panel, RichText, ScrollArea, TextEdit, Ui};

use super::logic::FILTER_DIMS;
use super::{ConnectionStatus, CustomDraft, DashboardApp, SettingsDraft};
use crate::client::Connection;
use crate::filters::{Dim, PRESET_DAYS, WindowChoice};
use crate::i18n::{Key, Language, fill};
use crate::pages::{Action, Page, PageCtx};
use crate::theme::ThemeChoice;
use crate::widgets::status::loading_ui;

impl DashboardApp {
    fn t(&self, key: Key) -> &'static str {
        key.text(self.state.language)
    }

    pub(super) fn root_ui(&mut self, ui: &mut Ui) {
        self.request_anchor();
        Panel::top("top_bar").show(ui, |ui| self.top_bar_ui(ui));
        if self.state.page.is_scoped() {
            Panel::top("filter_bar").show(ui, |ui| self.filter_bar_ui(ui));
        }
        Panel::left("nav")
            .resizable(false)
            .exact_size(170.0)
            .show(ui, |ui| self.nav_ui(ui));
        CentralPanel::default_margins().show(ui, |ui| {
            self.banner_ui(ui);
            self.page_ui(ui);
        });
        self.request_options();
        self.settings_ui(ui);
    }

    fn top_bar_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            ui.heading(self.t(Key::AppTitle));
            ui.separator();
            self.status_ui(ui);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(self.t(Key::Settings)).clicked() {
                    self.open_settings();
                }
                self.theme_ui(ui);
                self.language_ui(ui);
                if ui.button(self.t(Key::Refresh)).clicked() {
                    self.refresh();
                }
                let auto = match self.state.refresh_secs {
                    0 => self.t(Key::AutoRefreshOff).to_owned(),
                    n => format!("{n} {}", self.t(Key::Seconds)),
                };
                ui.label(RichText::new(format!("{}: {auto}", self.t(Key::AutoRefresh))).weak());
            });
        });
    }

    fn status_ui(&self, ui: &mut Ui) {
        let palette = self.state.theme.palette();
        let (color, key) = match self.status {
            ConnectionStatus::Connected => (palette.good, Key::Connected),
            ConnectionStatus::Connecting => (palette.muted, Key::Connecting),
            ConnectionStatus::Unreachable(_) => (palette.bad, Key::Unreachable),
            ConnectionStatus::Unauthorised => (palette.bad, Key::Unauthorised),
        };
        ui.label(RichText::new("●").color(color));
        ui.label(self.t(key)).on_hover_text(&self.state.connection.url);
        ui.label(RichText::new(&self.state.connection.url).weak());
        if !self.is_idle() {
            ui.spinner();
        }
    }

    fn language_ui(&mut self, ui: &mut Ui) {
        for language in [Language::En, Language::Zh] {
            ui.selectable_value(&mut self.state.language, language, language.native_name());
        }
    }

    fn theme_ui(&mut self, ui: &mut Ui) {
        for theme in [ThemeChoice::Dark, ThemeChoice::Light] {
            let text = self.t(theme.key());
            ui.selectable_value(&mut self.state.theme, theme, text);
        }
    }

    fn nav_ui(&mut self, ui: &mut Ui) {
        ui.add_space(8.0);
        for page in Page::ALL {
            let text = RichText::new(self.t(page.key())).size(15.0);
            let button = egui::Button::selectable(self.state.page == page, text).min_size(egui::vec2(150.0, 30.0));
            if ui.add(button).clicked() {
                self.state.page = page;
            }
        }
    }

    fn filter_bar_ui(&mut self, ui: &mut Ui) {
        ui.horizontal_wrapped(|ui| {
            self.window_ui(ui);
            ui.separator();
            for dim in FILTER_DIMS {
                self.filter_combo_ui(ui, dim);
            }
        });
        if !self.state.filters.is_empty() {
            ui.horizontal_wrapped(|ui| self.chips_ui(ui));
        }
        ui.add_space(2.0);
    }

    fn window_ui(&mut self, ui: &mut Ui) {
        ui.label(self.t(Key::Window));
        for days in PRESET_DAYS {
            let text = fill(self.t(Key::LastDays), &[("n", &days.to_string())]);
            ui.selectable_value(&mut self.state.window, WindowChoice::LastDays(days), text);
        }
        let custom = matches!(self.state.window, WindowChoice::Custom { .. });
        if ui.selectable_label(custom, self.t(Key::CustomRange)).clicked() && !custom {
            self.start_custom_window();
        }
        if custom {
            self.custom_window_ui(ui);
        }
        if let Some(scope) = self.scope() {
            let text = format!("{} – {}", scope.window.start, scope.window.last_day());
            ui.label(RichText::new(text).weak());
        }
    }

    fn start_custom_window(&mut self) {
        let Some(scope) = self.scope() else { return };
        let (start, end) = (scope.window.start, scope.window.last_day());
        self.custom = CustomDraft {
            start: start.to_string(),
            end: end.to_string(),
        };
        self.state.window = WindowChoice::Custom { start, end };
    }

    fn custom_window_ui(&mut self, ui: &mut Ui) {
        if self.custom.start.is_empty()
            && let WindowChoice::Custom { start, end } = self.state.window
        {
            self.custom = CustomDraft {
                start: start.to_string(),
                end: end.to_string(),
            };
        }
        ui.label(self.t(Key::From));
        ui.add(TextEdit::singleline(&mut self.custom.start).desired_width(90.0));
        ui.label(self.t(Key::To));
        ui.add(TextEdit::singleline(&mut self.custom.end).desired_width(90.0));
        match (
            self.custom.start.trim().parse::<NaiveDate>(),
            self.custom.end.trim().parse::<NaiveDate>(),
        ) {
            (Ok(start), Ok(end)) if start <= end => self.state.window = WindowChoice::Custom { start, end },
            _ => {
                ui.label(RichText::new(self.t(Key::InvalidDate)).color(self.state.theme.palette().bad));
            }
        }
    }

    fn filter_combo_ui(&mut self, ui: &mut Ui, dim: Dim) {
        let any = self.t(Key::Any);
        let current = self.state.filters.get(dim).map(str::to_owned);
        let options = self
            .options
            .get(&dim)
            .and_then(|s| s.data())
            .cloned()
            .unwrap_or_default();
        let label = ui.label(self.t(dim.key()));
        let mut chosen = None;
        let combo = ComboBox::from_id_salt(("filter", dim))
            .selected_text(current.clone().unwrap_or_else(|| any.to_owned()))
            .width(120.0)
            .show_ui(ui, |ui| {
                if ui.selectable_label(current.is_none(), any).clicked() {
                    chosen = Some(None);
                }
                for value in &options {
                    if ui.selectable_label(current.as_ref() == Some(value), value).clicked() {
                        chosen = Some(Some(value.clone()));
                    }
                }
            });
        combo.response.labelled_by(label.id);
        match chosen {
            Some(Some(value)) => self.actions.push(Action::SetFilter {
                dim,
                label: value.clone(),
                value,
            }),
            Some(None) => self.actions.push(Action::RemoveFilter(dim)),
            None => {}
        }
    }

    fn chips_ui(&mut self, ui: &mut Ui) {
        ui.label(self.t(Key::Filters));
        let chips: Vec<(Dim, String)> = self
            .state
            .filters
            .iter()
            .map(|(dim, f)| (dim, f.label.clone()))
            .collect();
        for (dim, label) in chips {
            let text = format!("{}: {label}  ×", self.t(dim.key()));
            let chip = ui
                .add(egui::Button::new(text).corner_radius(12.0))
                .on_hover_text(self.t(Key::RemoveFilter));
            if chip.clicked() {
                self.actions.push(Action::RemoveFilter(dim));
            }
        }
        if ui.link(self.t(Key::ClearAll)).clicked() {
            self.state.filters.clear();
        }
    }

    fn banner_ui(&mut self, ui: &mut Ui) {
        let palette = self.state.theme.palette();
        let (title, detail) = match &self.status {
            ConnectionStatus::Unreachable(reason) => (
                self.t(Key::Unreachable),
                format!("{reason}\n{}", self.t(Key::UnreachableHelp)),
            ),
            ConnectionStatus::Unauthorised => (self.t(Key::Unauthorised), self.t(Key::UnauthorisedHelp).to_owned()),
            _ => return,
        };
        egui::Frame::group(ui.style())
            .fill(palette.bad.gamma_multiply(0.12))
            .stroke(egui::Stroke::new(1.0, palette.bad))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new(title).color(palette.bad).strong().size(16.0));
                ui.label(detail);
                ui.horizontal(|ui| {
                    if ui.button(self.t(Key::Retry)).clicked() {
                        self.refresh();
                    }
                    if ui.button(self.t(Key::Settings)).clicked() {
                        self.open_settings();
                    }
                });
            });
        ui.add_space(8.0);
    }

    fn page_ui(&mut self, ui: &mut Ui) {
        let language = self.state.language;
        let palette = self.state.theme.palette();
        let page = self.state.page;
        if page == Page::SqlConsole {
            self.pages
                .console
                .ui(ui, language, palette, &mut self.backend, &mut self.state.console);
            return;
        }
        let Some(scope) = self.scope() else {
            if self.status == ConnectionStatus::Connecting || self.anchor.is_loading() {
                loading_ui(ui, language);
            }
            return;
        };
        let mut ctx = PageCtx {
            language,
            palette,
            scope: &scope,
            backend: &mut self.backend,
            actions: &mut self.actions,
        };
        let pages = &mut self.pages;
        match page {
            Page::Overview => scrolled_ui(ui, |ui| pages.overview.ui(ui, &mut ctx)),
            Page::Trends => scrolled_ui(ui, |ui| pages.trends.ui(ui, &mut ctx, &mut self.state.trends)),
            Page::Distributions => scrolled_ui(ui, |ui| pages.distributions.ui(ui, &mut ctx)),
            Page::TopIssues => scrolled_ui(ui, |ui| pages.top_issues.ui(ui, &mut ctx)),
            Page::Explorer => pages.explorer.ui(ui, &mut ctx),
            Page::SqlConsole => {}
        }
    }

    fn open_settings(&mut self) {
        let c = &self.state.connection;
        self.settings = Some(SettingsDraft {
            url: c.url.clone(),
            api_key: c.api_key.clone().unwrap_or_default(),
            remember_key: self.state.remember_key,
            refresh_secs: self.state.refresh_secs,
        });
    }

    fn settings_ui(&mut self, ui: &mut Ui) {
        let Some(mut draft) = self.settings.take() else { return };
        let mut open = true;
        let mut save = false;
        egui::Window::new(self.t(Key::Settings))
            .collapsible(false)
            .resizable(false)
            .open(&mut open)
            .show(ui.ctx(), |ui| {
                save = self.settings_form_ui(ui, &mut draft);
            });
        if save {
            self.save_settings(draft);
        } else if open {
            self.settings = Some(draft);
        }
    }

    fn settings_form_ui(&self, ui: &mut Ui, draft: &mut SettingsDraft) -> bool {
        egui::Grid::new("settings_grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                ui.label(self.t(Key::ServerUrl));
                ui.add(TextEdit::singleline(&mut draft.url).desired_width(280.0));
                ui.end_row();
                ui.label(self.t(Key::ApiKey));
                ui.add(
                    TextEdit::singleline(&mut draft.api_key)
                        .password(true)
                        .desired_width(280.0),
                );
                ui.end_row();
                ui.label("");
                ui.checkbox(&mut draft.remember_key, self.t(Key::RememberKey));
                ui.end_row();
                ui.label(self.t(Key::AutoRefresh));
                ui.horizontal(|ui| {
                    ui.add(egui::DragValue::new(&mut draft.refresh_secs).range(0..=3600));
                    ui.label(format!(
                        "{} (0 = {})",
                        self.t(Key::Seconds),
                        self.t(Key::AutoRefreshOff)
                    ));
                });
                ui.end_row();
            });
        ui.button(self.t(Key::SaveAndConnect)).clicked()
    }

    fn save_settings(&mut self, draft: SettingsDraft) {
        self.state.remember_key = draft.remember_key;
        self.state.refresh_secs = draft.refresh_secs;
        let key = Some(draft.api_key.trim().to_owned()).filter(|k| !k.is_empty());
        let connection = Connection {
            url: draft.url.trim().to_owned(),
            api_key: key,
        };
        if connection != self.state.connection {
            self.reconnect(connection);
        }
    }
}

fn scrolled_ui(ui: &mut Ui, add_contents: impl FnOnce(&mut Ui)) {
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, add_contents);
}
