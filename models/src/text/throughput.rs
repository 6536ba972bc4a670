//! Throughput sanity check of the per-record cleaning path on a real corpus.
//! Not a benchmark (those belong in `benches/`); run it by hand:
//!
//! ```text
//! cargo test --release -p voxlake-models --lib text::throughput -- --ignored --nocapture
//! ```
//!
//! It reads `waimai_train.csv` from `$VOXLAKE_DATA_DIR/reviews/` (default: the
//! `shared/data` folder beside the repository) and skips if it is missing.

use std::path::PathBuf;
use std::time::Instant;

use super::lang::detect_language;
use super::normalize::normalize_cow;
use super::pii::mask_pii;
use super::simhash::{DEFAULT_MAX_DISTANCE, NearDupIndex, is_near_dup_candidate, simhash};
use super::spam::detect_spam;
use super::tokenize::Tokenizer;

fn reviews() -> Option<Vec<String>> {
    let dir = std::env::var_os("VOXLAKE_DATA_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"),
        PathBuf::from,
    );
    let mut reader = csv::Reader::from_path(dir.join("reviews/waimai_train.csv")).ok()?;
    let texts = reader.records().filter_map(Result::ok);
    Some(texts.filter_map(|r| r.get(1).map(str::to_owned)).collect())
}

/// A named function run on every text.
type Stage = (&'static str, fn(&str));

/// Runs `f` over the corpus until a second has passed; returns records/s.
fn records_per_sec(texts: &[String], mut f: impl FnMut(&str)) -> f64 {
    let start = Instant::now();
    let mut done = 0usize;
    while start.elapsed().as_secs_f64() < 1.0 {
        texts.iter().for_each(|t| f(t));
        done += texts.len();
    }
    done as f64 / start.elapsed().as_secs_f64()
}

#[test]
#[ignore = "throughput sanity check on a real corpus; run by hand with --release"]
fn cleaning_path_throughput() {
    let Some(texts) = reviews() else {
        eprintln!("waimai_train.csv not found; set VOXLAKE_DATA_DIR");
        return;
    };
    let bytes: usize = texts.iter().map(String::len).sum();
    let clean = records_per_sec(&texts, |raw| {
        let text = normalize_cow(raw);
        let language = detect_language(&text);
        let masked = mask_pii(&text);
        let spam = detect_spam(&masked.text);
        let hash = simhash(&masked.text);
        std::hint::black_box((language, spam, hash));
    });
    eprintln!(
        "{} reviews, {:.0} bytes on average, one thread:",
        texts.len(),
        bytes as f64 / texts.len() as f64
    );
    eprintln!("  normalize+detect_language+mask_pii+detect_spam+simhash: {clean:.0} records/s");
    let normalized: Vec<String> = texts.iter().map(|t| normalize_cow(t).into_owned()).collect();
    let stages: [Stage; 5] = [
        ("normalize", |t| drop(std::hint::black_box(normalize_cow(t)))),
        ("detect_language", |t| _ = std::hint::black_box(detect_language(t))),
        ("mask_pii", |t| drop(std::hint::black_box(mask_pii(t)))),
        ("detect_spam", |t| _ = std::hint::black_box(detect_spam(t))),
        ("simhash", |t| _ = std::hint::black_box(simhash(t))),
    ];
    for (stage, f) in stages {
        let input = if stage == "normalize" { &texts } else { &normalized };
        eprintln!("  {stage}: {:.0} records/s", records_per_sec(input, f));
    }
    for max_distance in [3, 7, DEFAULT_MAX_DISTANCE] {
        eprintln!(
            "  simhash + find/insert (max {max_distance}): {:.0} records/s",
            dedup_rate(&normalized, max_distance)
        );
    }
    let tokenizer = Tokenizer::new();
    let tokenize = records_per_sec(&texts, |raw| drop(std::hint::black_box(tokenizer.tokens(raw))));
    eprintln!("  Tokenizer::tokens: {tokenize:.0} records/s");
}

/// Near-duplicate lookup and insert of each text into a 100 000-entry window.
fn dedup_rate(texts: &[String], max_distance: u32) -> f64 {
    let mut index = NearDupIndex::new(100_000);
    let mut at = 0u64;
    records_per_sec(texts, |text| {
        if is_near_dup_candidate(text) {
            let hash = simhash(text);
            std::hint::black_box(index.find(hash, max_distance));
            index.insert(hash, at, ());
            at += 1;
        }
    })
}
