//! The Postgres port, driven by the real `psql` (Debian's postgresql-client)
//! and by a real driver (tokio-postgres) for the extended query protocol:
//! login with an API key, the same roles, row filters, read-only rules and
//! audit log as HTTP, and TLS.

use std::time::Duration;

use serde_json::json;
use voxlake_sql::auth::Role;

use crate::app::TestApp;

struct Psql {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Run `psql` once with `key` as the password; `commands` are `-c` arguments,
/// run in order (backslash commands included).
async fn psql(app: &TestApp, key: &str, ssl: &str, commands: &[&str]) -> Psql {
    let host = if app.cert.is_some() { "localhost" } else { "127.0.0.1" };
    let connection = format!("host={host} port={} user=tester dbname=voxlake {ssl}", app.pg_port);
    let mut command = tokio::process::Command::new("psql");
    command
        .arg(connection)
        .args([
            "-X",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            "\\set VERBOSITY verbose",
        ])
        .env("PGPASSWORD", key)
        .env("PGCONNECT_TIMEOUT", "10")
        .kill_on_drop(true);
    for sql in commands {
        command.args(["-c", sql]);
    }
    let output = tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("psql finished within a minute")
        .expect("psql runs (apt-get install postgresql-client)");
    Psql {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).trim().to_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

const PLAIN: &str = "sslmode=disable";

async fn app_with_two_agents() -> TestApp {
    let app = TestApp::start().await;
    let records: Vec<String> = [("t1", "agent-1"), ("t2", "agent-1"), ("t3", "agent-2")]
        .iter()
        .map(|(id, agent)| {
            json!({"channel": "chat", "source_id": id, "received_at": "2025-10-01T10:00:00Z", "agent_id": agent,
                   "customer_id": 1, "rating": 2, "text": format!("工单{id}：退款进度怎么样了")})
            .to_string()
        })
        .collect();
    let (status, answer) = app.post("/v1/feedback", records.join("\n")).await;
    assert_eq!(status, 200, "{answer}");
    app
}

#[tokio::test(flavor = "multi_thread")]
async fn psql_queries_with_an_api_key_as_password() {
    let app = app_with_two_agents().await;
    let out = psql(&app, &app.key, PLAIN, &["SELECT count(*) FROM feedback"]).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, "3");
    // What drivers and GUI clients send around their queries is answered harmlessly.
    let out = psql(
        &app,
        &app.key,
        PLAIN,
        &[
            "SET application_name = 'metabase'",
            "BEGIN",
            "SHOW TIME ZONE",
            "SELECT channel, count(*) FROM feedback GROUP BY channel",
            "COMMIT",
        ],
    )
    .await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("chat|3"), "{}", out.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn psql_lists_tables_through_pg_catalog() {
    let app = app_with_two_agents().await;
    let out = psql(&app, &app.key, PLAIN, &["\\dt"]).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("feedback"), "{}", out.stdout);
    // `\d` looks the table's OID up in one query and its columns in the next,
    // each in a fresh session: the OIDs must agree.
    for _ in 0..3 {
        let out = psql(&app, &app.key, PLAIN, &["\\d feedback"]).await;
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        assert!(out.stdout.contains("agent_id|"), "{}", out.stdout);
        assert!(
            !out.stdout.contains("\nrejected_at|"),
            "another table's columns: {}",
            out.stdout
        );
    }
    // An agent's key lists its own table, as a table.
    let agent = app.key_for("alice", Role::Agent, Some("agent-1"));
    let out = psql(&app, &agent, PLAIN, &["\\dt"]).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, "public|feedback|table|postgres", "{}", out.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn agent_keys_see_only_their_own_rows() {
    let app = app_with_two_agents().await;
    let agent = app.key_for("alice", Role::Agent, Some("agent-1"));
    let out = psql(
        &app,
        &agent,
        PLAIN,
        &[
            "SELECT count(*) FROM feedback",
            "SELECT count(*) FROM feedback WHERE agent_id = 'agent-2' OR 1 = 1",
            "SELECT count(*) FROM (SELECT * FROM feedback UNION ALL SELECT * FROM voxlake.public.feedback) u",
        ],
    )
    .await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout.lines().collect::<Vec<_>>(), vec!["2", "2", "4"]);
    let audit = psql(&app, &agent, PLAIN, &["SELECT count(*) FROM audit_log"]).await;
    assert_ne!(audit.code, Some(0), "an agent cannot read the audit log");
}

#[tokio::test(flavor = "multi_thread")]
async fn writes_are_refused_with_insufficient_privilege() {
    let app = app_with_two_agents().await;
    for sql in [
        "CREATE TABLE t (a INT)",
        "DROP TABLE feedback",
        "INSERT INTO feedback (text) VALUES ('x')",
        "DELETE FROM feedback",
        "COPY feedback TO STDOUT",
        "CREATE TABLE t AS SELECT * FROM feedback",
    ] {
        let out = psql(&app, &app.key, PLAIN, &[sql]).await;
        assert_ne!(out.code, Some(0), "{sql} ran");
        assert!(out.stderr.contains("42501"), "{sql}: {}", out.stderr);
        assert!(out.stderr.contains("read-only"), "{sql}: {}", out.stderr);
    }
    let out = psql(&app, &app.key, PLAIN, &["SELECT count(*) FROM feedback"]).await;
    assert_eq!(out.stdout, "3", "nothing changed");
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_keys_and_ingest_keys_cannot_log_in() {
    let app = TestApp::start().await;
    let out = psql(&app, "vxk_not-a-real-key", PLAIN, &["SELECT 1"]).await;
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("authentication failed"), "{}", out.stderr);
    let ingest = app.key_for("pipeline", Role::Ingest, None);
    let out = psql(&app, &ingest, PLAIN, &["SELECT 1"]).await;
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("may not run queries"), "{}", out.stderr);
    // The SQLSTATEs drivers see (psql does not print them for login errors).
    for (key, expected) in [("vxk_not-a-real-key", "28P01"), (ingest.as_str(), "42501")] {
        let config = format!("host=127.0.0.1 port={} user=tester password={key}", app.pg_port);
        let error = tokio_postgres::connect(&config, tokio_postgres::NoTls)
            .await
            .map(drop)
            .expect_err("refused");
        assert_eq!(error.code().map(|c| c.code()), Some(expected), "{error}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pg_queries_are_audited_with_their_target() {
    let app = app_with_two_agents().await;
    let out = psql(
        &app,
        &app.key,
        PLAIN,
        &["SELECT count(*) FROM feedback", "DROP TABLE feedback"],
    )
    .await;
    assert_ne!(out.code, Some(0));
    let sql = "SELECT status, rows, detail FROM audit_log WHERE target = 'pgwire' ORDER BY at";
    for _ in 0..50 {
        let (_, answer) = app.sql(sql).await;
        let rows = answer["rows"].as_array().cloned().unwrap_or_default();
        if rows.len() >= 2 {
            assert_eq!(
                (rows[0]["status"].as_i64(), rows[0]["rows"].as_i64()),
                (Some(200), Some(1))
            );
            assert_eq!(rows[1]["status"].as_i64(), Some(403));
            assert!(rows[1]["detail"].as_str().is_some_and(|d| d.starts_with("DROP TABLE")));
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the Postgres queries never reached the audit log");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_driver_runs_prepared_statements_with_parameters() {
    let app = app_with_two_agents().await;
    let config = format!(
        "host=127.0.0.1 port={} user=tester dbname=voxlake password={}",
        app.pg_port, app.key
    );
    let (client, connection) = tokio_postgres::connect(&config, tokio_postgres::NoTls)
        .await
        .expect("connects");
    tokio::spawn(connection);
    let statement = client
        .prepare("SELECT count(*) AS n FROM feedback WHERE agent_id = $1")
        .await
        .expect("prepares");
    for (agent, expected) in [("agent-1", 2i64), ("agent-2", 1), ("nobody", 0)] {
        let row = client.query_one(&statement, &[&agent]).await.expect("runs");
        assert_eq!(row.get::<_, i64>("n"), expected, "{agent}");
    }
    let refused = client.prepare("DELETE FROM feedback").await.expect_err("refused");
    assert_eq!(refused.code().map(|c| c.code()), Some("42501"), "{refused}");
}

#[tokio::test(flavor = "multi_thread")]
async fn both_ports_speak_tls_with_the_configured_certificate() {
    let app = TestApp::start_with_tls().await;
    let cert = app.cert.clone().expect("a certificate");
    let (status, answer) = app.sql("SELECT 41 + 1 AS n").await;
    assert_eq!((status, &answer["rows"][0]["n"]), (200, &json!(42)), "{answer}");
    let plain = reqwest::get(app.url.replace("https://", "http://")).await;
    assert!(plain.is_err() || plain.is_ok_and(|r| !r.status().is_success()));
    let verified = format!("sslmode=verify-full sslrootcert={}", cert.display());
    let out = psql(&app, &app.key, &verified, &["SELECT 41 + 1"]).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, "42");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_statement_timeout_cancels_a_long_query() {
    let app = TestApp::start().await;
    let out = psql(
        &app,
        &app.key,
        PLAIN,
        &[
            "SET statement_timeout = '300ms'",
            "SELECT count(*) FROM generate_series(1, 2000000000) AS s(v) WHERE v % 7 = 3",
        ],
    )
    .await;
    assert_ne!(out.code, Some(0), "{}", out.stdout);
    assert!(out.stderr.contains("57014"), "{}", out.stderr);
    assert!(out.stderr.contains("timed out"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn sql_errors_carry_a_sqlstate_and_the_connection_goes_on() {
    let app = TestApp::start().await;
    for (sql, code) in [
        ("SELEC 1", "42601"),
        ("SELECT * FROM no_such_table", "42P01"),
        ("SELECT no_such_column FROM feedback", "42703"),
        ("SELECT 1 / 0", "22012"),
    ] {
        let out = psql(&app, &app.key, PLAIN, &[sql]).await;
        assert!(out.stderr.contains(code), "{sql}: {}", out.stderr);
    }
    let out = psql(&app, &app.key, PLAIN, &["SELECT count(*) FROM feedbak"]).await;
    assert!(
        out.stderr.contains("HINT:  did you mean \"feedback\"?"),
        "{}",
        out.stderr
    );
    // Without ON_ERROR_STOP psql goes on after an error on the same connection.
    let out = psql(&app, &app.key, PLAIN, &["\\set ON_ERROR_STOP 0", "SELEC 1", "SELECT 2"]).await;
    assert_eq!(out.stdout, "2", "{}", out.stderr);
}
