//! Taxonomy classification speed and behaviour on real reviews.

use std::path::Path;
use std::time::Instant;

use voxlake_models::sentiment::{Split, load_split};
use voxlake_models::taxonomy::Taxonomy;

/// Short real reviews (waimai_test) if the data folder is there, else the fixture.
fn short_reviews() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/reviews");
    if let Ok(files) = load_split(&dir, Split::Test)
        && let Some(f) = files.into_iter().find(|f| f.name == "waimai")
    {
        return f.examples.into_iter().map(|e| e.text).collect();
    }
    println!("note: data folder absent, timing on the aspect fixture");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aspects.jsonl");
    std::fs::read_to_string(fixture)
        .expect("fixture")
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
#[ignore = "timing: run with --release --include-ignored"]
fn classifies_over_50k_short_reviews_per_second() {
    let taxonomy = Taxonomy::default();
    let texts = short_reviews();
    let mut best = 0f64;
    for _ in 0..3 {
        let started = Instant::now();
        let classified = texts.iter().filter(|t| taxonomy.classify(t).l1.len() > 1).count();
        let rate = texts.len() as f64 / started.elapsed().as_secs_f64();
        assert_eq!(classified, texts.len());
        best = best.max(rate);
    }
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    println!(
        "classify: {} texts ({:.0} chars avg): {best:.0} texts/s on one core",
        texts.len(),
        chars as f64 / texts.len() as f64
    );
    assert!(best >= 50_000.0, "{best:.0} texts/s");
}

#[test]
fn waimai_reviews_land_in_food_and_delivery_categories() {
    let taxonomy = Taxonomy::default();
    let texts = short_reviews();
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for t in &texts {
        *counts.entry(taxonomy.classify(t).l1.to_string()).or_default() += 1;
    }
    println!("level-1 distribution: {counts:?}");
    let other = counts.get("other").copied().unwrap_or(0);
    assert!(other * 2 < texts.len(), "most reviews match some category");
}
