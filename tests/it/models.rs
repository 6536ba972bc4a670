//! The model commands as a user runs them: enriched import, labels, train
//! taxonomy, reenrich; and a broken models directory stops start-up.

use crate::server::voxlake;

fn csv_lines(out: &str) -> Vec<&str> {
    out.lines().skip(1).collect()
}

#[test]
fn train_topics_then_ingest_assigns_stable_topic_ids() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let file = dir.path().join("demo.ndjson");
    let file_arg = file.to_str().expect("utf-8 path");
    assert!(voxlake(&["generate", "--rows", "3000", "--out", file_arg], &data).0);
    assert!(voxlake(&["import", file_arg, "--channel", "native"], &data).0);
    let with_topic = "SELECT count(topic_id) AS n FROM feedback";
    let (_, out, _) = voxlake(&["sql", with_topic, "--format", "csv"], &data);
    assert_eq!(out.trim(), "n\n0", "no topics model yet, no topic ids");

    let window = ["train", "topics", "--since", "2025-01-01", "--until", "2026-01-01"];
    let (ok, out, err) = voxlake(&window, &data);
    assert!(ok, "train topics failed: {err}");
    assert!(
        data.join("models/topics.vxm").exists() && out.contains("(0 matched, "),
        "{out}"
    );

    let (ok, _, err) = voxlake(&["reenrich", "--since", "2025-01-01"], &data);
    assert!(ok, "reenrich failed: {err}");
    let (_, out, _) = voxlake(&["sql", with_topic, "--format", "csv"], &data);
    let assigned: u64 = csv_lines(&out)[0].parse().expect("a count");
    assert!(assigned > 300, "negative feedback gets topics: {out}");
    let positive = "SELECT count(topic_id) AS n FROM feedback WHERE sentiment_score > 0";
    let (_, out, _) = voxlake(&["sql", positive, "--format", "csv"], &data);
    assert_eq!(out.trim(), "n\n0", "only negative feedback is assigned a topic");

    let (ok, out, err) = voxlake(&window, &data);
    assert!(ok, "second train failed: {err}");
    // Matched topics keep their ids; the window may still split differently.
    let matched: usize = out
        .split_once(" live (")
        .and_then(|(_, rest)| rest.split_once(" matched"))
        .and_then(|(n, _)| n.parse().ok())
        .expect("a matched count");
    assert!(matched >= 3, "the same window finds its topics again: {out}");

    // A model fitted from scratch numbers its topics after every stored id,
    // so no row's old id can be read as one of its topics.
    let max_id = "SELECT max(topic_id) AS m FROM feedback";
    let (_, out, _) = voxlake(&["sql", max_id, "--format", "csv"], &data);
    let old_max: u64 = csv_lines(&out)[0].parse().expect("an id");
    std::fs::remove_file(data.join("models/topics.vxm")).expect("model removed");
    let (ok, out, err) = voxlake(&window, &data);
    assert!(ok && out.contains("(0 matched, "), "fresh train failed: {out} {err}");
    let (ok, _, err) = voxlake(&["reenrich", "--since", "2025-01-01"], &data);
    assert!(ok, "reenrich failed: {err}");
    let min_id = "SELECT min(topic_id) AS m FROM feedback";
    let (_, out, _) = voxlake(&["sql", min_id, "--format", "csv"], &data);
    let new_min: u64 = csv_lines(&out)[0].parse().expect("an id");
    assert!(new_min > old_max, "new ids start after {old_max}, got {new_min}");
}

#[test]
fn labels_train_taxonomy_and_reenrich() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let file = dir.path().join("demo.ndjson");
    let file_arg = file.to_str().expect("utf-8 path");
    assert!(voxlake(&["generate", "--rows", "2000", "--out", file_arg], &data).0);
    assert!(voxlake(&["import", file_arg, "--channel", "native"], &data).0);

    let versions = "SELECT DISTINCT model_version FROM feedback";
    let (ok, out, err) = voxlake(&["sql", versions, "--format", "csv"], &data);
    assert!(ok, "{err}");
    let before = csv_lines(&out);
    assert_eq!(before.len(), 1, "one model set enriched every row: {out}");
    assert!(before[0].starts_with("sentiment:"), "{out}");

    let pick = "SELECT feedback_id, 'logistics' AS l1, 'logistics.slow_delivery' AS l2 FROM feedback ORDER BY feedback_id LIMIT 20";
    let (ok, labels, err) = voxlake(&["sql", pick, "--format", "csv"], &data);
    assert!(ok, "{err}");
    let labels_file = dir.path().join("labels.csv");
    std::fs::write(&labels_file, labels).expect("labels file");
    let labels_arg = labels_file.to_str().expect("utf-8 path");
    let (ok, out, err) = voxlake(&["labels", "import", labels_arg, "--who", "ana"], &data);
    assert!(ok && out.contains("added 20 labels"), "{out} {err}");

    let (ok, out, err) = voxlake(&["train", "taxonomy"], &data);
    assert!(ok, "train taxonomy failed: {err}");
    assert!(data.join("models/taxonomy.vxm").exists(), "{out}");

    let (ok, out, err) = voxlake(&["reenrich", "--since", "2025-01-01"], &data);
    assert!(ok, "reenrich failed: {err}");
    assert!(out.contains("re-enriched"), "{out}");
    let (_, out, _) = voxlake(&["sql", versions, "--format", "csv"], &data);
    let after = csv_lines(&out);
    assert_eq!(after.len(), 1, "{out}");
    assert_ne!(after[0], before[0], "the supervised taxonomy is part of the version");
    let (_, out, _) = voxlake(&["sql", "SELECT count(*) AS n FROM feedback", "--format", "csv"], &data);
    assert_eq!(out.trim(), "n\n2000", "no row lost or doubled");
}

#[test]
fn a_bad_models_dir_is_an_error_at_start_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let models = data.join("models");
    std::fs::create_dir_all(&models).expect("models dir");
    std::fs::write(models.join("taxonomy.toml"), "version = ").expect("broken taxonomy");
    let (ok, _, err) = voxlake(&["sql", "SELECT 1"], &data);
    assert!(!ok && err.contains("taxonomy.toml"), "{err}");
    let missing = dir.path().join("nope");
    let (ok, _, err) = voxlake(
        &["--models", missing.to_str().expect("utf-8"), "sql", "SELECT 1"],
        &data,
    );
    assert!(!ok && err.contains("does not exist"), "{err}");
}
