use std::sync::Arc;

use super::*;
use crate::sentiment::SentimentLabel;
use crate::topics::PriorityLevel;

#[test]
fn shipped_models_load() {
    let models = LiveModels::shipped().current();
    assert!(models.version().starts_with("sentiment:"), "{}", models.version());
    assert!(
        models.version().contains("taxonomy:default-2025.1"),
        "{}",
        models.version()
    );
    assert!(models.topics.is_none());
}

#[test]
fn enrich_fills_every_field() {
    let models = LiveModels::shipped().current();
    let e = models.enrich("热水器漏电，太危险了，质量太差", None, None);
    assert_eq!(e.sentiment.label, SentimentLabel::Negative);
    assert_eq!(&*e.classification.l1, "product_quality");
    assert!(e.keywords.iter().any(|k| k == "漏电"), "{:?}", e.keywords);
    assert_eq!(e.priority.level, PriorityLevel::High, "{}", e.priority.reason);
}

#[test]
fn a_models_dir_overrides_file_by_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = Models::load(dir.path()).expect("an empty dir means the shipped models");
    assert_eq!(empty.version(), LiveModels::shipped().current().version());
    std::fs::write(dir.path().join(TAXONOMY_FILE), tiny_taxonomy("v-test")).expect("write");
    let models = Models::load(dir.path()).expect("load");
    assert_eq!(models.taxonomy.version(), "v-test");
    assert_eq!(&*models.taxonomy.classify("the screen is broken").l1, "device");
}

#[test]
fn missing_dir_and_bad_files_are_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope");
    assert!(matches!(Models::load(&missing), Err(Error::MissingDir(_))));
    std::fs::write(dir.path().join(SENTIMENT_FILE), b"not a model").expect("write");
    let err = Models::load(dir.path()).expect_err("bad sentiment file");
    assert!(err.to_string().contains("sentiment.vxm"), "{err}");
}

#[test]
fn live_models_reload_on_change_and_survive_a_bad_edit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join(TAXONOMY_FILE);
    std::fs::write(&file, tiny_taxonomy("v1")).expect("write");
    let live = LiveModels::open(dir.path()).expect("open");
    let first = live.refresh().expect("unchanged");
    assert_eq!(first.taxonomy.version(), "v1");

    std::fs::write(&file, "this is [not toml").expect("write");
    assert!(live.refresh().is_err(), "a broken edit is reported");
    assert!(live.refresh().is_ok(), "…once; the old models stay");
    assert_eq!(live.current().taxonomy.version(), "v1");

    std::fs::write(&file, tiny_taxonomy("v2-longer")).expect("write");
    let second = live.refresh().expect("reloaded");
    assert_eq!(second.taxonomy.version(), "v2-longer");
    assert!(!Arc::ptr_eq(&first, &second));
    assert_ne!(first.version(), second.version());
}

fn tiny_taxonomy(version: &str) -> String {
    format!(
        r#"version = "{version}"
fallback = "other"

[[category]]
id = "device"
name = "设备"
name_en = "Device"
keywords = ["screen", "屏幕"]

[[category]]
id = "other"
name = "其他"
name_en = "Other"
"#
    )
}
