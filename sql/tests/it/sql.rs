//! POST /v1/sql: formats, read-only rule, errors.

use crate::app::{TestApp, record};

#[tokio::test(flavor = "multi_thread")]
async fn formats_stream_the_same_rows() {
    let app = TestApp::start().await;
    let body: Vec<String> = (0..5)
        .map(|i| record(&format!("s{i}"), &format!("第{i}条反馈")).to_string())
        .collect();
    app.post("/v1/feedback", body.join("\n")).await;
    let sql = "SELECT source_id, rating FROM feedback ORDER BY source_id";

    let (status, json) = app.sql(sql).await;
    assert_eq!(status, 200);
    assert_eq!(json["columns"][0]["name"], "source_id");
    assert_eq!(json["rows"].as_array().map(Vec::len), Some(5));
    assert_eq!(json["rows"][0]["source_id"], "s0");

    let csv = app
        .http
        .post(format!("{}/v1/sql", app.url))
        .bearer_auth(&app.key)
        .json(&serde_json::json!({"sql": sql, "format": "csv"}))
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.expect("body");
    assert_eq!(text.lines().count(), 6);
    assert_eq!(text.lines().next(), Some("source_id,rating"));

    let arrow = app
        .http
        .post(format!("{}/v1/sql", app.url))
        .bearer_auth(&app.key)
        .header("accept", "application/vnd.apache.arrow.stream")
        .json(&serde_json::json!({"sql": sql}))
        .send()
        .await
        .expect("arrow");
    let bytes = arrow.bytes().await.expect("body");
    let reader = datafusion::arrow::ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes.to_vec()), None)
        .expect("valid IPC stream");
    let rows: usize = reader.map(|b| b.expect("batch").num_rows()).sum();
    assert_eq!(rows, 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn writes_are_refused_and_errors_are_json() {
    let app = TestApp::start().await;
    let (status, answer) = app.sql("DROP TABLE feedback").await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (403, Some("read_only")),
        "{answer}"
    );
    let (status, answer) = app.sql("SELEC 1").await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (400, Some("sql_error")),
        "{answer}"
    );
    let (status, answer) = app.sql("SELECT nope FROM feedback").await;
    assert_eq!(status, 400, "{answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn cacheable_reads_answer_304_until_the_table_changes() {
    let app = TestApp::start().await;
    app.post("/v1/feedback", record("e1", "第一条").to_string()).await;
    let url = format!("{}/v1/sql?q=SELECT%20count(*)%20AS%20n%20FROM%20feedback", app.url);
    let first = app.http.get(&url).bearer_auth(&app.key).send().await.expect("get");
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().expect("ascii").to_owned();
    let again = app
        .http
        .get(&url)
        .bearer_auth(&app.key)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("get");
    assert_eq!(again.status(), 304);
    app.post("/v1/feedback", record("e2", "第二条").to_string()).await;
    let changed = app
        .http
        .get(&url)
        .bearer_auth(&app.key)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("get");
    assert_eq!(changed.status(), 200, "a new commit changes the answer and the ETag");
    assert_ne!(changed.headers()["etag"].to_str().expect("ascii"), etag);
    let body: serde_json::Value = changed.json().await.expect("json");
    assert_eq!(body["rows"][0]["n"], 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn tables_are_described_from_their_logs() {
    let app = TestApp::start().await;
    let body: Vec<String> = (0..3).map(|i| record(&format!("d{i}"), "描述表").to_string()).collect();
    app.post("/v1/feedback", body.join("\n")).await;
    let (status, tables) = app.get("/v1/tables").await;
    assert_eq!(status, 200);
    let names: Vec<&str> = tables
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert!(names.contains(&"feedback") && names.contains(&"audit_log"), "{names:?}");
    let (status, feedback) = app.get("/v1/tables/feedback").await;
    assert_eq!(status, 200);
    assert_eq!(feedback["rows"], 3);
    assert_eq!(feedback["partitions"], 1);
    assert!(
        feedback["columns"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["name"] == "sentiment_score"))
    );
    let (status, missing) = app.get("/v1/tables/feedbak").await;
    assert_eq!(
        (status, missing["error"]["code"].as_str()),
        (404, Some("unknown_table"))
    );
}
