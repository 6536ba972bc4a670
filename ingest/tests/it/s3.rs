//! The lake on S3-compatible storage: moto's S3 server on a loopback port.
//!
//! moto comes from PyPI (`pip install 'moto[server]'`, done by .ci/run). On a
//! developer machine without it the test says so and passes; under CI it fails,
//! so a broken install cannot hide a broken feature.

use std::collections::HashMap;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use voxlake_ingest::crypto::ContactCipher;
use voxlake_ingest::record::{Outcome, Position, SourceRecord};
use voxlake_ingest::store::StoreConfig;
use voxlake_ingest::{Durability, Ingest, IngestConfig};

use crate::helpers::{Lake, native_line};

struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn start_moto() -> Option<Moto> {
    let port = free_port();
    let child = Command::new("python3")
        .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let moto = Moto {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(moto);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

fn moto_installed() -> bool {
    Command::new("python3")
        .args(["-c", "import moto.server"])
        .status()
        .is_ok_and(|s| s.success())
}

/// Create a bucket with a plain S3 `PUT /bucket` (moto accepts it unsigned).
fn create_bucket(endpoint: &str, bucket: &str) {
    let host = endpoint.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).expect("connect to moto");
    use std::io::{Read, Write};
    write!(
        stream,
        "PUT /{bucket} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).ok();
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "bucket creation failed: {response}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn lake_on_s3_compatible_storage() {
    if !moto_installed() {
        assert!(
            std::env::var("CI").is_err(),
            "moto must be installed in CI (pip install 'moto[server]')"
        );
        eprintln!("skipping: moto is not installed (pip install 'moto[server]')");
        return;
    }
    let moto = start_moto().expect("moto server starts");
    create_bucket(&moto.endpoint, "voxlake");
    let options = HashMap::from([
        ("aws_endpoint".to_owned(), moto.endpoint.clone()),
        ("aws_access_key_id".to_owned(), "test".to_owned()),
        ("aws_secret_access_key".to_owned(), "test".to_owned()),
        ("aws_region".to_owned(), "us-east-1".to_owned()),
        ("aws_allow_http".to_owned(), "true".to_owned()),
        ("aws_s3_allow_unsafe_rename".to_owned(), "true".to_owned()),
    ]);
    let store = StoreConfig::from_url("s3://voxlake/lake", options).expect("valid store");
    let ingest = Ingest::start(IngestConfig::new(store.clone(), ContactCipher::generate_key()))
        .await
        .expect("starts on S3");
    let records = (0..3)
        .map(|i| {
            let fields =
                serde_json::from_str(&native_line(&format!("s3-{i}"), i, "在S3上的反馈，物流很快")).expect("valid");
            Ok(SourceRecord {
                position: Position(i as u64 + 1),
                fields,
            })
        })
        .collect();
    let outcomes = ingest
        .submit("native", "http", records, Durability::Commit)
        .await
        .expect("stored");
    assert!(
        outcomes.iter().all(|o| matches!(o, Outcome::Accepted { .. })),
        "{outcomes:?}"
    );
    ingest.shutdown().await.expect("shuts down");

    let lake = Lake { store, ..Lake::new() };
    assert_eq!(lake.count("SELECT count(*) FROM feedback").await, 3);
    let restarted = Ingest::start(IngestConfig::new(lake.store.clone(), lake.key.clone()))
        .await
        .expect("restarts");
    let fields = serde_json::from_str(&native_line("s3-0", 0, "重发")).expect("valid");
    let again = restarted
        .submit(
            "native",
            "http",
            vec![Ok(SourceRecord {
                position: Position(1),
                fields,
            })],
            Durability::Commit,
        )
        .await
        .expect("answered");
    assert!(
        matches!(again[0], Outcome::Duplicate { .. }),
        "idempotency survives a restart on S3: {again:?}"
    );
    restarted.shutdown().await.expect("shuts down");
}
