//! Freshness: how long after `POST /v1/feedback` acknowledges a record it is
//! visible to `POST /v1/sql`. Each round posts one new record and then polls a
//! query for it until it appears; reports p50/p99 of ack → visible (and of the
//! acknowledgement itself) over `--rounds` rounds.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use voxlake_benches::percentile_ms;

#[derive(Parser)]
#[command(about = "Measure the delay from an ingest acknowledgement to the record being visible in SQL")]
struct Args {
    /// Server base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Records to post, one per round.
    #[arg(long, default_value_t = 200)]
    rounds: usize,
    /// An API key allowed to ingest and query (admin).
    #[arg(long, env = "VOXLAKE_API_KEY")]
    key: String,
    /// Give up on a record after this long.
    #[arg(long, default_value_t = 10)]
    timeout_seconds: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let http = reqwest::Client::new();
    let run = std::process::id();
    let (mut ack, mut visible) = (Vec::new(), Vec::new());
    for round in 0..args.rounds {
        let source_id = format!("fresh-{run}-{round}");
        let record = serde_json::json!({
            "channel": "freshness_bench", "source_id": source_id, "customer_id": 7,
            "received_at": chrono::Utc::now().to_rfc3339(), "text": format!("新鲜度测试第{round}条：物流很快，包装完好"),
        });
        let posted = Instant::now();
        let response = http
            .post(format!("{}/v1/feedback", args.url))
            .bearer_auth(&args.key)
            .body(record.to_string())
            .send()
            .await
            .context("posting")?;
        if !response.status().is_success() {
            bail!("ingest answered {}: {}", response.status(), response.text().await?);
        }
        let acknowledged = Instant::now();
        ack.push(micros(acknowledged - posted));
        let sql = format!("SELECT count(*) AS n FROM feedback WHERE source_id = '{source_id}'");
        loop {
            if found(&http, &args, &sql).await? {
                visible.push(micros(acknowledged.elapsed()));
                break;
            }
            if acknowledged.elapsed() > Duration::from_secs(args.timeout_seconds) {
                bail!("{source_id} not visible after {} s", args.timeout_seconds);
            }
        }
    }
    ack.sort_unstable();
    visible.sort_unstable();
    println!(
        "rounds {}: ack p50 {:.1} ms p99 {:.1} ms; ack → visible in SQL p50 {:.1} ms p99 {:.1} ms max {:.1} ms",
        args.rounds,
        percentile_ms(&ack, 50.0),
        percentile_ms(&ack, 99.0),
        percentile_ms(&visible, 50.0),
        percentile_ms(&visible, 99.0),
        percentile_ms(&visible, 100.0),
    );
    Ok(())
}

async fn found(http: &reqwest::Client, args: &Args, sql: &str) -> anyhow::Result<bool> {
    let answer: serde_json::Value = http
        .post(format!("{}/v1/sql", args.url))
        .bearer_auth(&args.key)
        .body(serde_json::json!({ "sql": sql }).to_string())
        .send()
        .await?
        .json()
        .await?;
    Ok(answer["rows"][0]["n"].as_i64() == Some(1))
}

fn micros(d: Duration) -> u64 {
    d.as_micros() as u64
}
