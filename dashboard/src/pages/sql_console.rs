//! SQL console: an editor with run (Ctrl+Enter) and cancel, the result in the
//! virtualised grid with its row count and elapsed time, CSV export (written
//! on a thread of its own), and errors shown with the position they point at.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, sync_channel};
use std::time::{Duration, Instant};

use egui::{Key as EguiKey, Modifiers, RichText, TextEdit, Ui};
use serde::{Deserialize, Serialize};

use super::Purpose;
use crate::backend::{Backend, Reply, Request, RequestId};
use crate::error::Error;
use crate::format;
use crate::i18n::{Key, Language, fill};
use crate::table::Table;
use crate::theme::Palette;
use crate::widgets::grid::result_grid_ui;

/// What the console remembers between runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleState {
    pub sql: String,
    pub export_path: String,
}

impl Default for ConsoleState {
    fn default() -> Self {
        Self {
            sql: "SELECT channel, count(*) AS n, round(avg(rating), 2) AS avg_rating\nFROM feedback\nGROUP BY channel\nORDER BY n DESC".to_owned(),
            export_path: "voxlake-export.csv".to_owned(),
        }
    }
}

#[derive(Default)]
pub struct SqlConsole {
    running: Option<(RequestId, Instant)>,
    result: Option<Table>,
    error: Option<Error>,
    elapsed: Option<Duration>,
    /// The SQL of the result or error shown (for the error caret).
    ran_sql: String,
    export: Option<Receiver<Result<String, String>>>,
    export_status: Option<Result<String, String>>,
}

impl SqlConsole {
    pub fn on_reply(&mut self, reply: Reply<Purpose>) {
        if self.running.map(|(id, _)| id) != Some(reply.id) {
            return;
        }
        self.running = None;
        self.elapsed = Some(reply.elapsed);
        match reply.result {
            Ok(table) => (self.result, self.error) = (Some(table), None),
            Err(e) => (self.result, self.error) = (None, Some(e)),
        }
    }

    pub fn is_loading(&self) -> bool {
        self.running.is_some() || self.export.is_some()
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        language: Language,
        palette: Palette,
        backend: &mut Backend<Purpose>,
        state: &mut ConsoleState,
    ) {
        self.poll_export();
        let run_key = ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, EguiKey::Enter));
        self.toolbar_ui(ui, language, backend, state, run_key);
        ui.add(
            TextEdit::multiline(&mut state.sql)
                .code_editor()
                .desired_rows(8)
                .desired_width(f32::INFINITY)
                .id_salt("sql_editor"),
        );
        ui.add_space(4.0);
        if let Some(e) = &self.error {
            error_ui(ui, language, palette, e, &self.ran_sql);
        }
        if let Some(table) = self.result.take() {
            self.export_ui(ui, language, palette, &table, &mut state.export_path);
            result_grid_ui(ui, "console_grid", &table, None, None);
            self.result = Some(table);
        }
    }

    fn toolbar_ui(
        &mut self,
        ui: &mut Ui,
        language: Language,
        backend: &mut Backend<Purpose>,
        state: &ConsoleState,
        run_key: bool,
    ) {
        ui.horizontal(|ui| {
            let idle = self.running.is_none();
            let run = ui
                .add_enabled(idle, egui::Button::new(Key::Run.text(language)))
                .clicked();
            if (run || (run_key && idle)) && !state.sql.trim().is_empty() {
                self.run(backend, &state.sql);
            }
            if ui
                .add_enabled(!idle, egui::Button::new(Key::Cancel.text(language)))
                .clicked()
            {
                self.cancel(backend);
            }
            ui.label(RichText::new(Key::RunHint.text(language)).weak());
            ui.separator();
            self.status_ui(ui, language);
        });
    }

    fn status_ui(&self, ui: &mut Ui, language: Language) {
        if let Some((_, started)) = self.running {
            ui.spinner();
            ui.label(format!(
                "{} {:.1} s",
                Key::Running.text(language),
                started.elapsed().as_secs_f32()
            ));
            ui.ctx().request_repaint_after(Duration::from_millis(100));
            return;
        }
        let elapsed = self
            .elapsed
            .map(|d| format!("{} ms", d.as_millis()))
            .unwrap_or_default();
        if let Some(table) = &self.result {
            ui.label(format!(
                "{}: {} · {} {elapsed}",
                Key::Rows.text(language),
                format::count(table.num_rows() as i64),
                Key::Elapsed.text(language)
            ));
            if table.truncated {
                ui.label(fill(
                    Key::Truncated.text(language),
                    &[("n", &format::count(table.num_rows() as i64))],
                ));
            }
        } else if self.error == Some(Error::Cancelled) {
            ui.label(Key::Cancelled.text(language));
        }
    }

    fn run(&mut self, backend: &mut Backend<Purpose>, sql: &str) {
        self.ran_sql = sql.to_owned();
        self.export_status = None;
        match backend.submit(Purpose::Console, Request::Sql(sql.to_owned())) {
            Ok(id) => self.running = Some((id, Instant::now())),
            Err(e) => self.error = Some(e),
        }
    }

    fn cancel(&mut self, backend: &mut Backend<Purpose>) {
        if let Some((id, started)) = self.running.take() {
            backend.cancel(id);
            self.elapsed = Some(started.elapsed());
            self.result = None;
            self.error = Some(Error::Cancelled);
        }
    }

    fn export_ui(&mut self, ui: &mut Ui, language: Language, palette: Palette, table: &Table, path: &mut String) {
        ui.horizontal(|ui| {
            ui.label(Key::ExportPath.text(language));
            ui.add(TextEdit::singleline(path).desired_width(320.0));
            let idle = self.export.is_none();
            if ui
                .add_enabled(idle, egui::Button::new(Key::ExportCsv.text(language)))
                .clicked()
            {
                self.export = Some(spawn_export(table.clone(), PathBuf::from(path.trim())));
            }
            match &self.export_status {
                Some(Ok(path)) => {
                    let n = format::count(table.num_rows() as i64);
                    ui.label(
                        RichText::new(fill(Key::ExportedTo.text(language), &[("n", &n), ("path", path)]))
                            .color(palette.good),
                    );
                }
                Some(Err(e)) => {
                    ui.label(RichText::new(e).color(palette.bad));
                }
                None => {}
            }
        });
    }

    fn poll_export(&mut self) {
        if let Some(done) = self.export.as_ref().and_then(|rx| rx.try_recv().ok()) {
            self.export_status = Some(done);
            self.export = None;
        }
    }
}

/// The error, and for parser errors the offending line with a caret under
/// the column.
fn error_ui(ui: &mut Ui, language: Language, palette: Palette, error: &Error, sql: &str) {
    if *error == Error::Cancelled {
        return;
    }
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.0, palette.bad))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(Key::QueryFailed.text(language))
                    .color(palette.bad)
                    .strong(),
            );
            ui.label(error.to_string());
            let Some((line, column)) = error.position() else { return };
            ui.label(fill(
                Key::Position.text(language),
                &[("line", &line.to_string()), ("column", &column.to_string())],
            ));
            if let Some(text) = sql.lines().nth(line.saturating_sub(1)) {
                let caret = format!("{}^", " ".repeat(column.saturating_sub(1)));
                ui.label(RichText::new(format!("{text}\n{caret}")).monospace().color(palette.bad));
            }
        });
}

/// Write `table` as CSV (as displayed) to `path` on a thread of its own.
fn spawn_export(table: Table, path: PathBuf) -> Receiver<Result<String, String>> {
    let (tx, rx) = sync_channel(1);
    std::thread::spawn(move || {
        let result = write_csv(&table, &path)
            .map(|()| path.display().to_string())
            .map_err(|e| format!("{}: {e}", path.display()));
        tx.send(result).ok();
    });
    rx
}

fn write_csv(table: &Table, path: &std::path::Path) -> Result<(), csv::Error> {
    let mut writer = csv::Writer::from_path(path)?;
    writer.write_record(table.schema.fields().iter().map(|f| f.name().as_str()))?;
    let columns = table.schema.fields().len();
    for r in 0..table.num_rows() {
        writer.write_record((0..columns).map(|c| table.display(c, r).unwrap_or_default()))?;
    }
    writer.flush()?;
    Ok(())
}
