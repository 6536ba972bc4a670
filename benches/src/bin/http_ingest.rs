//! Load generator for `POST /v1/feedback`: posts the records of an NDJSON
//! file (from `voxlake generate`) in batches from concurrent clients and
//! reports records/s and acknowledgement latency percentiles.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Parser;
use tokio::sync::Mutex;
use voxlake_benches::percentile_ms;

#[derive(Parser)]
#[command(about = "Post an NDJSON file to a Voxlake server and measure ingest throughput and latency")]
struct Args {
    /// Server base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// NDJSON file of native records (voxlake generate --out FILE.ndjson).
    #[arg(long)]
    file: std::path::PathBuf,
    /// Records per request.
    #[arg(long, default_value_t = 1000)]
    batch: usize,
    /// Concurrent clients.
    #[arg(long, default_value_t = 4)]
    clients: usize,
    /// Bearer token, when the server requires one.
    #[arg(long, env = "VOXLAKE_API_KEY")]
    key: Option<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let bodies: Arc<Vec<String>> = Arc::new(lines.chunks(args.batch.max(1)).map(|c| c.join("\n")).collect());
    let records = lines.len();
    let next = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(bodies.len())));
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients)
        .build()?;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.clients {
        let (http, bodies, next, latencies) = (
            http.clone(),
            Arc::clone(&bodies),
            Arc::clone(&next),
            Arc::clone(&latencies),
        );
        let (url, key) = (format!("{}/v1/feedback", args.url), args.key.clone());
        tasks.push(tokio::spawn(async move {
            client(http, url, key, bodies, next, latencies).await
        }));
    }
    for task in tasks {
        task.await??;
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut samples = latencies.lock().await.clone();
    samples.sort_unstable();
    println!(
        "records {records} | requests {} | batch {} | clients {} | {seconds:.2} s | {:.0} records/s | ack latency ms p50 {:.1} p90 {:.1} p99 {:.1} max {:.1}",
        samples.len(),
        args.batch,
        args.clients,
        records as f64 / seconds,
        percentile_ms(&samples, 50.0),
        percentile_ms(&samples, 90.0),
        percentile_ms(&samples, 99.0),
        percentile_ms(&samples, 100.0),
    );
    Ok(())
}

async fn client(
    http: reqwest::Client,
    url: String,
    key: Option<String>,
    bodies: Arc<Vec<String>>,
    next: Arc<AtomicUsize>,
    latencies: Arc<Mutex<Vec<u64>>>,
) -> anyhow::Result<()> {
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(body) = bodies.get(i) else { return Ok(()) };
        let sent = Instant::now();
        let mut request = http.post(&url).body(body.clone());
        if let Some(key) = &key {
            request = request.bearer_auth(key);
        }
        let response = request.send().await?;
        let status = response.status();
        response.bytes().await?;
        if !status.is_success() {
            bail!("request {i} answered {status}");
        }
        latencies.lock().await.push(sent.elapsed().as_micros() as u64);
    }
}
