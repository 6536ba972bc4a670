//! Who may see what: keys, roles, the agent row filter, the audit log.

use serde_json::json;
use voxlake_sql::auth::Role;

use crate::app::TestApp;

async fn app_with_two_agents() -> TestApp {
    let app = TestApp::start().await;
    let records: Vec<String> = [
        ("t1", "agent-1"),
        ("t2", "agent-1"),
        ("t3", "agent-2"),
        ("t4", "agent-2"),
        ("t5", "agent-2"),
    ]
    .iter()
    .map(|(id, agent)| {
        json!({"channel": "chat", "source_id": id, "received_at": "2025-10-01T10:00:00Z", "agent_id": agent,
                   "customer_id": 1, "text": format!("工单{id}：退款进度怎么样了")})
        .to_string()
    })
    .collect();
    let (status, _) = app.post("/v1/feedback", records.join("\n")).await;
    assert_eq!(status, 200);
    app
}

fn count(answer: &serde_json::Value) -> i64 {
    answer["rows"][0]["n"].as_i64().unwrap_or(-1)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_endpoint_but_healthz_needs_a_key() {
    let app = TestApp::start().await;
    let health = app.http.get(format!("{}/healthz", app.url)).send().await.expect("get");
    assert_eq!(health.status(), 200);
    for (method, path) in [("GET", "/v1/channels"), ("POST", "/v1/sql"), ("POST", "/v1/feedback")] {
        let request = app
            .http
            .request(method.parse().expect("method"), format!("{}{path}", app.url))
            .body("{}");
        let response = request.send().await.expect("request");
        assert_eq!(response.status(), 401, "{method} {path}");
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["error"]["code"], "unauthorized");
    }
    let (status, _) = app
        .post_as("vxk_not-a-real-key", "/v1/sql", json!({"sql": "SELECT 1"}).to_string())
        .await;
    assert_eq!(status, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn agents_see_only_their_own_rows_whatever_the_sql() {
    let app = app_with_two_agents().await;
    let agent = app.key_for("alice", Role::Agent, Some("agent-1"));
    let attempts = [
        "SELECT count(*) AS n FROM feedback",
        "SELECT count(*) AS n FROM feedback WHERE agent_id = 'agent-2' OR 1 = 1",
        "SELECT count(*) AS n FROM (SELECT * FROM feedback) f",
        "WITH f AS (SELECT * FROM feedback) SELECT count(*) AS n FROM f",
        "SELECT count(*) AS n FROM feedback a JOIN feedback b ON a.customer_id = b.customer_id WHERE b.agent_id = 'agent-1'",
        "SELECT count(*) AS n FROM (SELECT source_id FROM feedback UNION ALL SELECT source_id FROM voxlake.public.feedback) u",
        "SELECT count(*) AS n FROM feedback WHERE source_id IN (SELECT source_id FROM feedback)",
    ];
    let expected = [2, 2, 2, 2, 4, 4, 2];
    for (sql, want) in attempts.iter().zip(expected) {
        let (status, answer) = app.sql_as(&agent, sql).await;
        assert_eq!(status, 200, "{sql}: {answer}");
        assert_eq!(count(&answer), want, "{sql}");
    }
    let (_, answer) = app
        .sql_as(&agent, "SELECT count(*) AS n FROM feedback WHERE agent_id <> 'agent-1'")
        .await;
    assert_eq!(count(&answer), 0);
    let (_, tables) = app
        .sql_as(
            &agent,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
        )
        .await;
    assert_eq!(
        tables["rows"],
        json!([{"table_name": "feedback"}]),
        "agents see no other table"
    );
    for forbidden in ["SELECT * FROM ingest_rejects", "SELECT * FROM audit_log"] {
        let (status, _) = app.sql_as(&agent, forbidden).await;
        assert_eq!(status, 400, "{forbidden}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn roles_are_enforced() {
    let app = app_with_two_agents().await;
    let ingest = app.key_for("pipeline", Role::Ingest, None);
    let analyst = app.key_for("ana", Role::Analyst, None);
    let (status, answer) = app.sql_as(&ingest, "SELECT 1").await;
    assert_eq!((status, answer["error"]["code"].as_str()), (403, Some("forbidden")));
    let (status, _) = app
        .post_as(
            &analyst,
            "/v1/feedback",
            json!({"channel": "app", "text": "x"}).to_string(),
        )
        .await;
    assert_eq!(status, 403);
    let (status, answer) = app.sql_as(&analyst, "SELECT count(*) AS n FROM feedback").await;
    assert_eq!((status, count(&answer)), (200, 5));
    let (status, _) = app.sql_as(&analyst, "SELECT * FROM audit_log").await;
    assert_eq!(status, 400, "only admins read the audit log");
    app.keys.revoke("ana").expect("revoked");
    let (status, _) = app.sql_as(&analyst, "SELECT 1").await;
    assert_eq!(status, 401, "a revoked key stops working at once");
}

#[tokio::test(flavor = "multi_thread")]
async fn queries_and_ingests_are_audited_and_the_log_cannot_be_altered() {
    let app = app_with_two_agents().await;
    let analyst = app.key_for("ana", Role::Analyst, None);
    app.sql_as(&analyst, "SELECT count(*) AS n FROM feedback").await;
    app.sql_as(&analyst, "SELECT nope FROM feedback").await;
    let mut rows = serde_json::Value::Null;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let (_, answer) = app
            .sql("SELECT key_name, action, status, rows, detail FROM audit_log WHERE key_name = 'ana' ORDER BY at")
            .await;
        if answer["rows"].as_array().is_some_and(|r| r.len() >= 2) {
            rows = answer["rows"].clone();
            break;
        }
    }
    assert_eq!(rows[0]["action"], "query");
    assert_eq!(rows[0]["status"], 200);
    assert_eq!(rows[0]["rows"], 1);
    assert_eq!(rows[1]["status"], 400);
    let (_, ingests) = app
        .sql("SELECT count(*) AS n FROM audit_log WHERE action = 'ingest' AND rows = 5")
        .await;
    assert_eq!(count(&ingests), 1);
    for attempt in [
        "DELETE FROM audit_log",
        "DROP TABLE audit_log",
        "INSERT INTO audit_log SELECT * FROM audit_log",
        "COPY audit_log TO '/tmp/x.csv'",
    ] {
        let (status, _) = app.sql(attempt).await;
        assert!(
            status == 403 || status == 400,
            "{attempt} must be refused, got {status}"
        );
    }
}
