//! POST /v1/feedback: per-record outcomes, idempotency, limits.

use std::time::Duration;

use serde_json::json;

use crate::app::{TestApp, record};

#[tokio::test(flavor = "multi_thread")]
async fn mixed_batch_lands_good_records_and_names_bad_ones() {
    let app = TestApp::start().await;
    let body = json!([
        record("a1", "更新到5.3.0以后一打开就闪退"),
        {"channel": "app", "source_id": "a2", "received_at": "next tuesday", "text": "x"},
        {"channel": "app", "source_id": "a3", "received_at": "2025-09-10", "text": ["not", "text"]},
        record("a4", "客服态度很好，问题解决了")
    ]);
    let (status, answer) = app.post("/v1/feedback", body.to_string()).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        (answer["accepted"].as_u64(), answer["rejected"].as_u64()),
        (Some(2), Some(2))
    );
    let results = answer["results"].as_array().expect("results");
    assert_eq!(results[1]["status"], "rejected");
    assert_eq!(results[1]["position"], 2);
    assert_eq!(results[1]["field"], "received_at");
    assert_eq!(results[2]["field"], "text");
    let (_, rows) = app.sql("SELECT count(*) AS n FROM feedback").await;
    assert_eq!(rows["rows"][0]["n"], 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn resending_answers_the_original_id() {
    let app = TestApp::start().await;
    let (_, first) = app.post("/v1/feedback", record("r1", "包装破了").to_string()).await;
    let (status, again) = app.post("/v1/feedback", record("r1", "包装破了").to_string()).await;
    assert_eq!(status, 200);
    assert_eq!(again["results"][0]["status"], "duplicate");
    assert_eq!(again["results"][0]["id"], first["results"][0]["id"]);
    let (_, rows) = app.sql("SELECT count(*) AS n FROM feedback").await;
    assert_eq!(rows["rows"][0]["n"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn ndjson_bodies_and_channel_parameter() {
    let app = TestApp::start().await;
    let body = [
        json!({"id": "f1", "submitted_at": "2025-09-10 12:00:00", "content": "登录不了", "user": {"id": 9}})
            .to_string(),
        "{broken".to_owned(),
    ]
    .join("\n");
    let (status, answer) = app.post("/v1/feedback?channel=app_form", body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["results"][1]["position"], 2);
    assert!(
        answer["results"][1]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("malformed JSON"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_requests_get_clear_errors() {
    let app = TestApp::start_with_limit(64 * 1024).await;
    let (status, answer) = app.post("/v1/feedback?channel=fax", record("x", "y").to_string()).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (404, Some("unknown_channel"))
    );

    let (status, answer) = app.post("/v1/feedback", "   ").await;
    assert_eq!((status, answer["error"]["code"].as_str()), (400, Some("empty_body")));

    let (status, answer) = app.post("/v1/feedback", "[{\"text\": ").await;
    assert_eq!(status, 422, "{answer}");
    assert!(
        answer["results"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("line 1"))
    );

    let (status, answer) = declare_body_without_sending(&app, 300_000).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (413, Some("body_too_large")),
        "{answer}"
    );

    let (status, _) = app.post("/v1/feedback", b"\xff\xfe\xfd".to_vec()).await;
    assert_eq!(status, 422);
}

/// What a client like curl does before a large upload: declare the length,
/// ask `Expect: 100-continue`, and wait. The refusal must come without the
/// body being sent (a client still writing when the server closes would see
/// a broken pipe instead of the answer).
async fn declare_body_without_sending(app: &TestApp, length: usize) -> (u16, serde_json::Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let address = app.url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    let head = format!(
        "POST /v1/feedback HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {length}\r\n\
         Expect: 100-continue\r\nConnection: close\r\n\r\n",
        app.key
    );
    stream.write_all(head.as_bytes()).await.expect("write head");
    let mut response = String::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_string(&mut response))
        .await
        .expect("answered without waiting for the body")
        .expect("read answer");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("status line");
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
    (status, serde_json::from_str(body).unwrap_or(json!(body)))
}

#[tokio::test(flavor = "multi_thread")]
async fn channel_health_lists_volumes_and_rejects() {
    let app = TestApp::start().await;
    app.post(
        "/v1/feedback",
        json!([record("h1", "好"), {"channel": "app", "text": "x", "received_at": "?"}]).to_string(),
    )
    .await;
    let (_, health) = app.get("/v1/channels").await;
    let channels = health.as_array().expect("array");
    let app_channel = channels
        .iter()
        .find(|c| c["channel"] == "app")
        .expect("app channel seen");
    assert_eq!(app_channel["volume_total"], 1);
    let native = channels
        .iter()
        .find(|c| c["channel"] == "native")
        .expect("native configured");
    assert_eq!(native["rejects_today"], 1);
    assert!(
        native["top_reject_reasons"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("received_at"))
    );
}
