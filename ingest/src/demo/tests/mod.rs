//! End-to-end tests of the generator, on one shared default-size run:
//! formats and determinism, distributions and dirt, planted events.

mod distributions;
mod formats;
mod planted;

use std::sync::OnceLock;

use chrono::NaiveDate;

use super::{DemoConfig, DemoRecord, generate};

/// The default 200k-row run, generated once for all tests.
fn default_run() -> &'static [DemoRecord] {
    static RUN: OnceLock<Vec<DemoRecord>> = OnceLock::new();
    RUN.get_or_init(|| generate(&DemoConfig::default()).collect())
}

fn share(records: &[DemoRecord], pred: impl Fn(&DemoRecord) -> bool) -> f64 {
    records.iter().filter(|r| pred(r)).count() as f64 / records.len() as f64
}

fn has_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

fn day(record: &DemoRecord) -> NaiveDate {
    record.received_at.naive_utc().date()
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Recognises the spam and noise the generator writes (ads, repeats, mash, filler).
fn looks_like_spam(text: &str) -> bool {
    let mut chars = text.chars();
    let first = chars.next().unwrap_or(' ');
    let ads = ["微信", "vx", "QQ", "http", "发票", "公众号", "加V"];
    has_any(text, &ads)
        || text.chars().all(|c| c == first)
        || text.chars().all(|c| c.is_ascii_lowercase())
        || text.chars().all(|c| "的了是我在有就不人都这个".contains(c))
}
