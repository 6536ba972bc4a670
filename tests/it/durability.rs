//! Nothing acknowledged is lost, nothing is stored twice: SIGKILL the server
//! at random moments of a large ingest, restart it, and check every record it
//! acknowledged is there exactly once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use crate::server::{Server, voxlake};

const CLIENTS: usize = 6;
const BATCH: usize = 200;
const ROUNDS: usize = 3;

fn batch_body(client: usize, seq: usize) -> String {
    (0..BATCH)
        .map(|i| {
            json!({
                "channel": "app", "source_id": format!("c{client}-b{seq}-r{i}"),
                "received_at": "2025-06-01T10:00:00+08:00", "customer_id": client * 1_000_000 + seq * 1000 + i,
                "text": format!("第{seq}批第{i}条：更新之后经常闪退，希望尽快修复")
            })
            .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Post batches until the server dies; record every acknowledged source_id → id.
async fn hammer(
    url: String,
    key: String,
    client: usize,
    first_seq: usize,
    acked: Arc<Mutex<HashMap<String, String>>>,
) -> usize {
    let http = reqwest::Client::new();
    let mut seq = first_seq;
    loop {
        let response = http
            .post(format!("{url}/v1/feedback"))
            .bearer_auth(&key)
            .body(batch_body(client, seq))
            .send()
            .await;
        let Ok(response) = response else { return seq };
        let Ok(answer) = response.json::<Value>().await else {
            return seq;
        };
        let results = answer["results"].as_array().cloned().unwrap_or_default();
        let mut acked = acked.lock().expect("lock");
        for (i, result) in results.iter().enumerate() {
            acked.insert(
                format!("c{client}-b{seq}-r{i}"),
                result["id"].as_str().unwrap_or_default().to_owned(),
            );
        }
        seq += 1;
    }
}

#[test]
fn sigkill_during_ingest_loses_no_acknowledged_record() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let acked = Arc::new(Mutex::new(HashMap::new()));
    let mut rng = rand::rngs::SmallRng::seed_from_u64(7);
    let mut key = None;
    for round in 0..ROUNDS {
        let server = Server::start(&data, &["--compact-every-minutes", "0"]);
        key = key.or(server.key.clone());
        let key = key.clone().expect("the first start created a key");
        let clients: Vec<_> = (0..CLIENTS)
            .map(|c| {
                runtime.spawn(hammer(
                    server.url.clone(),
                    key.clone(),
                    c,
                    round * 100_000,
                    Arc::clone(&acked),
                ))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(rng.random_range(400..1500)));
        server.kill();
        for client in clients {
            runtime.block_on(client).expect("client task");
        }
    }
    let acked = acked.lock().expect("lock").clone();
    assert!(
        acked.len() > 1000,
        "the test acknowledged too little to mean anything: {}",
        acked.len()
    );

    let (ok, out, err) = voxlake(
        &["sql", "SELECT source_id, feedback_id FROM feedback", "--format", "csv"],
        &data,
    );
    assert!(ok, "query after restart failed: {err}");
    let mut stored: HashMap<String, Vec<String>> = HashMap::new();
    for line in out.lines().skip(1) {
        let (source, id) = line.split_once(',').expect("two columns");
        stored.entry(source.to_owned()).or_default().push(id.to_owned());
    }
    let doubled: Vec<_> = stored.iter().filter(|(_, ids)| ids.len() > 1).collect();
    assert!(
        doubled.is_empty(),
        "rows stored twice: {:?}",
        &doubled[..doubled.len().min(5)]
    );
    for (source, id) in &acked {
        assert_eq!(
            stored.get(source),
            Some(&vec![id.clone()]),
            "acknowledged {source} is stored once under its id"
        );
    }
}

#[test]
fn sigterm_shuts_down_cleanly_and_keeps_everything() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let server = Server::start(&data, &[]);
    let key = server.key.clone().expect("first start creates a key");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let status = runtime.block_on(async {
        let http = reqwest::Client::new();
        http.post(format!("{}/v1/feedback", server.url))
            .bearer_auth(&key)
            .body(batch_body(0, 0))
            .send()
            .await
            .expect("posted")
            .status()
    });
    assert!(status.is_success());
    server.stop();
    let (ok, out, _) = voxlake(&["sql", "SELECT count(*) FROM feedback", "--format", "csv"], &data);
    assert!(ok && out.lines().nth(1) == Some(&BATCH.to_string()[..]), "{out}");
}
