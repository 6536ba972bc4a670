use std::path::Path;
use std::sync::LazyLock;

use super::*;

static MODEL: LazyLock<SentimentModel> = LazyLock::new(|| {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sentiment.vxm");
    SentimentModel::load(&path).unwrap()
});

fn run(text: &str) -> Vec<(String, SentimentLabel)> {
    let taxonomy = Taxonomy::default();
    aspect_sentiment(&taxonomy, &MODEL, text)
        .into_iter()
        .map(|a| (a.aspect, a.label))
        .collect()
}

fn pairs(expected: &[(&str, SentimentLabel)]) -> Vec<(String, SentimentLabel)> {
    expected.iter().map(|(a, l)| ((*a).to_owned(), *l)).collect()
}

use SentimentLabel::{Negative, Positive};

#[test]
fn the_issue_example() {
    let taxonomy = Taxonomy::default();
    let got = aspect_sentiment(&taxonomy, &MODEL, "味道不错，但是送餐太慢了，包装也破了");
    let summary: Vec<(&str, &str, SentimentLabel, &str)> = got
        .iter()
        .map(|a| (a.aspect.as_str(), a.name.as_str(), a.label, a.evidence.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("taste", "口味", Positive, "味道不错"),
            ("delivery", "配送", Negative, "送餐太慢了"),
            ("packaging", "包装", Negative, "包装也破了"),
        ]
    );
    assert!(got.iter().all(|a| (-1.0..=1.0).contains(&a.score)));
}

#[test]
fn negation_and_english() {
    assert_eq!(
        run("水果不新鲜，价格也不便宜"),
        pairs(&[("freshness", Negative), ("price", Negative)])
    );
    assert_eq!(
        run("Great food and slow delivery"),
        pairs(&[("taste", Positive), ("delivery", Negative)])
    );
    assert_eq!(
        run("味道和包装都很好"),
        pairs(&[("taste", Positive), ("packaging", Positive)])
    );
}

#[test]
fn nothing_to_report() {
    assert!(run("").is_empty());
    assert!(run("，。!!").is_empty());
    assert!(run("今天天气不错").is_empty());
}

#[test]
fn analyzer_is_shareable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<AspectAnalyzer>();
    assert_send_sync::<AspectSentiment>();
}
