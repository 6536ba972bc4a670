//! Per-topic figures for a time window, the body of the engine's
//! `top_issues(start, end, k)` table function: volume, distinct customers,
//! average sentiment, trend against the window before, and the most central
//! feedback as examples. A pure function over column slices (as they come out
//! of Arrow arrays), with a deterministic order.

use std::collections::{HashMap, HashSet};

use super::error::{Error, Result};
use super::model::TopicId;

/// The current window `[start_micros, end_micros)`; the previous window is the
/// equally long span just before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IssueWindow {
    pub start_micros: i64,
    pub end_micros: i64,
}

impl IssueWindow {
    fn previous_start(&self) -> i64 {
        self.start_micros
            .saturating_sub(self.end_micros.saturating_sub(self.start_micros))
    }
}

/// One column per field, all the same length (one entry per feedback).
#[derive(Clone, Copy, Debug)]
pub struct IssueRows<'a> {
    pub topic_ids: &'a [Option<TopicId>],
    /// Cosine to the topic (from [`super::Assignment::similarity`]): examples are the highest.
    pub similarities: &'a [f32],
    pub customer_ids: &'a [Option<i64>],
    /// Sentiment scores in [-1, 1].
    pub sentiments: &'a [Option<f64>],
    pub timestamps_micros: &'a [i64],
    pub feedback_ids: &'a [&'a str],
}

/// What one topic looked like in the window.
#[derive(Clone, Debug, PartialEq)]
pub struct TopicSummary {
    pub topic_id: TopicId,
    pub volume: u64,
    /// Distinct customer ids; feedback without one counts as one customer each.
    pub customers: u64,
    pub avg_sentiment: Option<f64>,
    pub previous_volume: u64,
    /// `volume / previous_volume`; `None` when the topic had no feedback before.
    pub trend: Option<f64>,
    /// Feedback ids of the most central feedback, most central first.
    pub examples: Vec<String>,
}

#[derive(Default)]
struct Acc<'a> {
    volume: u64,
    anonymous: u64,
    customers: HashSet<i64>,
    sentiment_sum: f64,
    sentiment_n: u64,
    previous: u64,
    central: Vec<(f32, &'a str)>,
}

/// Topics with feedback in `window`, by volume (then customers, then id).
pub fn summarize_topics(rows: &IssueRows<'_>, window: IssueWindow, examples: usize) -> Result<Vec<TopicSummary>> {
    check_lengths(rows)?;
    let previous = window.previous_start()..window.start_micros;
    let current = window.start_micros..window.end_micros;
    let mut acc: HashMap<TopicId, Acc<'_>> = HashMap::new();
    for i in 0..rows.topic_ids.len() {
        let (Some(topic), at) = (rows.topic_ids[i], rows.timestamps_micros[i]) else {
            continue;
        };
        if previous.contains(&at) {
            acc.entry(topic).or_default().previous += 1;
        } else if current.contains(&at) {
            add(acc.entry(topic).or_default(), rows, i);
        }
    }
    let mut out: Vec<TopicSummary> = acc
        .into_iter()
        .filter(|(_, a)| a.volume > 0)
        .map(|(id, a)| finish(id, a, examples))
        .collect();
    out.sort_by(|a, b| {
        b.volume
            .cmp(&a.volume)
            .then(b.customers.cmp(&a.customers))
            .then(a.topic_id.cmp(&b.topic_id))
    });
    Ok(out)
}

fn check_lengths(rows: &IssueRows<'_>) -> Result<()> {
    let n = rows.topic_ids.len();
    let lengths = [
        rows.similarities.len(),
        rows.customer_ids.len(),
        rows.sentiments.len(),
        rows.timestamps_micros.len(),
        rows.feedback_ids.len(),
    ];
    if lengths.iter().any(|&l| l != n) {
        return Err(Error::Input(format!(
            "issue columns differ in length: {n} topics, others {lengths:?}"
        )));
    }
    Ok(())
}

fn add<'a>(a: &mut Acc<'a>, rows: &IssueRows<'a>, i: usize) {
    a.volume += 1;
    match rows.customer_ids[i] {
        Some(c) => {
            a.customers.insert(c);
        }
        None => a.anonymous += 1,
    }
    if let Some(s) = rows.sentiments[i].filter(|s| s.is_finite()) {
        a.sentiment_sum += s;
        a.sentiment_n += 1;
    }
    a.central.push((rows.similarities[i], rows.feedback_ids[i]));
}

fn finish(topic_id: TopicId, mut a: Acc<'_>, examples: usize) -> TopicSummary {
    a.central.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(y.1)));
    TopicSummary {
        topic_id,
        volume: a.volume,
        customers: a.customers.len() as u64 + a.anonymous,
        avg_sentiment: (a.sentiment_n > 0).then(|| a.sentiment_sum / a.sentiment_n as f64),
        previous_volume: a.previous,
        trend: (a.previous > 0).then(|| a.volume as f64 / a.previous as f64),
        examples: a
            .central
            .iter()
            .take(examples)
            .map(|(_, id)| (*id).to_owned())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000_000;

    #[test]
    fn summarises_current_window_against_previous() {
        let topic_ids = [
            Some(1),
            Some(1),
            Some(1),
            Some(2),
            Some(2),
            None,
            Some(1),
            Some(2),
            Some(3),
        ];
        let similarities = [0.2, 0.9, 0.5, 0.3, 0.3, 0.0, 0.9, 0.1, 0.4];
        let customer_ids = [
            Some(7),
            Some(7),
            None,
            Some(8),
            Some(9),
            Some(1),
            Some(7),
            Some(8),
            Some(5),
        ];
        let sentiments = [
            Some(-0.8),
            Some(-0.4),
            None,
            Some(-1.0),
            Some(0.0),
            None,
            Some(0.5),
            None,
            None,
        ];
        // Rows 0-5 in the current week, 6-7 in the previous one, 8 long before.
        let timestamps_micros = [7, 8, 9, 10, 11, 12, 1, 2, -30].map(|d| d * DAY);
        let feedback_ids = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        let rows = IssueRows {
            topic_ids: &topic_ids,
            similarities: &similarities,
            customer_ids: &customer_ids,
            sentiments: &sentiments,
            timestamps_micros: &timestamps_micros,
            feedback_ids: &feedback_ids,
        };
        let window = IssueWindow {
            start_micros: 7 * DAY,
            end_micros: 14 * DAY,
        };
        let out = summarize_topics(&rows, window, 2).unwrap();
        assert_eq!(out.len(), 2, "topic 3 had nothing in the window");
        let t1 = &out[0];
        assert_eq!((t1.topic_id, t1.volume, t1.customers, t1.previous_volume), (1, 3, 2, 1));
        assert!((t1.avg_sentiment.unwrap() - -0.6).abs() < 1e-12);
        assert_eq!(t1.trend, Some(3.0));
        assert_eq!(t1.examples, ["b", "c"]);
        let t2 = &out[1];
        assert_eq!((t2.topic_id, t2.volume, t2.customers), (2, 2, 2));
        assert_eq!(t2.trend, Some(2.0));
        assert_eq!(t2.examples, ["d", "e"], "ties by feedback id");
    }

    #[test]
    fn new_topics_have_no_trend_and_ties_order_by_id() {
        let rows = IssueRows {
            topic_ids: &[Some(9), Some(4)],
            similarities: &[0.5, 0.5],
            customer_ids: &[None, None],
            sentiments: &[None, Some(f64::NAN)],
            timestamps_micros: &[0, 0],
            feedback_ids: &["x", "y"],
        };
        let out = summarize_topics(
            &rows,
            IssueWindow {
                start_micros: 0,
                end_micros: 1,
            },
            3,
        )
        .unwrap();
        assert_eq!(out.iter().map(|s| s.topic_id).collect::<Vec<_>>(), [4, 9]);
        assert!(
            out.iter()
                .all(|s| s.trend.is_none() && s.avg_sentiment.is_none() && s.customers == 1)
        );
    }

    #[test]
    fn mismatched_columns_are_an_error() {
        let rows = IssueRows {
            topic_ids: &[Some(1)],
            similarities: &[],
            customer_ids: &[None],
            sentiments: &[None],
            timestamps_micros: &[0],
            feedback_ids: &["x"],
        };
        let err = summarize_topics(
            &rows,
            IssueWindow {
                start_micros: 0,
                end_micros: 1,
            },
            1,
        )
        .unwrap_err();
        assert!(matches!(err, Error::Input(_)), "{err}");
    }
}
