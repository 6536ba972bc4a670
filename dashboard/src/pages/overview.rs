//! Overview: the KPI tiles of the window (volume, negative share, average
//! rating, spam share, backlog), each against the previous window of the
//! same length, and daily volume / negative-share sparklines.

use egui::Ui;
use egui_plot::{Line, Plot};

use super::{PageCtx, Purpose};
use crate::backend::Reply;
use crate::format;
use crate::i18n::Key;
use crate::queries::{self, Grain};
use crate::slot::Slot;
use crate::table::Table;
use crate::widgets::status::{slot_state_ui, unavailable_ui};
use crate::widgets::tile::{Better, Change, Tile};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Base,
    Sentiment,
    Daily,
}

/// One window's volume, rating and spam.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Base {
    volume: i64,
    avg_rating: Option<f64>,
    spam_share: Option<f64>,
}

/// One window's labelled count and negative share.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Sentiment {
    labelled: i64,
    negative_share: Option<f64>,
}

/// Current and previous window.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Periods<T> {
    current: T,
    previous: Option<T>,
}

/// Daily points, x in days since 1970-01-01.
#[derive(Clone, Debug, Default, PartialEq)]
struct Daily {
    volume: Vec<[f64; 2]>,
    negative: Vec<[f64; 2]>,
}

#[derive(Default)]
pub struct Overview {
    base: Slot<Periods<Base>>,
    sentiment: Slot<Periods<Sentiment>>,
    daily: Slot<Daily>,
}

impl Overview {
    pub fn on_reply(&mut self, part: Part, reply: Reply<Purpose>) {
        let Reply {
            id, result, elapsed, ..
        } = reply;
        match part {
            Part::Base => self.base.accept(id, result, elapsed, |t| periods(&t, base_row)),
            Part::Sentiment => self
                .sentiment
                .accept(id, result, elapsed, |t| periods(&t, sentiment_row)),
            Part::Daily => self.daily.accept(id, result, elapsed, |t| daily(&t)),
        }
    }

    pub fn invalidate(&mut self) {
        self.base.invalidate();
        self.sentiment.invalidate();
        self.daily.invalidate();
    }

    pub fn is_loading(&self) -> bool {
        self.base.is_loading() || self.sentiment.is_loading() || self.daily.is_loading()
    }

    pub fn ui(&mut self, ui: &mut Ui, ctx: &mut PageCtx<'_>) {
        self.request(ctx);
        if self.base.data().is_none() {
            if slot_state_ui(ui, ctx.language, ctx.palette, &self.base) {
                ctx.actions.push(super::Action::Retry);
            }
            return;
        }
        self.tiles_ui(ui, ctx);
        ui.add_space(16.0);
        self.sparklines_ui(ui, ctx);
    }

    fn request(&mut self, ctx: &mut PageCtx<'_>) {
        let scope = ctx.scope.clone();
        self.base.ensure(queries::overview_base(&scope), |sql| {
            ctx.submit(Purpose::Overview(Part::Base), sql)
        });
        self.sentiment.ensure(queries::overview_sentiment(&scope), |sql| {
            ctx.submit(Purpose::Overview(Part::Sentiment), sql)
        });
        self.daily.ensure(queries::trend(&scope, Grain::Day, None), |sql| {
            ctx.submit(Purpose::Overview(Part::Daily), sql)
        });
    }

    fn tiles_ui(&self, ui: &mut Ui, ctx: &PageCtx<'_>) {
        let tiles = [
            self.volume_tile(ctx),
            self.negative_tile(ctx),
            self.rating_tile(ctx),
            self.spam_tile(ctx),
            backlog_tile(ctx),
        ];
        let spacing = ui.spacing().item_spacing.x;
        let width = ((ui.available_width() - 5.0 * (spacing + 26.0)) / 5.0).max(150.0);
        ui.horizontal_wrapped(|ui| {
            for tile in tiles {
                tile.ui(ui, ctx.palette, width);
            }
        });
    }

    fn volume_tile(&self, ctx: &PageCtx<'_>) -> Tile<'static> {
        let periods = self.base.data().copied().unwrap_or_default();
        let current = periods.current.volume as f64;
        let change = periods
            .previous
            .and_then(|p| relative(current, p.volume as f64, Better::Neither));
        Tile {
            title: ctx.t(Key::Volume),
            value: format::count(periods.current.volume),
            change,
            note: previous_note(ctx, periods.previous.is_some()),
            help: Some(ctx.t(Key::VolumeHelp)),
        }
    }

    fn rating_tile(&self, ctx: &PageCtx<'_>) -> Tile<'static> {
        let periods = self.base.data().copied().unwrap_or_default();
        let current = periods.current.avg_rating;
        let previous = periods.previous.and_then(|p| p.avg_rating);
        let change = current.zip(previous).map(|(c, p)| Change {
            text: format!("{:+.2}", c - p),
            sign: c - p,
            better: Better::Up,
        });
        Tile {
            title: ctx.t(Key::AverageRating),
            value: current.map_or("–".to_owned(), |r| format!("{r:.2}")),
            change,
            note: previous_note(ctx, previous.is_some()),
            help: None,
        }
    }

    fn spam_tile(&self, ctx: &PageCtx<'_>) -> Tile<'static> {
        let periods = self.base.data().copied().unwrap_or_default();
        share_tile(
            ctx,
            ctx.t(Key::SpamShare),
            periods.current.spam_share,
            periods.previous.and_then(|p| p.spam_share),
        )
    }

    fn negative_tile(&self, ctx: &PageCtx<'_>) -> Tile<'static> {
        let title = ctx.t(Key::NegativeShare);
        let Some(periods) = self.sentiment.data() else {
            let value = if self.sentiment.is_loading() { "…" } else { "n/a" };
            let note = self.sentiment.error().map(|e| e.to_string());
            return Tile {
                title,
                value: value.to_owned(),
                change: None,
                note,
                help: None,
            };
        };
        if periods.current.labelled == 0 {
            return Tile {
                title,
                value: "n/a".to_owned(),
                change: None,
                note: Some(ctx.t(Key::SentimentNa).to_owned()),
                help: None,
            };
        }
        share_tile(
            ctx,
            title,
            periods.current.negative_share,
            periods.previous.and_then(|p| p.negative_share),
        )
    }
}

fn share_tile(ctx: &PageCtx<'_>, title: &'static str, current: Option<f64>, previous: Option<f64>) -> Tile<'static> {
    let change = current.zip(previous).map(|(c, p)| Change {
        text: format::point_change(c, p),
        sign: c - p,
        better: Better::Down,
    });
    Tile {
        title,
        value: current.map_or("–".to_owned(), format::percent),
        change,
        note: previous_note(ctx, previous.is_some()),
        help: None,
    }
}

fn backlog_tile(ctx: &PageCtx<'_>) -> Tile<'static> {
    Tile {
        title: ctx.t(Key::Backlog),
        value: "n/a".to_owned(),
        change: None,
        note: Some(ctx.t(Key::BacklogNa).to_owned()),
        help: None,
    }
}

fn relative(current: f64, previous: f64, better: Better) -> Option<Change> {
    format::relative_change(current, previous).map(|text| Change {
        text,
        sign: current - previous,
        better,
    })
}

fn previous_note(ctx: &PageCtx<'_>, has_previous: bool) -> Option<String> {
    (!has_previous).then(|| ctx.t(Key::NoPrevious).to_owned())
}

impl Overview {
    fn sparklines_ui(&self, ui: &mut Ui, ctx: &PageCtx<'_>) {
        let Some(daily) = self.daily.data() else {
            slot_state_ui(ui, ctx.language, ctx.palette, &self.daily);
            return;
        };
        let width = (ui.available_width() / 2.0 - 12.0).max(200.0);
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(width);
                ui.strong(ctx.t(Key::VolumeTrend));
                sparkline_ui(
                    ui,
                    "overview_volume",
                    ctx.t(Key::Volume),
                    &daily.volume,
                    ctx.palette.accent,
                    width,
                );
            });
            ui.vertical(|ui| {
                ui.set_width(width);
                ui.strong(ctx.t(Key::NegativeTrend));
                if daily.negative.is_empty() {
                    unavailable_ui(ui, ctx.palette, ctx.t(Key::SentimentNa), None);
                } else {
                    sparkline_ui(
                        ui,
                        "overview_negative",
                        ctx.t(Key::NegativeShare),
                        &daily.negative,
                        ctx.palette.bad,
                        width,
                    );
                }
            });
        });
    }
}

fn sparkline_ui(ui: &mut Ui, id: &str, name: &str, points: &[[f64; 2]], color: egui::Color32, width: f32) {
    Plot::new(id)
        .height(140.0)
        .width(width)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_y(0.0)
        .show_axes([true, true])
        .x_axis_formatter(|mark, _| super::trends::day_label(mark.value))
        .label_formatter(super::trends::hover_label)
        .show(ui, |plot| {
            plot.add(Line::new(name, points.to_vec()).color(color).fill(0.0))
        });
}

fn periods<T: Default>(table: &Table, row: impl Fn(&Table, usize) -> T) -> Periods<T> {
    let mut out = Periods::default();
    for r in 0..table.num_rows() {
        match table.text("period", r).as_deref() {
            Some("current") => out.current = row(table, r),
            Some("previous") => out.previous = Some(row(table, r)),
            _ => {}
        }
    }
    out
}

fn base_row(table: &Table, r: usize) -> Base {
    Base {
        volume: table.i64("volume", r).unwrap_or(0),
        avg_rating: table.f64("avg_rating", r),
        spam_share: table.f64("spam_share", r),
    }
}

fn sentiment_row(table: &Table, r: usize) -> Sentiment {
    Sentiment {
        labelled: table.i64("labelled", r).unwrap_or(0),
        negative_share: table.f64("negative_share", r),
    }
}

fn daily(table: &Table) -> Daily {
    let mut out = Daily::default();
    for r in 0..table.num_rows() {
        let Some(x) = table.timestamp("bucket", r).map(super::trends::day_number) else {
            continue;
        };
        out.volume.push([x, table.f64("volume", r).unwrap_or(0.0)]);
        if let Some(share) = table.f64("negative_share", r) {
            out.negative.push([x, share]);
        }
    }
    out
}
