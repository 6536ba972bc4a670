//! Top issues: the window's recurring issues from the server's SQL table
//! function `top_issues(start, end, k)` — name, keywords, volume, a trend
//! arrow against the previous window and sample feedback — with a click
//! through to the feedback of an issue. When the server has no topic model
//! the page says so instead of drawing anything.
//!
//! The function's columns are read by name and tolerate a few spellings
//! (`name`/`issue`/`label`, `volume`/`n`/`count`, `topic_id`/`id`), since
//! the function is younger than this page.

use std::collections::BTreeMap;

use egui::{Label, RichText, Ui};

use super::{Action, Page, PageCtx, Purpose};
use crate::backend::Reply;
use crate::filters::Dim;
use crate::format;
use crate::i18n::Key;
use crate::queries;
use crate::slot::Slot;
use crate::table::Table;
use crate::widgets::status::{slot_state_ui, unavailable_ui};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Issues,
    Previous,
    Samples,
}

#[derive(Clone, Debug, PartialEq)]
struct Issue {
    topic_id: Option<i64>,
    name: String,
    keywords: String,
    volume: i64,
    sample: Option<String>,
}

#[derive(Default)]
pub struct TopIssues {
    issues: Slot<Vec<Issue>>,
    previous: Slot<BTreeMap<i64, i64>>,
    samples: Slot<BTreeMap<i64, Vec<String>>>,
}

impl TopIssues {
    pub fn on_reply(&mut self, part: Part, reply: Reply<Purpose>) {
        let Reply {
            id, result, elapsed, ..
        } = reply;
        match part {
            Part::Issues => self.issues.accept(id, result, elapsed, |t| issues(&t)),
            Part::Previous => self.previous.accept(id, result, elapsed, |t| volumes(&t)),
            Part::Samples => self.samples.accept(id, result, elapsed, |t| samples(&t)),
        }
    }

    pub fn invalidate(&mut self) {
        self.issues.invalidate();
        self.previous.invalidate();
        self.samples.invalidate();
    }

    pub fn is_loading(&self) -> bool {
        self.issues.is_loading() || self.previous.is_loading() || self.samples.is_loading()
    }

    pub fn ui(&mut self, ui: &mut Ui, ctx: &mut PageCtx<'_>) {
        self.issues.ensure(queries::top_issues(&ctx.scope.window), |sql| {
            ctx.submit(Purpose::TopIssues(Part::Issues), sql)
        });
        if let Some(e) = self.issues.error().filter(|e| e.is_missing("top_issues")) {
            unavailable_ui(ui, ctx.palette, ctx.t(Key::TopIssuesNa), Some(&e.to_string()));
            return;
        }
        let Some(issues) = self.issues.data() else {
            if slot_state_ui(ui, ctx.language, ctx.palette, &self.issues) {
                ctx.actions.push(Action::Retry);
            }
            return;
        };
        if issues.is_empty() || issues.iter().all(|i| i.name.is_empty()) {
            unavailable_ui(ui, ctx.palette, ctx.t(Key::TopIssuesNa), None);
            return;
        }
        let ids: Vec<i64> = issues.iter().filter_map(|i| i.topic_id).collect();
        let previous = ctx.scope.window.previous();
        self.previous.ensure(queries::issue_volumes(&previous, &ids), |sql| {
            ctx.submit(Purpose::TopIssues(Part::Previous), sql)
        });
        self.samples.ensure(queries::issue_samples(ctx.scope, &ids), |sql| {
            ctx.submit(Purpose::TopIssues(Part::Samples), sql)
        });
        ui.label(RichText::new(ctx.t(Key::TopIssuesScope)).color(ctx.palette.muted));
        ui.add_space(6.0);
        let issues = issues.clone();
        for (rank, issue) in issues.iter().enumerate() {
            self.issue_ui(ui, ctx, rank + 1, issue);
        }
    }

    fn issue_ui(&self, ui: &mut Ui, ctx: &mut PageCtx<'_>, rank: usize, issue: &Issue) {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.strong(format!("{rank}. {}", issue.name));
                ui.label(format::count(issue.volume));
                self.trend_ui(ui, ctx, issue);
                if let Some(id) = issue.topic_id
                    && ui.button(ctx.t(Key::ShowFeedback)).clicked()
                {
                    ctx.actions.push(Action::SetFilter {
                        dim: Dim::Topic,
                        value: id.to_string(),
                        label: issue.name.clone(),
                    });
                    ctx.actions.push(Action::Navigate(Page::Explorer));
                }
            });
            if !issue.keywords.is_empty() {
                ui.label(format!("{}: {}", ctx.t(Key::Keywords), issue.keywords));
            }
            for sample in self.samples_of(issue) {
                ui.add(Label::new(RichText::new(format!("“{sample}”")).italics()).truncate());
            }
        });
    }

    fn trend_ui(&self, ui: &mut Ui, ctx: &PageCtx<'_>, issue: &Issue) {
        let (Some(id), Some(previous)) = (issue.topic_id, self.previous.data()) else {
            return;
        };
        let before = previous.get(&id).copied().unwrap_or(0);
        let (arrow, color) = match issue.volume.cmp(&before) {
            std::cmp::Ordering::Greater => ("▲", ctx.palette.bad),
            std::cmp::Ordering::Less => ("▼", ctx.palette.good),
            std::cmp::Ordering::Equal => ("■", ctx.palette.muted),
        };
        let text = format::relative_change(issue.volume as f64, before as f64).unwrap_or_else(|| "new".to_owned());
        ui.label(RichText::new(format!("{arrow} {text}")).color(color))
            .on_hover_text(ctx.t(Key::VsPrevious));
    }

    fn samples_of(&self, issue: &Issue) -> Vec<String> {
        if let Some(sample) = &issue.sample {
            return vec![sample.clone()];
        }
        let from_query = issue
            .topic_id
            .and_then(|id| self.samples.data().and_then(|s| s.get(&id)));
        from_query.cloned().unwrap_or_default()
    }
}

/// The first of `names` that `table` has.
fn pick<'a>(table: &Table, names: &[&'a str]) -> Option<&'a str> {
    names.iter().copied().find(|n| table.column_index(n).is_some())
}

fn issues(table: &Table) -> Vec<Issue> {
    let name = pick(table, &["name", "issue", "label", "title"]);
    let volume = pick(table, &["volume", "n", "count", "feedback"]);
    let id = pick(table, &["topic_id", "id"]);
    let sample = pick(table, &["sample", "sample_text", "example"]);
    (0..table.num_rows())
        .map(|r| Issue {
            topic_id: id.and_then(|c| table.i64(c, r)),
            name: name.and_then(|c| table.text(c, r)).unwrap_or_default(),
            keywords: table.text("keywords", r).unwrap_or_default(),
            volume: volume.and_then(|c| table.i64(c, r)).unwrap_or(0),
            sample: sample.and_then(|c| table.text(c, r)),
        })
        .collect()
}

fn volumes(table: &Table) -> BTreeMap<i64, i64> {
    (0..table.num_rows())
        .filter_map(|r| Some((table.i64("topic_id", r)?, table.i64("n", r)?)))
        .collect()
}

fn samples(table: &Table) -> BTreeMap<i64, Vec<String>> {
    let mut out: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for r in 0..table.num_rows() {
        if let (Some(id), Some(text)) = (table.i64("topic_id", r), table.text("text", r)) {
            out.entry(id).or_default().push(text);
        }
    }
    out
}
