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

    let csv = app.sql_raw(&serde_json::json!({"sql": sql, "format": "csv"})).await;
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

#[tokio::test(flavor = "multi_thread")]
async fn errors_carry_position_and_the_closest_name() {
    let app = TestApp::start().await;
    app.post("/v1/feedback", record("p1", "位置").to_string()).await;

    let (status, answer) = app.sql("SELECT channel\nFORM feedback").await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(
        (answer["error"]["line"].as_u64(), answer["error"]["column"].as_u64()),
        (Some(2), Some(6)),
        "{answer}"
    );

    let (status, answer) = app.sql("SELECT count(*) FROM feedbak").await;
    assert_eq!(
        (status, answer["error"]["suggestion"].as_str()),
        (400, Some("feedback")),
        "{answer}"
    );
    assert!(
        answer["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("feedbak")),
        "{answer}"
    );

    let (status, answer) = app.sql("SELECT ratng FROM feedback").await;
    assert_eq!(
        (status, answer["error"]["suggestion"].as_str()),
        (400, Some("rating")),
        "{answer}"
    );
    assert_eq!(
        (answer["error"]["line"].as_u64(), answer["error"]["column"].as_u64()),
        (Some(1), Some(8)),
        "{answer}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn parameters_bind_to_placeholders() {
    let app = TestApp::start().await;
    let body: Vec<String> = (0..4)
        .map(|i| record(&format!("q{i}"), &format!("参数{i}")).to_string())
        .collect();
    app.post("/v1/feedback", body.join("\n")).await;
    let request = serde_json::json!({
        "sql": "SELECT source_id FROM feedback WHERE source_id IN ($1, $2) AND rating >= $3 ORDER BY source_id",
        "params": ["q1", "q3", 1]
    });
    let (status, answer) = app.post("/v1/sql", request.to_string()).await;
    assert_eq!(status, 200, "{answer}");
    let ids: Vec<&str> = answer["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["source_id"].as_str())
        .collect();
    assert_eq!(ids, ["q1", "q3"]);

    // A quote inside a parameter is data, never SQL.
    let request = serde_json::json!({"sql": "SELECT count(*) AS n FROM feedback WHERE source_id = $1", "params": ["q1' OR '1'='1"]});
    let (_, answer) = app.post("/v1/sql", request.to_string()).await;
    assert_eq!(answer["rows"][0]["n"], 0, "{answer}");

    let request = serde_json::json!({"sql": "SELECT $1", "params": [[1, 2]]});
    let (status, answer) = app.post("/v1/sql", request.to_string()).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (400, Some("bad_param")),
        "{answer}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn parquet_results_are_a_readable_file() {
    let app = TestApp::start().await;
    let body: Vec<String> = (0..7).map(|i| record(&format!("pq{i}"), "帕奎").to_string()).collect();
    app.post("/v1/feedback", body.join("\n")).await;
    let response = app
        .sql_raw(&serde_json::json!({"sql": "SELECT source_id, rating FROM feedback", "format": "parquet"}))
        .await;
    assert_eq!(response.headers()["content-type"], "application/vnd.apache.parquet");
    let bytes = response.bytes().await.expect("body");
    let reader = datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(bytes)
        .expect("a Parquet file")
        .build()
        .expect("reader");
    let rows: usize = reader.map(|b| b.expect("batch").num_rows()).sum();
    assert_eq!(rows, 7);
}

#[tokio::test(flavor = "multi_thread")]
async fn explain_shows_day_partitions_pruned() {
    let app = TestApp::start().await;
    let days = ["2025-03-01", "2025-03-02", "2025-03-03"];
    let body: Vec<String> = days
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let mut r = record(&format!("x{i}"), "分区");
            r["received_at"] = format!("{day}T10:00:00Z").into();
            r.to_string()
        })
        .collect();
    app.post("/v1/feedback", body.join("\n")).await;
    let request = serde_json::json!({
        "sql": "EXPLAIN SELECT count(*) FROM feedback WHERE dt = DATE '2025-03-02' AND rating > 0",
        "format": "csv"
    });
    let response = app.sql_raw(&request).await;
    let plan = response.text().await.expect("plan");
    assert!(
        plan.contains("dt=2025-03-02"),
        "the kept day's file is scanned:\n{plan}"
    );
    assert!(
        !plan.contains("dt=2025-03-01") && !plan.contains("dt=2025-03-03"),
        "other days are pruned:\n{plan}"
    );
    assert!(
        plan.contains("pruning_predicate"),
        "row groups are pruned by statistics:\n{plan}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_requests_rows_and_ingest() {
    let app = TestApp::start().await;
    let body: Vec<String> = (0..3)
        .map(|i| record(&format!("m{i}"), &format!("指标{i}")).to_string())
        .collect();
    app.post("/v1/feedback", body.join("\n")).await;
    app.post("/v1/feedback", record("m0", "指标0").to_string()).await;
    let (status, _) = app
        .sql("SELECT source_id FROM feedback ORDER BY source_id LIMIT 1")
        .await;
    assert_eq!(status, 200);
    // The query is reported when its body has been sent; give the drop a moment.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let text = app
        .http
        .get(format!("{}/metrics", app.url))
        .bearer_auth(&app.key)
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(
        text.contains(r#"voxlake_ingest_records_total{channel="native",outcome="accepted"} 3"#),
        "{text}"
    );
    assert!(
        text.contains(r#"voxlake_ingest_records_total{channel="native",outcome="duplicate"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"voxlake_http_requests_total{method="POST",route="/v1/sql",status="200"} 1"#),
        "{text}"
    );
    assert!(text.contains("voxlake_query_rows_scanned_total 3"), "{text}");
    assert!(text.contains("voxlake_query_rows_returned_total 1"), "{text}");
    let unauthenticated = app
        .http
        .get(format!("{}/metrics", app.url))
        .send()
        .await
        .expect("metrics");
    assert_eq!(unauthenticated.status(), 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn arrow_results_carry_only_the_rows_text() {
    let app = TestApp::start().await;
    let long = "很长的反馈".repeat(400);
    let body: Vec<String> = (0..200)
        .map(|i| record(&format!("v{i}"), &format!("{i}{long}")).to_string())
        .collect();
    app.post("/v1/feedback", body.join("\n")).await;
    let arrow = app
        .sql_raw(&serde_json::json!({"sql": "SELECT text FROM feedback ORDER BY source_id LIMIT 1", "format": "arrow"}))
        .await
        .bytes()
        .await
        .expect("body");
    // One 6 KB text, not the 200 texts of the decoded page it came from.
    assert!(arrow.len() < 20_000, "{} bytes for one row", arrow.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn csv_writes_lists_and_structs_as_text() {
    let app = TestApp::start().await;
    let response = app
        .sql_raw(&serde_json::json!({
            "sql": "SELECT make_array('退款', '物流') AS tags, named_struct('label', 'negative') AS s, 1 AS n",
            "format": "csv"
        }))
        .await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("a complete body");
    assert_eq!(text.lines().next(), Some("tags,s,n"), "{text}");
    assert!(
        text.contains("退款") && text.contains("negative") && text.trim_end().ends_with(",1"),
        "{text}"
    );
}
