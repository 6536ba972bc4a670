//! Output formats, determinism, ids and the time window.

use std::collections::HashSet;

use chrono::DateTime;

use super::super::*;
use super::{day, default_run};

#[test]
fn same_seed_gives_same_bytes_and_other_seeds_differ() {
    let config = DemoConfig {
        rows: 20_000,
        seed: 7,
        ..DemoConfig::default()
    };
    let write = |config: &DemoConfig| {
        let mut out = Vec::new();
        write_ndjson(config, &mut out).map(|_| out).unwrap_or_default()
    };
    let first = write(&config);
    assert!(!first.is_empty());
    assert_eq!(first, write(&config));
    assert_ne!(first, write(&DemoConfig { seed: 8, ..config }));
}

#[test]
fn ndjson_parses_back_with_exact_columns_in_order() {
    let config = DemoConfig {
        rows: 5_000,
        ..DemoConfig::default()
    };
    let mut out = Vec::new();
    assert_eq!(write_ndjson(&config, &mut out).ok(), Some(5_000));
    let text = String::from_utf8(out).unwrap_or_default();
    let expected: HashSet<&str> = COLUMNS.into_iter().collect();
    for line in text.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
        let object = value
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect::<HashSet<_>>());
        assert_eq!(object.as_ref(), Some(&expected), "{line}");
        let positions: Vec<usize> = COLUMNS.iter().filter_map(|c| line.find(&format!("\"{c}\":"))).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "column order in {line}");
        assert!(value["tags"].is_array() && value["customer_id"].is_u64());
        let at = value["received_at"].as_str().unwrap_or_default();
        assert!(
            at.ends_with("+08:00") && DateTime::parse_from_rfc3339(at).is_ok(),
            "{at}"
        );
    }
    assert_eq!(text.lines().count(), 5_000);
}

#[test]
fn csv_parses_back_with_exact_columns() {
    let config = DemoConfig {
        rows: 5_000,
        ..DemoConfig::default()
    };
    let mut out = Vec::new();
    assert_eq!(write_csv(&config, &mut out).ok(), Some(5_000));
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let headers: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    assert_eq!(headers, COLUMNS);
    let originals: Vec<DemoRecord> = generate(&config).collect();
    let mut n = 0;
    for (row, original) in reader.records().zip(&originals) {
        let row = row.unwrap_or_default();
        assert_eq!(row.len(), COLUMNS.len());
        assert_eq!(&row[1], original.source_id);
        assert_eq!(row[3].parse::<u64>().ok(), Some(original.customer_id));
        assert_eq!(&row[15], original.text);
        assert_eq!(&row[16], original.tags.join("|"));
        assert_eq!(row[13].parse::<u8>().ok(), original.rating);
        assert!(DateTime::parse_from_rfc3339(&row[2]).is_ok());
        n += 1;
    }
    assert_eq!(n, 5_000);
}

#[test]
fn every_record_is_inside_the_window_and_roughly_in_time_order() {
    let records = default_run();
    assert_eq!(records.len(), 200_000);
    let config = DemoConfig::default();
    assert!(records.iter().all(|r| day(r) >= config.start && day(r) < config.end()));
    let backwards = records
        .windows(2)
        .filter(|w| w[1].received_at < w[0].received_at)
        .count();
    assert!(backwards < records.len() / 50, "{backwards} records out of order");
    let short = DemoConfig {
        rows: 1_000,
        days: 1,
        ..config
    };
    assert!(generate(&short).all(|r| day(&r) == short.start));
    assert_eq!(generate(&DemoConfig { rows: 0, ..config }).count(), 0);
}

#[test]
fn source_ids_are_unique_and_prefixed_by_channel() {
    let records = default_run();
    let ids: HashSet<&str> = records.iter().map(|r| r.source_id.as_str()).collect();
    assert_eq!(ids.len(), records.len());
    let jd = records
        .iter()
        .find(|r| r.channel == "jd")
        .map(|r| r.source_id.as_str())
        .unwrap_or_default();
    assert!(jd.starts_with("jd-") && jd.len() == 14, "{jd}");
}
