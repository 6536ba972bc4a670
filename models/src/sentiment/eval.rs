//! Accuracy and macro-F1 of a model on labelled texts.

use serde::{Deserialize, Serialize};

use super::data::LabelledText;
use super::model::{Sentiment, SentimentLabel, SentimentModel};

/// How predictions are compared with gold labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scheme {
    /// Gold labels are positive/negative only: the prediction is the sign of the
    /// score (`score >= 0` is positive), whatever the neutral band says.
    Binary,
    /// Gold labels include neutral: the predicted label is compared as is.
    ThreeClass,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    pub label: SentimentLabel,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub scheme: Scheme,
    pub texts: usize,
    pub accuracy: f64,
    /// Unweighted mean of the per-class F1 over the classes of the scheme.
    pub macro_f1: f64,
    pub per_class: Vec<ClassMetrics>,
    /// Share of texts whose predicted label is neutral.
    pub neutral_share: f64,
}

/// Scores `examples` with `model`; the scheme is [`Scheme::ThreeClass`] if any
/// gold label is neutral, else [`Scheme::Binary`].
pub fn evaluate(model: &SentimentModel, examples: &[LabelledText]) -> Metrics {
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let gold: Vec<SentimentLabel> = examples.iter().map(|e| e.label).collect();
    metrics(&gold, &model.predict_many(&texts))
}

pub(crate) fn metrics(gold: &[SentimentLabel], predicted: &[Sentiment]) -> Metrics {
    let scheme = if gold.contains(&SentimentLabel::Neutral) {
        Scheme::ThreeClass
    } else {
        Scheme::Binary
    };
    let pred: Vec<SentimentLabel> = predicted.iter().map(|s| compared_label(scheme, s)).collect();
    let classes: &[SentimentLabel] = match scheme {
        Scheme::Binary => &[SentimentLabel::Negative, SentimentLabel::Positive],
        Scheme::ThreeClass => &SentimentLabel::ALL,
    };
    let per_class: Vec<ClassMetrics> = classes.iter().map(|&c| class_metrics(c, gold, &pred)).collect();
    let correct = gold.iter().zip(&pred).filter(|(g, p)| g == p).count();
    let neutral = predicted.iter().filter(|s| s.label == SentimentLabel::Neutral).count();
    Metrics {
        scheme,
        texts: gold.len(),
        accuracy: ratio(correct, gold.len()),
        macro_f1: per_class.iter().map(|c| c.f1).sum::<f64>() / per_class.len() as f64,
        per_class,
        neutral_share: ratio(neutral, gold.len()),
    }
}

fn compared_label(scheme: Scheme, s: &Sentiment) -> SentimentLabel {
    match scheme {
        Scheme::ThreeClass => s.label,
        Scheme::Binary if s.score >= 0.0 => SentimentLabel::Positive,
        Scheme::Binary => SentimentLabel::Negative,
    }
}

fn class_metrics(label: SentimentLabel, gold: &[SentimentLabel], pred: &[SentimentLabel]) -> ClassMetrics {
    let count =
        |f: &dyn Fn(&SentimentLabel, &SentimentLabel) -> bool| gold.iter().zip(pred).filter(|(g, p)| f(g, p)).count();
    let tp = count(&|g, p| *g == label && *p == label);
    let support = count(&|g, _| *g == label);
    let predicted = count(&|_, p| *p == label);
    let (precision, recall) = (ratio(tp, predicted), ratio(tp, support));
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    ClassMetrics {
        label,
        precision,
        recall,
        f1,
        support,
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentiment::Language;
    use SentimentLabel::*;

    fn s(label: SentimentLabel, score: f32) -> Sentiment {
        Sentiment {
            label,
            score,
            language: Language::Zh,
        }
    }

    #[test]
    fn binary_uses_sign_of_score() {
        let m = metrics(
            &[Positive, Negative, Positive],
            &[s(Neutral, 0.1), s(Neutral, -0.1), s(Negative, -0.9)],
        );
        assert_eq!(m.scheme, Scheme::Binary);
        assert!((m.accuracy - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.neutral_share - 2.0 / 3.0).abs() < 1e-12);
        // positive: p = 1/1, r = 1/2 -> f1 2/3; negative: p = 1/2, r = 1 -> f1 2/3.
        assert!((m.macro_f1 - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn three_class_compares_labels() {
        let m = metrics(&[Neutral, Negative], &[s(Neutral, 0.0), s(Positive, 0.5)]);
        assert_eq!(m.scheme, Scheme::ThreeClass);
        assert_eq!(m.accuracy, 0.5);
        assert_eq!(m.per_class.len(), 3);
    }
}
