//! The trained model and inference: route by language, hash, one sparse dot
//! product per output, calibrate.

use std::cell::RefCell;

use serde::{Deserialize, Serialize};

use super::calibrate::Platt;
use super::features::{Featurizer, tf_weight};
use super::lang::{Route, route, route_known};
use super::train::TrainReport;
use crate::text::lang::Language;
use crate::text::normalize::normalize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SentimentLabel {
    Negative,
    Neutral,
    Positive,
}

impl SentimentLabel {
    pub const ALL: [SentimentLabel; 3] = [
        SentimentLabel::Negative,
        SentimentLabel::Neutral,
        SentimentLabel::Positive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SentimentLabel::Negative => "negative",
            SentimentLabel::Neutral => "neutral",
            SentimentLabel::Positive => "positive",
        }
    }
}

impl std::fmt::Display for SentimentLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The sentiment of one text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sentiment {
    pub label: SentimentLabel,
    /// `P(positive) - P(negative)` in [-1, 1]: sign is polarity, magnitude is
    /// calibrated confidence.
    pub score: f32,
    /// The detected language (`zh`, `en` or `other`); `other` texts are scored by
    /// the model of their script.
    pub language: Language,
}

/// Chinese and English sentiment models. Immutable after training or loading,
/// `Send + Sync`: load once and share behind an `Arc`.
#[derive(Clone, Debug)]
pub struct SentimentModel {
    pub(crate) zh: LanguageModel,
    pub(crate) en: LanguageModel,
    pub(crate) report: TrainReport,
}

/// At most three outputs (one-vs-rest negative / neutral / positive).
pub(crate) const MAX_OUTPUTS: usize = 3;

#[derive(Clone, Debug)]
pub(crate) struct LanguageModel {
    pub featurizer: Featurizer,
    /// Binary models have one output, `[Positive]` (positive vs negative);
    /// three-class models `[Negative, Neutral, Positive]`, one-vs-rest.
    pub outputs: Vec<SentimentLabel>,
    /// Per bucket: its feature scale (idf, times the NB ratio for binary
    /// models; 0 = ignored), then one weight per output.
    pub table: Vec<f32>,
    pub bias: Vec<f32>,
    pub platt: Vec<Platt>,
    /// Binary models: `|score|` below this is neutral.
    pub neutral_band: f32,
}

thread_local! {
    static SCRATCH: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

impl SentimentModel {
    pub fn predict(&self, text: &str) -> Sentiment {
        SCRATCH.with(|s| match s.try_borrow_mut() {
            Ok(mut scratch) => self.predict_with(text, &mut scratch),
            Err(_) => self.predict_with(text, &mut Vec::new()),
        })
    }

    /// Scores a batch on the calling thread, reusing one buffer.
    pub fn predict_many(&self, texts: &[&str]) -> Vec<Sentiment> {
        let mut scratch = Vec::with_capacity(512);
        texts.iter().map(|t| self.predict_with(t, &mut scratch)).collect()
    }

    /// As [`predict`](Self::predict) for a text whose language is already known
    /// (ingest stores it), skipping detection — about half the cost of an English
    /// text. `Other` is routed by script as in `predict`.
    pub fn predict_as(&self, text: &str, language: Language) -> Sentiment {
        let text = normalize(text);
        let route = route_known(&text, language);
        SCRATCH.with(|s| match s.try_borrow_mut() {
            Ok(mut scratch) => self.score(&text, language, route, &mut scratch),
            Err(_) => self.score(&text, language, route, &mut Vec::new()),
        })
    }

    fn predict_with(&self, text: &str, scratch: &mut Vec<u32>) -> Sentiment {
        let text = normalize(text);
        let (language, route) = route(&text);
        self.score(&text, language, route, scratch)
    }

    fn score(&self, text: &str, language: Language, route: Route, scratch: &mut Vec<u32>) -> Sentiment {
        let model = self.model(route);
        let (label, score) = match model.margins(text, scratch) {
            Some(margins) => model.decide(&margins),
            None => (SentimentLabel::Neutral, 0.0),
        };
        Sentiment { label, score, language }
    }

    fn model(&self, route: Route) -> &LanguageModel {
        match route {
            Route::Chinese => &self.zh,
            Route::English => &self.en,
        }
    }

    /// Hyperparameters and held-out figures recorded when the model was trained.
    pub fn report(&self) -> &TrainReport {
        &self.report
    }
}

impl LanguageModel {
    pub(crate) fn stride(&self) -> usize {
        1 + self.outputs.len()
    }

    /// Raw SVM margins of a normalised text; `None` if no n-gram of the text was
    /// seen in training (empty text, unknown script): there is no evidence, and
    /// the bias alone would just echo the class balance.
    pub(crate) fn margins(&self, text: &str, raw: &mut Vec<u32>) -> Option<[f64; MAX_OUTPUTS]> {
        raw.clear();
        self.featurizer.extract(text, raw);
        raw.sort_unstable();
        let (s, n) = (self.stride(), self.outputs.len());
        let mut acc = [0f32; MAX_OUTPUTS];
        let mut norm = 0f32;
        for run in raw.chunk_by(|a, b| a == b) {
            let start = run[0] as usize * s;
            let Some(row) = self.table.get(start..start + s) else {
                continue;
            };
            if row[0] > 0.0 {
                let v = tf_weight(run.len() as u32) * row[0];
                norm += v * v;
                acc.iter_mut().zip(&row[1..]).for_each(|(a, w)| *a += v * w);
            }
        }
        if norm <= 0.0 {
            return None;
        }
        let inv = 1.0 / norm.sqrt();
        let mut margins = [0f64; MAX_OUTPUTS];
        for k in 0..n {
            margins[k] = f64::from(acc[k] * inv + self.bias[k]);
        }
        Some(margins)
    }

    /// Calibrated label and score from the margins.
    pub(crate) fn decide(&self, margins: &[f64; MAX_OUTPUTS]) -> (SentimentLabel, f32) {
        if self.outputs.len() == 1 {
            let score = (2.0 * self.platt[0].probability(margins[0]) - 1.0) as f32;
            let label = match score {
                s if s.abs() < self.neutral_band => SentimentLabel::Neutral,
                s if s > 0.0 => SentimentLabel::Positive,
                _ => SentimentLabel::Negative,
            };
            return (label, score);
        }
        let mut p = [0f64; MAX_OUTPUTS];
        for (k, platt) in self.platt.iter().enumerate() {
            p[k] = platt.probability(margins[k]);
        }
        let total: f64 = p.iter().sum::<f64>().max(f64::MIN_POSITIVE);
        let best = (0..self.outputs.len()).fold(0, |b, k| if p[k] > p[b] { k } else { b });
        let prob = |label| {
            self.outputs
                .iter()
                .position(|&o| o == label)
                .map_or(0.0, |k| p[k] / total)
        };
        let score = prob(SentimentLabel::Positive) - prob(SentimentLabel::Negative);
        (self.outputs[best], score as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentiment::testutil::tiny_model;

    #[test]
    fn model_is_shareable() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<SentimentModel>();
    }

    #[test]
    fn predicts_both_languages() {
        let model = tiny_model();
        let zh = model.predict("质量很好，很喜欢");
        assert_eq!((zh.label, zh.language), (SentimentLabel::Positive, Language::Zh));
        let en = model.predict("Worst service ever, my bag is lost");
        assert_eq!((en.label, en.language), (SentimentLabel::Negative, Language::En));
        assert!(en.score < 0.0 && zh.score > 0.0 && zh.score <= 1.0);
    }

    #[test]
    fn no_evidence_is_neutral() {
        let model = tiny_model();
        for text in ["", "   ", "ЖЖЖ"] {
            let s = model.predict(text);
            assert_eq!((s.label, s.score), (SentimentLabel::Neutral, 0.0), "{text:?}");
        }
    }

    #[test]
    fn batch_and_known_language_agree_with_predict() {
        let model = tiny_model();
        let texts = ["太差了", "great crew, thanks", "物流很快"];
        let batch = model.predict_many(&texts);
        for (text, b) in texts.iter().zip(&batch) {
            assert_eq!(*b, model.predict(text));
            assert_eq!(*b, model.predict_as(text, b.language));
        }
    }
}
