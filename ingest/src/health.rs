//! Channel health: for each channel, when it last delivered, how much today,
//! how many records it had refused today and why.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{Int64Type, TimestampMicrosecondType};
use datafusion::prelude::SessionContext;
use futures::TryStreamExt;
use serde::Serialize;

use crate::channels::Channels;
use crate::columns::{opt_str, strings};
use crate::error::Result;
use crate::store::StoreConfig;
use crate::tables::register_all;

/// How many reject reasons to list per channel.
const TOP_REASONS: usize = 3;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ChannelHealth {
    pub channel: String,
    /// Whether a mapping of this name is configured (rows may also come
    /// through the `native` mapping under their own channel names).
    pub configured: bool,
    pub description: String,
    pub last_received: Option<DateTime<Utc>>,
    pub volume_today: u64,
    pub volume_total: u64,
    pub rejects_today: u64,
    pub top_reject_reasons: Vec<RejectReason>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RejectReason {
    pub reason: String,
    pub count: u64,
}

/// Health of every configured channel and every channel seen in the table,
/// sorted by name. "Today" is the UTC day of `now`.
pub async fn channel_health(
    store: &StoreConfig,
    channels: &Channels,
    now: DateTime<Utc>,
) -> Result<Vec<ChannelHealth>> {
    let ctx = SessionContext::new();
    register_all(&ctx, store).await?;
    let mut health: BTreeMap<String, ChannelHealth> = channels
        .iter()
        .map(|c| {
            (
                c.name.clone(),
                ChannelHealth {
                    channel: c.name.clone(),
                    configured: true,
                    description: c.description.clone(),
                    ..Default::default()
                },
            )
        })
        .collect();
    let today = now.date_naive();
    if ctx.table_exist("feedback")? {
        let sql = format!(
            "SELECT channel, max(ingested_at), count(*) FILTER (WHERE ingested_at >= TIMESTAMP '{today}T00:00:00Z'), count(*) \
             FROM feedback GROUP BY channel"
        );
        for batch in query(&ctx, &sql).await? {
            add_volumes(&mut health, &batch)?;
        }
    }
    if ctx.table_exist("ingest_rejects")? {
        let sql = format!(
            "SELECT channel, field, reason, count(*) FROM ingest_rejects WHERE dt = DATE '{today}' GROUP BY channel, field, reason"
        );
        let mut reasons: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
        for batch in query(&ctx, &sql).await? {
            collect_reasons(&mut reasons, &batch)?;
        }
        for (channel, counts) in reasons {
            let entry = health.entry(channel.clone()).or_insert_with(|| ChannelHealth {
                channel,
                ..Default::default()
            });
            entry.rejects_today = counts.values().sum();
            entry.top_reject_reasons = top_reasons(counts);
        }
    }
    Ok(health.into_values().collect())
}

async fn query(ctx: &SessionContext, sql: &str) -> Result<Vec<RecordBatch>> {
    Ok(ctx.sql(sql).await?.execute_stream().await?.try_collect().await?)
}

fn add_volumes(health: &mut BTreeMap<String, ChannelHealth>, batch: &RecordBatch) -> Result<()> {
    let names = strings(batch.column(0))?;
    let last = batch.column(1).as_primitive::<TimestampMicrosecondType>();
    let today = batch.column(2).as_primitive::<Int64Type>();
    let total = batch.column(3).as_primitive::<Int64Type>();
    for i in 0..batch.num_rows() {
        let name = names.value(i).to_owned();
        let entry = health.entry(name.clone()).or_insert_with(|| ChannelHealth {
            channel: name,
            ..Default::default()
        });
        entry.last_received = last
            .is_valid(i)
            .then(|| DateTime::from_timestamp_micros(last.value(i)))
            .flatten();
        entry.volume_today = today.value(i) as u64;
        entry.volume_total = total.value(i) as u64;
    }
    Ok(())
}

fn collect_reasons(reasons: &mut BTreeMap<String, BTreeMap<String, u64>>, batch: &RecordBatch) -> Result<()> {
    let (channels, fields, texts) = (
        strings(batch.column(0))?,
        strings(batch.column(1))?,
        strings(batch.column(2))?,
    );
    let counts = batch.column(3).as_primitive::<Int64Type>();
    for i in 0..batch.num_rows() {
        let reason = reason_kind(opt_str(&fields, i), texts.value(i));
        *reasons
            .entry(channels.value(i).to_owned())
            .or_default()
            .entry(reason)
            .or_default() += counts.value(i) as u64;
    }
    Ok(())
}

/// A reason without the offending values, so that "cannot read `x` as a
/// time" and "cannot read `y` as a time" count as one reason: quoted values
/// become `…`, numbers `N`, and parser details after ": " are dropped.
fn reason_kind(field: Option<&str>, reason: &str) -> String {
    let reason = reason.split(": ").next().unwrap_or(reason);
    let mut kind = String::with_capacity(reason.len());
    let mut quoted = false;
    for c in reason.chars() {
        match c {
            '`' => {
                if !quoted {
                    kind.push('…');
                }
                quoted = !quoted;
            }
            _ if quoted => {}
            c if c.is_ascii_digit() => {
                if !kind.ends_with('N') {
                    kind.push('N');
                }
            }
            c => kind.push(c),
        }
    }
    match field {
        Some(field) => format!("{field}: {}", kind.trim()),
        None => kind.trim().to_owned(),
    }
}

fn top_reasons(counts: BTreeMap<String, u64>) -> Vec<RejectReason> {
    let mut reasons: Vec<_> = counts
        .into_iter()
        .map(|(reason, count)| RejectReason { reason, count })
        .collect();
    reasons.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
    reasons.truncate(TOP_REASONS);
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_group_without_values() {
        assert_eq!(
            reason_kind(Some("received_at"), "cannot read `soon` as a time"),
            "received_at: cannot read … as a time"
        );
        assert_eq!(
            reason_kind(Some("received_at"), "cannot read `later` as a time"),
            "received_at: cannot read … as a time"
        );
        assert_eq!(
            reason_kind(None, "malformed JSON at column 7: EOF while parsing"),
            "malformed JSON at column N"
        );
        assert_eq!(
            reason_kind(Some("text"), "12000000 bytes; the limit is 100000"),
            "text: N bytes; the limit is N"
        );
    }
}
