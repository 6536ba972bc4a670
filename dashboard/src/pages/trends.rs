//! Trends: volume, average sentiment and negative share over time (day, week
//! or month), optionally split by channel, category, product or region.
//! Hovering shows a point's series, date and value; clicking a legend entry
//! hides or shows its series.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use egui::Ui;
use egui_plot::{HoverPosition, Legend, Line, Plot};
use serde::{Deserialize, Serialize};

use super::{Action, PageCtx, Purpose};
use crate::backend::Reply;
use crate::filters::Dim;
use crate::format;
use crate::i18n::{Key, fill};
use crate::queries::{self, Grain};
use crate::slot::Slot;
use crate::table::Table;
use crate::theme::SERIES;
use crate::widgets::status::{slot_state_ui, unavailable_ui};

/// Series drawn at most (the largest by volume).
const MAX_SERIES: usize = 8;
const SPLITS: [Dim; 4] = [Dim::Channel, Dim::CategoryL1, Dim::Product, Dim::Region];

/// The user's choices on this page (remembered between runs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendSettings {
    pub grain: Grain,
    pub split: Option<Dim>,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Series {
    name: String,
    total: i64,
    volume: Vec<[f64; 2]>,
    sentiment: Vec<[f64; 2]>,
    negative: Vec<[f64; 2]>,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct TrendData {
    /// Largest first, at most [`MAX_SERIES`].
    series: Vec<Series>,
    series_total: usize,
    volume_total: i64,
    buckets: usize,
}

#[derive(Default)]
pub struct Trends {
    data: Slot<TrendData>,
}

impl Trends {
    pub fn on_reply(&mut self, reply: Reply<Purpose>) {
        self.data
            .accept(reply.id, reply.result, reply.elapsed, |t| trend_data(&t));
    }

    pub fn invalidate(&mut self) {
        self.data.invalidate();
    }

    pub fn is_loading(&self) -> bool {
        self.data.is_loading()
    }

    pub fn ui(&mut self, ui: &mut Ui, ctx: &mut PageCtx<'_>, settings: &mut TrendSettings) {
        controls_ui(ui, ctx, settings);
        let sql = queries::trend(ctx.scope, settings.grain, settings.split);
        self.data.ensure(sql, |sql| ctx.submit(Purpose::Trends, sql));
        ui.separator();
        let Some(data) = self.data.data() else {
            if slot_state_ui(ui, ctx.language, ctx.palette, &self.data) {
                ctx.actions.push(Action::Retry);
            }
            return;
        };
        if self.data.is_loading() {
            ui.spinner();
        }
        charts_ui(ui, ctx, data);
    }
}

fn controls_ui(ui: &mut Ui, ctx: &PageCtx<'_>, settings: &mut TrendSettings) {
    ui.horizontal(|ui| {
        ui.label(ctx.t(Key::Grain));
        for (grain, key) in [
            (Grain::Day, Key::Day),
            (Grain::Week, Key::Week),
            (Grain::Month, Key::Month),
        ] {
            ui.selectable_value(&mut settings.grain, grain, ctx.t(key));
        }
        ui.separator();
        ui.label(ctx.t(Key::SplitBy));
        ui.selectable_value(&mut settings.split, None, ctx.t(Key::NoSplit));
        for dim in SPLITS {
            ui.selectable_value(&mut settings.split, Some(dim), ctx.t(dim.key()));
        }
    });
}

fn charts_ui(ui: &mut Ui, ctx: &PageCtx<'_>, data: &TrendData) {
    if data.series.is_empty() {
        ui.label(ctx.t(Key::NoData));
        return;
    }
    let total = fill(
        ctx.t(Key::TrendTotal),
        &[
            ("n", &format::count(data.volume_total)),
            ("buckets", &data.buckets.to_string()),
        ],
    );
    ui.label(total);
    if data.series_total > data.series.len() {
        let shown = fill(
            ctx.t(Key::SeriesShown),
            &[
                ("n", &data.series.len().to_string()),
                ("total", &data.series_total.to_string()),
            ],
        );
        ui.label(shown);
    }
    chart_ui(ui, "trend_volume", ctx.t(Key::Volume), data, |s| &s.volume);
    if data.series.iter().all(|s| s.sentiment.is_empty()) {
        unavailable_ui(ui, ctx.palette, ctx.t(Key::SentimentScoreNa), None);
        return;
    }
    chart_ui(ui, "trend_sentiment", ctx.t(Key::AverageSentiment), data, |s| {
        &s.sentiment
    });
    chart_ui(ui, "trend_negative", ctx.t(Key::NegativeShare), data, |s| &s.negative);
}

fn chart_ui(ui: &mut Ui, id: &str, title: &str, data: &TrendData, points: impl Fn(&Series) -> &Vec<[f64; 2]>) {
    ui.add_space(8.0);
    ui.strong(title);
    Plot::new(id)
        .height(220.0)
        .legend(Legend::default())
        .allow_scroll(false)
        .x_axis_formatter(|mark, _| day_label(mark.value))
        .label_formatter(hover_label)
        .show(ui, |plot| {
            for (i, series) in data.series.iter().enumerate() {
                let line = Line::new(series.name.clone(), points(series).clone())
                    .color(SERIES[i % SERIES.len()])
                    .width(2.0);
                plot.add(line);
            }
        });
}

/// Days since 1970-01-01: the x axis of every time chart.
pub fn day_number(t: DateTime<Utc>) -> f64 {
    t.timestamp() as f64 / 86_400.0
}

/// The date at `x` days since 1970-01-01.
pub fn day_label(x: f64) -> String {
    let date = DateTime::from_timestamp((x * 86_400.0).round() as i64, 0).map(|t| t.date_naive());
    date.unwrap_or(NaiveDate::MIN).format("%Y-%m-%d").to_string()
}

/// Tooltip near a data point: series, date, value.
pub fn hover_label(position: &HoverPosition<'_>) -> Option<String> {
    match position {
        HoverPosition::NearDataPoint {
            plot_name, position, ..
        } => Some(format!(
            "{plot_name}\n{}\n{}",
            day_label(position.x),
            value_label(position.y)
        )),
        HoverPosition::Elsewhere { .. } => None,
    }
}

fn value_label(y: f64) -> String {
    if y.fract() == 0.0 {
        format::count(y as i64)
    } else {
        format!("{y:.3}")
    }
}

fn trend_data(table: &Table) -> TrendData {
    let mut by_name: BTreeMap<String, Series> = BTreeMap::new();
    let mut buckets = std::collections::BTreeSet::new();
    for r in 0..table.num_rows() {
        let Some(t) = table.timestamp("bucket", r) else {
            continue;
        };
        let x = day_number(t);
        buckets.insert(t);
        let name = table.text("series", r).unwrap_or_else(|| "–".to_owned());
        let series = by_name.entry(name.clone()).or_insert_with(|| Series {
            name,
            ..Series::default()
        });
        let volume = table.i64("volume", r).unwrap_or(0);
        series.total += volume;
        series.volume.push([x, volume as f64]);
        if let Some(v) = table.f64("avg_sentiment", r) {
            series.sentiment.push([x, v]);
        }
        if let Some(v) = table.f64("negative_share", r) {
            series.negative.push([x, v]);
        }
    }
    let mut series: Vec<Series> = by_name.into_values().collect();
    series.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
    let series_total = series.len();
    let volume_total = series.iter().map(|s| s.total).sum();
    series.truncate(MAX_SERIES);
    TrendData {
        series,
        series_total,
        volume_total,
        buckets: buckets.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        let t = DateTime::parse_from_rfc3339("2025-12-31T00:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(day_label(day_number(t)), "2025-12-31");
    }
}
