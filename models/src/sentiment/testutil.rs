//! A tiny model trained in milliseconds, for unit tests.

use super::{FeatureConfig, LabelledText, LanguageTrainConfig, SentimentLabel, SentimentModel, TrainConfig, train};

fn examples(rows: &[(&str, SentimentLabel)]) -> Vec<LabelledText> {
    rows.iter()
        .cycle()
        .take(rows.len() * 5)
        .enumerate()
        .map(|(i, (t, l))| LabelledText {
            text: format!("{t} {}", i % 7),
            label: *l,
            domain: "test".into(),
        })
        .collect()
}

pub(crate) fn tiny_config() -> TrainConfig {
    let small = |features: FeatureConfig| LanguageTrainConfig {
        features: FeatureConfig {
            hash_bits: 12,
            min_df: 1,
            ..features
        },
        c: 1.0,
        balanced: false,
        nb_power: 0.0,
    };
    TrainConfig {
        zh: small(FeatureConfig::chinese()),
        en: small(FeatureConfig::english()),
        calibration_fraction: 0.3,
        ..TrainConfig::default()
    }
}

pub(crate) fn tiny_model() -> SentimentModel {
    use SentimentLabel::*;
    let zh = examples(&[
        ("质量很好，很喜欢", Positive),
        ("太差了，不喜欢", Negative),
        ("物流很快，好评", Positive),
        ("送得太慢，差评", Negative),
    ]);
    let en = examples(&[
        ("great flight thanks", Positive),
        ("worst service ever, delayed again", Negative),
        ("what time does the flight leave", Neutral),
        ("love the crew, thank you", Positive),
        ("lost my bag, terrible", Negative),
        ("is there wifi on board", Neutral),
    ]);
    match train(&tiny_config(), &zh, &en) {
        Ok(model) => model,
        Err(e) => panic!("tiny model: {e}"),
    }
}
