//! `voxlake topics`: the recurring issues of a window, as `top_issues` ranks them.

use std::process::ExitCode;

use anyhow::Context;
use chrono::{Days, NaiveDate};
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::TimestampMicrosecondType;
use futures::TryStreamExt;
use voxlake_engine::Engine;
use voxlake_sql::query::{QueryOptions, run_query};

use crate::cli::TopicsArgs;
use crate::commands::sql::print_query;
use crate::settings::Settings;

/// The window when none is given: the last week of the data.
const DEFAULT_DAYS: u64 = 7;

pub async fn run(settings: &Settings, args: &TopicsArgs) -> anyhow::Result<ExitCode> {
    let engine = Engine::new(settings.engine_config()?)?;
    let (start, end) = day_window(&engine, args.start, args.end, DEFAULT_DAYS).await?;
    anyhow::ensure!(start < end, "--start {start} must be before --end {end}");
    eprintln!("recurring issues from {start} to {end} (end excluded)");
    print_query(&engine, &query(start, end, args.k), args.format).await?;
    Ok(ExitCode::SUCCESS)
}

/// The `top_issues` query the command prints; dates are typed values, never user text.
fn query(start: NaiveDate, end: NaiveDate, k: u32) -> String {
    format!(
        "SELECT topic_id, name, keywords, volume, previous_volume, round(trend, 2) AS trend, customers, \
         round(avg_sentiment, 2) AS avg_sentiment, priority, sample_feedback_ids \
         FROM top_issues('{start}', '{end}', {k})"
    )
}

/// `[start, end)` with what was not given filled in: `end` is the day after
/// the newest feedback (so the default window is the data's last days whether
/// it is live or a historical import), `start` is `days` before `end`.
pub async fn day_window(
    engine: &Engine,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    days: u64,
) -> anyhow::Result<(NaiveDate, NaiveDate)> {
    let end = match end {
        Some(end) => end,
        None => day_after_latest_feedback(engine).await?,
    };
    let start = start.unwrap_or_else(|| end.checked_sub_days(Days::new(days)).unwrap_or(end));
    Ok((start, end))
}

async fn day_after_latest_feedback(engine: &Engine) -> anyhow::Result<NaiveDate> {
    let stream = run_query(
        engine,
        "SELECT max(received_at) FROM feedback",
        &QueryOptions::unrestricted(),
    )
    .await
    .context("finding the latest feedback (is the store empty?)")?;
    let batches: Vec<_> = stream.try_collect().await?;
    let latest = batches
        .iter()
        .find(|b| b.num_rows() > 0)
        .map(|b| b.column(0).as_primitive::<TimestampMicrosecondType>().clone())
        .filter(|column| !column.is_null(0))
        .and_then(|column| chrono::DateTime::from_timestamp_micros(column.value(0)))
        .context("the feedback table is empty: pass --start and --end")?;
    latest
        .date_naive()
        .checked_add_days(Days::new(1))
        .context("the latest feedback is at the end of the calendar")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_names_the_window_and_count() {
        let start = NaiveDate::from_ymd_opt(2025, 9, 8).expect("valid");
        let end = NaiveDate::from_ymd_opt(2025, 9, 15).expect("valid");
        let sql = query(start, end, 3);
        assert!(sql.ends_with("FROM top_issues('2025-09-08', '2025-09-15', 3)"), "{sql}");
    }
}
