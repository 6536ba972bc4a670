//! POST /v1/sql: formats, read-only rule, errors.

use crate::app::{TestApp, record};

#[tokio::test(flavor = "multi_thread")]
async fn formats_stream_the_same_rows() {
    let app = TestApp::start().await;
    let body: Vec<String> = (0..5).map(|i| record(&format!("s{i}"), &format!("第{i}条反馈")).to_string()).collect();
    app.post("/v1/feedback", body.join("\n")).await;
    let sql = "SELECT source_id, rating FROM feedback ORDER BY source_id";

    let (status, json) = app.sql(sql).await;
    assert_eq!(status, 200);
    assert_eq!(json["columns"][0]["name"], "source_id");
    assert_eq!(json["rows"].as_array().map(Vec::len), Some(5));
    assert_eq!(json["rows"][0]["source_id"], "s0");

    let csv = app.http.post(format!("{}/v1/sql", app.url)).json(&serde_json::json!({"sql": sql, "format": "csv"})).send().await.expect("csv");
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.expect("body");
    assert_eq!(text.lines().count(), 6);
    assert_eq!(text.lines().next(), Some("source_id,rating"));

    let arrow = app.http.post(format!("{}/v1/sql", app.url)).header("accept", "application/vnd.apache.arrow.stream").json(&serde_json::json!({"sql": sql})).send().await.expect("arrow");
    let bytes = arrow.bytes().await.expect("body");
    let reader = datafusion::arrow::ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes.to_vec()), None).expect("valid IPC stream");
    let rows: usize = reader.map(|b| b.expect("batch").num_rows()).sum();
    assert_eq!(rows, 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn writes_are_refused_and_errors_are_json() {
    let app = TestApp::start().await;
    let (status, answer) = app.sql("DROP TABLE feedback").await;
    assert_eq!((status, answer["error"]["code"].as_str()), (403, Some("read_only")), "{answer}");
    let (status, answer) = app.sql("SELEC 1").await;
    assert_eq!((status, answer["error"]["code"].as_str()), (400, Some("sql_error")), "{answer}");
    let (status, answer) = app.sql("SELECT nope FROM feedback").await;
    assert_eq!(status, 400, "{answer}");
}
