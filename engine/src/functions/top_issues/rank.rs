//! The body of `top_issues`: cluster the window's negative feedback into
//! topics (or assign it to the saved topic model's topics, whose ids are
//! stable), count each topic in the window and the one before it, score its
//! priority, and rank by excess volume over the previous window, then priority.
//! Pure and synchronous: the caller runs it off the async runtime.

use std::collections::HashMap;
use std::sync::Arc;

use voxlake_models::bundle::Models;
use voxlake_models::topics::{
    Assignment, CustomerTier, IssueRows, IssueWindow, Priority, PriorityInput, TopicConfig, TopicId, TopicModel,
    TopicSummary, priority, summarize_topics,
};

/// Example feedback ids returned per topic.
pub(crate) const EXAMPLES: usize = 5;

/// The negative feedback of the current and the previous window.
#[derive(Debug, Default)]
pub(crate) struct WindowRows {
    pub feedback_ids: Vec<String>,
    pub texts: Vec<String>,
    pub customer_ids: Vec<Option<i64>>,
    pub tiers: Vec<Option<CustomerTier>>,
    pub sentiments: Vec<Option<f64>>,
    pub timestamps_micros: Vec<i64>,
    /// The `topic_id` ingest stored (from the saved topic model), if any.
    pub stored_topics: Vec<Option<TopicId>>,
}

impl WindowRows {
    pub fn len(&self) -> usize {
        self.texts.len()
    }
}

/// One recurring issue of the window.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Issue {
    pub summary: TopicSummary,
    pub name: String,
    pub keywords: Vec<String>,
    /// `volume - previous_volume`: how much more it was reported than before.
    pub excess: i64,
    pub priority: Priority,
}

/// The `k` top issues of `window` among `rows`.
pub(crate) fn top_issues(
    models: &Models,
    rows: &WindowRows,
    window: IssueWindow,
    k: usize,
) -> Result<Vec<Issue>, String> {
    let current: Vec<usize> = (0..rows.len())
        .filter(|&i| rows.timestamps_micros[i] >= window.start_micros)
        .collect();
    if current.is_empty() {
        return Ok(Vec::new());
    }
    let (model, assignments) = assign(models, rows, &current, window.start_micros)?;
    let topic_ids: Vec<_> = assignments.iter().map(|a| a.topic_id).collect();
    let similarities: Vec<f32> = assignments.iter().map(|a| a.similarity).collect();
    let ids: Vec<&str> = rows.feedback_ids.iter().map(String::as_str).collect();
    let issue_rows = IssueRows {
        topic_ids: &topic_ids,
        similarities: &similarities,
        customer_ids: &rows.customer_ids,
        sentiments: &rows.sentiments,
        timestamps_micros: &rows.timestamps_micros,
        feedback_ids: &ids,
    };
    let summaries = summarize_topics(&issue_rows, window, EXAMPLES).map_err(|e| e.to_string())?;
    let mut issues: Vec<Issue> = summaries
        .into_iter()
        .map(|s| issue(&model, rows, &assignments, window.start_micros, s))
        .collect();
    issues.sort_by(|a, b| {
        (b.excess, b.priority.level, b.summary.volume)
            .cmp(&(a.excess, a.priority.level, a.summary.volume))
            .then(b.priority.score.total_cmp(&a.priority.score))
            .then(a.summary.topic_id.cmp(&b.summary.topic_id))
    });
    issues.truncate(k);
    Ok(issues)
}

/// The topic of every row: from the saved topic model when there is one
/// (stable ids), else from topics fitted on the current window.
fn assign(
    models: &Models,
    rows: &WindowRows,
    current: &[usize],
    start: i64,
) -> Result<(Arc<TopicModel>, Vec<Assignment>), String> {
    match &models.topics {
        Some(saved) => Ok((Arc::clone(saved), assign_saved(saved, rows, start))),
        None => {
            let texts: Vec<&str> = fit_sample(current).map(|i| rows.texts[i].as_str()).collect();
            let (fitted, _) = TopicModel::fit(&texts, window_config(texts.len()), Arc::clone(&models.tokenizer))
                .map_err(|e| e.to_string())?;
            let assignments = fitted.assign_all(&rows.texts);
            Ok((Arc::new(fitted), assignments))
        }
    }
}

/// Rows of one topic in the current window whose closeness to it is
/// measured, to pick the topic's examples among them.
const EXAMPLE_CANDIDATES: usize = 64;

/// Rows enriched at ingest keep the topic they were stored with (the saved
/// model's ids are stable): tokenising every text of two busy weeks again was
/// most of the cost of `top_issues`. Rows without one (or whose topic the
/// model has since retired) are assigned now, and so are the first
/// [`EXAMPLE_CANDIDATES`] current rows of each topic, for their similarity.
fn assign_saved(model: &TopicModel, rows: &WindowRows, start: i64) -> Vec<Assignment> {
    let mut candidates: HashMap<TopicId, usize> = HashMap::new();
    let stored: Vec<Option<TopicId>> = rows
        .stored_topics
        .iter()
        .map(|t| t.filter(|&id| model.topic(id).is_some()))
        .collect();
    let assign_now: Vec<bool> = (0..rows.len())
        .map(|i| match stored[i] {
            None => true,
            Some(id) if rows.timestamps_micros[i] >= start => {
                let seen = candidates.entry(id).or_default();
                *seen += 1;
                *seen <= EXAMPLE_CANDIDATES
            }
            Some(_) => false,
        })
        .collect();
    let now: Vec<usize> = (0..rows.len()).filter(|&i| assign_now[i]).collect();
    let texts: Vec<&str> = now.iter().map(|&i| rows.texts[i].as_str()).collect();
    let mut fresh = model.assign_all(&texts).into_iter();
    (0..rows.len())
        .map(|i| match (stored[i], assign_now[i]) {
            (None, _) => fresh.next().unwrap_or_else(|| stored_assignment(None, 0.0)),
            (Some(id), true) => {
                let now = fresh.next().filter(|a| a.nearest == Some(id));
                stored_assignment(Some(id), now.map_or(0.0, |a| a.similarity))
            }
            (Some(id), false) => stored_assignment(Some(id), 0.0),
        })
        .collect()
}

fn stored_assignment(id: Option<TopicId>, similarity: f32) -> Assignment {
    Assignment {
        topic_id: id,
        nearest: id,
        similarity,
    }
}

/// Most texts the topics of a window are fitted on. Beyond some thousands
/// of examples more texts barely move the topics but fitting (tokenising, the
/// SVD, k-means and its choice of k) grows with them: a busy week of a large
/// table was tens of seconds. Every row is still assigned to the topics.
const MAX_FIT_TEXTS: usize = 10_000;

/// An evenly spread, deterministic sample of the current window's rows for
/// fitting: every n-th row in the window's fixed order.
fn fit_sample(current: &[usize]) -> impl Iterator<Item = usize> + '_ {
    let step = current.len().div_ceil(MAX_FIT_TEXTS).max(1);
    current.iter().step_by(step).copied()
}

/// The default topic settings, with at most one topic per three texts in a
/// small window (fewer texts than that are not a recurring issue).
fn window_config(texts: usize) -> TopicConfig {
    let defaults = TopicConfig::default();
    let k_max = (texts / 3).clamp(1, defaults.k_max);
    TopicConfig {
        k: (k_max < defaults.k_min).then_some(k_max),
        k_max: k_max.max(defaults.k_min),
        ..defaults
    }
}

fn issue(
    model: &TopicModel,
    rows: &WindowRows,
    assignments: &[Assignment],
    start: i64,
    summary: TopicSummary,
) -> Issue {
    let (name, keywords) = model
        .topic(summary.topic_id)
        .map(|t| (t.name(), t.terms.clone()))
        .unwrap_or_default();
    // Severity is read from the topic's words and its most central texts; reach
    // and tier from the topic's customers in the window.
    let members = |i: &usize| assignments[*i].topic_id == Some(summary.topic_id) && rows.timestamps_micros[*i] >= start;
    let texts: Vec<&str> = summary
        .examples
        .iter()
        .filter_map(|id| rows.feedback_ids.iter().position(|f| f == id))
        .map(|i| rows.texts[i].as_str())
        .collect();
    let tier = (0..rows.len()).filter(members).filter_map(|i| rows.tiers[i]).max();
    let text = format!("{name} {}", texts.join(" "));
    let priority = priority(&PriorityInput {
        text: &text,
        sentiment: summary.avg_sentiment,
        customers: summary.customers,
        tier,
    });
    Issue {
        excess: summary.volume as i64 - summary.previous_volume as i64,
        name,
        keywords,
        priority,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use voxlake_models::bundle::LiveModels;

    use super::*;

    const DAY: i64 = 86_400_000_000;

    fn rows(items: &[(i64, &str)]) -> WindowRows {
        let mut rows = WindowRows::default();
        for (i, (day, text)) in items.iter().enumerate() {
            rows.feedback_ids.push(format!("f{i}"));
            rows.texts.push((*text).to_owned());
            rows.customer_ids.push(Some(i as i64));
            rows.tiers.push(None);
            rows.sentiments.push(Some(-0.9));
            rows.timestamps_micros.push(day * DAY);
            rows.stored_topics.push(None);
        }
        rows
    }

    #[test]
    fn small_windows_get_few_topics() {
        assert_eq!(window_config(2).k, Some(1));
        assert_eq!(window_config(9).k, Some(3));
        let large = window_config(10_000);
        assert_eq!((large.k, large.k_max), (None, TopicConfig::default().k_max));
    }

    #[test]
    fn fitting_sees_an_even_sample_of_large_windows_only() {
        let small: Vec<usize> = (0..500).collect();
        assert_eq!(fit_sample(&small).count(), 500);
        let large: Vec<usize> = (0..45_001).collect();
        let sample: Vec<usize> = fit_sample(&large).collect();
        assert!(sample.len() <= MAX_FIT_TEXTS, "{}", sample.len());
        assert!(sample.len() > MAX_FIT_TEXTS / 2, "{}", sample.len());
        assert_eq!((sample[0], sample[1]), (0, 5), "every fifth row");
        assert!(*sample.last().unwrap_or(&0) > 44_000, "spread over the whole window");
    }

    #[test]
    fn the_growing_issue_ranks_first() {
        let crash = "App打开就闪退，根本用不了";
        let late = "快递太慢了，等了一个星期";
        // Day 0-6 is the previous week, 7-13 the current one.
        let rows = rows(&[
            (1, late),
            (2, late),
            (3, late),
            (8, late),
            (8, crash),
            (9, crash),
            (10, crash),
            (11, crash),
            (12, late),
        ]);
        let window = IssueWindow {
            start_micros: 7 * DAY,
            end_micros: 14 * DAY,
        };
        let models = LiveModels::shipped().current();
        let issues = top_issues(&models, &rows, window, 10).expect("ranked");
        let first = &issues[0];
        assert_eq!(
            first.summary.examples,
            ["f4", "f5", "f6", "f7"],
            "the crash reports: {issues:?}"
        );
        assert_eq!((first.summary.volume, first.excess), (4, 4));
        assert_eq!(issues[1].excess, -1, "slow delivery fell from 3 to 2");
        assert!(top_issues(&models, &rows, window, 1).expect("ranked").len() == 1);
    }

    #[test]
    fn with_a_saved_model_stored_topics_are_kept_and_only_the_rest_assigned() {
        let crash = "App打开就闪退，根本用不了";
        let late = "快递太慢了，等了一个星期";
        let shipped = LiveModels::shipped().current();
        let texts = [crash, late].repeat(6);
        let (model, _) =
            TopicModel::fit(&texts, window_config(texts.len()), Arc::clone(&shipped.tokenizer)).expect("fits");
        let crash_topic = model.assign(crash).topic_id.expect("a crash topic");
        let late_topic = model.assign(late).topic_id.expect("a delivery topic");
        assert_ne!(crash_topic, late_topic);
        let mut rows = rows(&[(8, late), (8, late), (9, crash)]);
        // The first row was stored under the crash topic: it stays there
        // (no re-assignment); a retired id (999) is assigned afresh.
        rows.stored_topics = vec![Some(crash_topic), Some(999), None];
        let assignments = assign_saved(&model, &rows, 7 * DAY);
        let topics: Vec<_> = assignments.iter().map(|a| a.topic_id).collect();
        assert_eq!(topics, [Some(crash_topic), Some(late_topic), Some(crash_topic)]);
        assert_eq!(assignments[0].similarity, 0.0, "not its nearest topic: no similarity");
        assert!(assignments[2].similarity > 0.0);

        let mut models = (*shipped).clone();
        models.topics = Some(Arc::new(model));
        let window = IssueWindow {
            start_micros: 7 * DAY,
            end_micros: 14 * DAY,
        };
        let issues = top_issues(&models, &rows, window, 10).expect("ranked");
        let volume = |id| {
            issues
                .iter()
                .find(|i| i.summary.topic_id == id)
                .map(|i| i.summary.volume)
        };
        assert_eq!((volume(crash_topic), volume(late_topic)), (Some(2), Some(1)));
    }

    #[test]
    fn an_empty_current_window_has_no_issues() {
        let rows = rows(&[(1, "App打开就闪退")]);
        let window = IssueWindow {
            start_micros: 7 * DAY,
            end_micros: 14 * DAY,
        };
        let models = LiveModels::shipped().current();
        assert!(top_issues(&models, &rows, window, 10).expect("ranked").is_empty());
    }
}
