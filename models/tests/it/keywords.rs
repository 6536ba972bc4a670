//! Keywords with the shipped IDF, and the command that regenerates it.

use std::path::Path;
use std::time::Instant;

use voxlake_models::keywords::{Idf, KeywordExtractor, train_idf};
use voxlake_models::sentiment::load_training_dir;

/// Regenerates `models/assets/idf.tsv` from the `*_train.csv` files (the same
/// code the `voxlake train` command is to call).
#[test]
#[ignore = "writes models/assets/idf.tsv: run with --release --ignored"]
fn regenerate_shipped_idf() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/reviews");
    let set = load_training_dir(&dir).expect("read train files");
    let texts = set.zh.iter().chain(&set.en).map(|t| t.text.as_str());
    let idf = train_idf(texts).top(50_000, 2);
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/idf.tsv");
    idf.save(&out).expect("write idf");
    println!("{} terms over {} texts -> {}", idf.len(), idf.docs(), out.display());
}

#[test]
fn shipped_idf_picks_the_issue_words() {
    let idf = Idf::shipped().expect("shipped idf");
    if idf.is_empty() {
        println!("note: shipped IDF is empty; run regenerate_shipped_idf");
        return;
    }
    let ex = KeywordExtractor::shipped().expect("extractor");
    let kw = ex.keywords("手机用了三天就黑屏了，客服一直不回复，快递倒是很快", 3);
    println!("{kw:?}");
    assert!(kw.contains(&"黑屏".to_owned()), "{kw:?}");
    let en = ex.keywords("My luggage was lost and the flight was delayed", 2);
    assert!(en.contains(&"luggage".to_owned()), "{en:?}");
    let texts = ["快递很快，东西不错，包装完好"; 20_000];
    let started = Instant::now();
    let n: usize = texts.iter().map(|t| ex.keywords(t, 5).len()).sum();
    println!(
        "keywords top-5: {:.0} texts/s",
        texts.len() as f64 / started.elapsed().as_secs_f64()
    );
    assert!(n > 0);
}
