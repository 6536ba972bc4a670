//! Every SQL statement the dashboard sends, built here from the global
//! [`Scope`] so that all pages filter the same way. Values only ever enter
//! SQL through [`quote`](crate::filters::quote) or as parsed numbers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::filters::{Dim, Filters, Window, quote};

/// Rows the explorer loads (newest first).
pub const EXPLORER_LIMIT: usize = 100_000;
/// Values offered per filter drop-down, and bars per distribution.
pub const OPTION_LIMIT: usize = 200;
pub const BAR_LIMIT: usize = 15;
/// Issues asked of `top_issues`.
pub const TOP_ISSUES_K: usize = 10;

/// The window and filters every page query is restricted to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    pub window: Window,
    pub filters: Filters,
}

/// Time buckets of the trend charts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Grain {
    #[default]
    Day,
    Week,
    Month,
}

impl Grain {
    fn sql(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }
}

/// `negative` as 1, other labels 0, unlabelled NULL: its average is the
/// negative share among labelled feedback.
const NEGATIVE: &str =
    "CASE WHEN sentiment_label IS NULL THEN NULL WHEN sentiment_label = 'negative' THEN 1.0 ELSE 0.0 END";

fn timestamp(day: NaiveDate) -> String {
    format!("TIMESTAMP '{day}T00:00:00Z'")
}

/// The rows of `window` (the `dt` bounds let the engine skip partitions).
fn window_sql(window: &Window) -> String {
    format!(
        "dt >= DATE '{s}' AND dt < DATE '{e}' AND received_at >= {ts} AND received_at < {te}",
        s = window.start,
        e = window.end,
        ts = timestamp(window.start),
        te = timestamp(window.end),
    )
}

/// `WHERE …` for `window` and `filters`.
fn where_sql(window: &Window, filters: &Filters) -> String {
    let mut parts = vec![window_sql(window)];
    parts.extend(filters.sql());
    format!("WHERE {}", parts.join(" AND "))
}

/// The newest feedback's time: the "now" of relative windows.
pub fn anchor() -> String {
    "SELECT max(received_at) AS anchor FROM feedback".to_owned()
}

/// Volume, rating and spam of the window and of the one before, one row each
/// (`period` = 'current' / 'previous').
pub fn overview_base(scope: &Scope) -> String {
    let both = Window {
        start: scope.window.previous().start,
        end: scope.window.end,
    };
    format!(
        "SELECT CASE WHEN received_at >= {start} THEN 'current' ELSE 'previous' END AS period, \
         count(*) AS volume, avg(rating) AS avg_rating, avg(CASE WHEN is_spam THEN 1.0 ELSE 0.0 END) AS spam_share \
         FROM feedback {w} GROUP BY 1",
        start = timestamp(scope.window.start),
        w = where_sql(&both, &scope.filters),
    )
}

/// Negative share (among labelled feedback) of the window and the one before.
pub fn overview_sentiment(scope: &Scope) -> String {
    let both = Window {
        start: scope.window.previous().start,
        end: scope.window.end,
    };
    format!(
        "SELECT CASE WHEN received_at >= {start} THEN 'current' ELSE 'previous' END AS period, \
         count(sentiment_label) AS labelled, avg({NEGATIVE}) AS negative_share \
         FROM feedback {w} GROUP BY 1",
        start = timestamp(scope.window.start),
        w = where_sql(&both, &scope.filters),
    )
}

/// Volume, average sentiment and negative share per time bucket, optionally
/// per value of `split` (`series`).
pub fn trend(scope: &Scope, grain: Grain, split: Option<Dim>) -> String {
    let series = split.map_or("'all'".to_owned(), |d| format!("CAST({} AS VARCHAR)", d.expr()));
    format!(
        "SELECT date_trunc('{g}', received_at) AS bucket, {series} AS series, count(*) AS volume, \
         avg(sentiment_score) AS avg_sentiment, avg({NEGATIVE}) AS negative_share \
         FROM feedback {w} GROUP BY 1, 2 ORDER BY 1, 2",
        g = grain.sql(),
        w = where_sql(&scope.window, &scope.filters),
    )
}

/// Feedback per value of `dim`, largest first (`value`, `n`).
pub fn distribution(scope: &Scope, dim: Dim) -> String {
    format!(
        "SELECT CAST({e} AS VARCHAR) AS value, count(*) AS n FROM feedback {w} GROUP BY 1 ORDER BY n DESC, value LIMIT {BAR_LIMIT}",
        e = dim.expr(),
        w = where_sql(&scope.window, &scope.filters),
    )
}

/// The values of `dim` in `window` (unfiltered), for the filter drop-downs.
pub fn filter_options(window: &Window, dim: Dim) -> String {
    format!(
        "SELECT DISTINCT CAST({e} AS VARCHAR) AS value FROM feedback WHERE {w} AND {e} IS NOT NULL ORDER BY 1 LIMIT {OPTION_LIMIT}",
        e = dim.expr(),
        w = window_sql(window),
    )
}

/// The recurring issues of the window, from the server's topic model.
pub fn top_issues(window: &Window) -> String {
    format!(
        "SELECT * FROM top_issues({}, {}, {TOP_ISSUES_K})",
        timestamp(window.start),
        timestamp(window.end)
    )
}

/// Feedback per issue in `window` (for trend arrows against the previous window).
pub fn issue_volumes(window: &Window, topic_ids: &[i64]) -> String {
    format!(
        "SELECT topic_id, count(*) AS n FROM feedback WHERE {w} AND topic_id IN ({ids}) GROUP BY 1",
        w = window_sql(window),
        ids = id_list(topic_ids),
    )
}

/// Up to two recent feedback texts per issue.
pub fn issue_samples(scope: &Scope, topic_ids: &[i64]) -> String {
    format!(
        "SELECT topic_id, text FROM (SELECT topic_id, text, row_number() OVER (PARTITION BY topic_id ORDER BY received_at DESC) AS rn \
         FROM feedback {w} AND topic_id IN ({ids}) AND NOT is_spam) WHERE rn <= 2 ORDER BY topic_id, rn",
        w = where_sql(&scope.window, &scope.filters),
        ids = id_list(topic_ids),
    )
}

fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "NULL".to_owned();
    }
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

/// The explorer's columns, newest first.
pub fn explorer_rows(scope: &Scope) -> String {
    format!(
        "SELECT feedback_id, received_at, channel, product, region, rating, sentiment_label, category_l1, text \
         FROM feedback {w} ORDER BY received_at DESC LIMIT {EXPLORER_LIMIT}",
        w = where_sql(&scope.window, &scope.filters),
    )
}

/// How many rows the explorer's scope holds (it shows at most [`EXPLORER_LIMIT`]).
pub fn explorer_count(scope: &Scope) -> String {
    format!(
        "SELECT count(*) AS n FROM feedback {}",
        where_sql(&scope.window, &scope.filters)
    )
}

/// Every column of one feedback (on its day's partition).
pub fn feedback_detail(feedback_id: &str, day: NaiveDate) -> String {
    format!(
        "SELECT * FROM feedback WHERE dt = DATE '{day}' AND feedback_id = {}",
        quote(feedback_id)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> Scope {
        let window = Window {
            start: "2025-12-25".parse().expect("day"),
            end: "2026-01-01".parse().expect("day"),
        };
        let mut filters = Filters::default();
        filters.set(Dim::Channel, "app");
        Scope { window, filters }
    }

    #[test]
    fn every_query_is_restricted_to_window_and_filters() {
        let s = scope();
        for sql in [
            overview_base(&s),
            trend(&s, Grain::Week, Some(Dim::Region)),
            distribution(&s, Dim::Region),
            explorer_rows(&s),
        ] {
            assert!(sql.contains("received_at < TIMESTAMP '2026-01-01T00:00:00Z'"), "{sql}");
            assert!(sql.contains("dt >= DATE"), "{sql}");
            assert!(sql.contains("channel = 'app'"), "{sql}");
        }
    }

    #[test]
    fn overview_spans_the_previous_window_too() {
        assert!(overview_base(&scope()).contains("received_at >= TIMESTAMP '2025-12-18T00:00:00Z'"));
    }

    #[test]
    fn ids_are_numbers_only() {
        assert_eq!(id_list(&[]), "NULL");
        assert_eq!(id_list(&[3, 1]), "3, 1");
        assert!(feedback_detail("a'b", "2025-01-01".parse().expect("day")).contains("'a''b'"));
    }
}
