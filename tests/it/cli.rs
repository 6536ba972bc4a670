//! generate → import → sql → channels, as a user runs them.

use crate::server::voxlake;

#[test]
fn generate_import_and_query() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let file = dir.path().join("demo.ndjson");
    let file_arg = file.to_str().expect("utf-8 path");

    let (ok, _, err) = voxlake(&["generate", "--rows", "3000", "--out", file_arg], &data);
    assert!(ok, "generate failed: {err}");
    let mut contents = std::fs::read_to_string(&file).expect("generated file");
    contents.push_str("{\"channel\": \"app\", \"text\": \"no time\", \"received_at\": \"someday\"}\n");
    std::fs::write(&file, contents).expect("append a bad line");

    let (ok, out, err) = voxlake(&["import", file_arg, "--channel", "native"], &data);
    assert!(ok, "import failed: {err}");
    assert!(out.contains("read 3001") && out.contains("rejected 1"), "{out}");
    assert!(
        err.contains("line 3001") && err.contains("received_at"),
        "reject named on stderr: {err}"
    );
    let report = std::fs::read_to_string(dir.path().join("demo.ndjson.rejects.csv")).expect("reject report");
    assert!(
        report
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("3001,received_at,")),
        "{report}"
    );

    let (ok, out, err) = voxlake(&["sql", "SELECT count(*) AS n FROM feedback", "--format", "csv"], &data);
    assert!(ok, "sql failed: {err}");
    assert_eq!(out.trim(), "n\n3000");

    let (ok, out, _) = voxlake(&["import", file_arg, "--channel", "native"], &data);
    assert!(
        ok && out.contains("accepted 0") && out.contains("already stored 3000"),
        "re-import adds nothing: {out}"
    );

    let (ok, out, _) = voxlake(&["channels", "--format", "json"], &data);
    assert!(ok, "channels failed");
    let health: serde_json::Value = serde_json::from_str(&out).expect("json");
    let native = health
        .as_array()
        .expect("array")
        .iter()
        .find(|c| c["channel"] == "native")
        .expect("native listed");
    assert_eq!(native["rejects_today"], 2, "the bad line was refused by both imports");

    let (ok, out, err) = voxlake(&["topics", "--k", "3", "--format", "csv"], &data);
    assert!(ok, "topics failed: {err}");
    assert!(err.contains("recurring issues from"), "the window is named: {err}");
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some(
            "topic_id,name,keywords,volume,previous_volume,trend,customers,avg_sentiment,priority,sample_feedback_ids"
        )
    );
    assert!(lines.count() <= 3, "at most k issues: {out}");

    let (ok, _, err) = voxlake(&["topics", "--start", "2025-09-15", "--end", "2025-09-08"], &data);
    assert!(
        !ok && err.contains("--start 2025-09-15 must be before --end 2025-09-08"),
        "{err}"
    );
}

#[test]
fn sql_refuses_writes_and_unknown_channels_fail() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let (ok, _, err) = voxlake(&["sql", "CREATE TABLE t AS SELECT 1"], &data);
    assert!(!ok && err.to_lowercase().contains("ddl"), "{err}");
    let file = dir.path().join("x.ndjson");
    std::fs::write(&file, "{}\n").expect("write");
    let (ok, _, err) = voxlake(&["import", file.to_str().expect("utf-8"), "--channel", "fax"], &data);
    assert!(!ok && err.contains("unknown channel `fax`"), "{err}");
}

#[test]
fn config_file_and_environment_choose_the_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    let from_file = dir.path().join("lake-from-file");
    std::fs::write(
        data.join("voxlake.toml"),
        format!("store = {:?}\n", from_file.to_str().expect("utf-8")),
    )
    .expect("config");
    let file = dir.path().join("one.ndjson");
    std::fs::write(
        &file,
        r#"{"channel": "app", "source_id": "1", "received_at": "2025-01-02T03:04:05Z", "text": "很好"}"#,
    )
    .expect("write");

    let (ok, _, err) = voxlake(&["import", file.to_str().expect("utf-8"), "--channel", "native"], &data);
    assert!(ok, "{err}");
    assert!(
        from_file.join("feedback/_delta_log").exists(),
        "the config file's store is used"
    );

    let from_env = dir.path().join("lake-from-env");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_voxlake"))
        .args(["import", file.to_str().expect("utf-8"), "--channel", "native", "--data"])
        .arg(&data)
        .env("VOXLAKE_STORE", &from_env)
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(
        from_env.join("feedback/_delta_log").exists(),
        "VOXLAKE_STORE overrides the file"
    );

    std::fs::write(data.join("voxlake.toml"), "stroe = \"typo\"\n").expect("config");
    let (ok, _, err) = voxlake(&["sql", "SELECT 1"], &data);
    assert!(!ok && err.contains("stroe"), "unknown config keys are named: {err}");
}
