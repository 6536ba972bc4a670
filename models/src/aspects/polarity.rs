//! The polarity of one clause towards one aspect.
//!
//! The sentiment model was trained on whole reviews; on a four-character
//! clause ("包装也破了") it has little to go on. Opinion words carry most of a
//! short clause's polarity, so each clause is scored from two sources:
//!
//! - opinion words with negation ([`lexicon`](crate::taxonomy::lexicon)): the
//!   built-in general list below plus the aspect's own `positive` / `negative`
//!   words from the taxonomy (快 is good for delivery, 咸 bad for taste), which
//!   win where both match the same characters; a negated word flips (不新鲜 is
//!   negative, 不贵 positive, at 0.7 strength);
//! - the sentiment model's score of the clause (`predict_as`).
//!
//! `score = 0.65 * lexicon + 0.35 * model` when the clause has opinion words,
//! `0.2 * model` when it has only middling ones (一般, 还行, okay), the model's
//! score alone otherwise; |score| below [`NEUTRAL_BAND`] is neutral.

use std::sync::LazyLock;

use super::words::{MIDDLING, NEGATIVE, NOT_BAD, NOT_OPINIONS, POSITIVE};
use crate::sentiment::{Language, SentimentLabel, SentimentModel};
use crate::taxonomy::lexicon::{Hit, IGNORE, Lexicon};

/// |score| below this is neutral.
pub const NEUTRAL_BAND: f32 = 0.2;
const LEXICON_WEIGHT: f32 = 0.65;
/// Only middling words ("一般", "okay"): the model may only tip the balance.
const MIDDLING_MODEL_WEIGHT: f32 = 0.2;
/// A negated negative word ("不贵", "not bad") is positive, but less so.
const FLIPPED_NEGATIVE: f32 = 0.7;

const TARGET_POSITIVE: u32 = 0;
const TARGET_NEGATIVE: u32 = 1;
const TARGET_MIDDLING: u32 = 2;

static GENERAL: LazyLock<Option<Lexicon>> = LazyLock::new(|| {
    let words = POSITIVE
        .iter()
        .map(|w| (*w, TARGET_POSITIVE))
        .chain(NEGATIVE.iter().map(|w| (*w, TARGET_NEGATIVE)))
        .chain(MIDDLING.iter().map(|w| (*w, TARGET_MIDDLING)))
        .chain(NOT_BAD.iter().map(|w| (*w, TARGET_POSITIVE)))
        .chain(
            NOT_OPINIONS
                .iter()
                .filter(|w| !NOT_BAD.contains(w))
                .map(|w| (*w, IGNORE)),
        );
    Lexicon::build(words).ok()
});

/// Opinion evidence in a piece of text, as `(sum of polarities, count)`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Evidence {
    pub sum: f32,
    pub count: u32,
    /// Opinion words with a polarity (not middling ones).
    pub polar: u32,
}

impl Evidence {
    /// Mean polarity in [-1, 1]; `None` without any opinion word.
    pub(crate) fn mean(self) -> Option<f32> {
        (self.count > 0).then(|| (self.sum / self.count as f32).clamp(-1.0, 1.0))
    }
}

/// Opinion words of `span` (normalised, lower-case) towards aspect `aspect`,
/// given the taxonomy's aspect-specific `opinions` lexicon.
pub(crate) fn evidence(span: &str, aspect: usize, opinions: &Lexicon) -> Evidence {
    let mut specific = Vec::new();
    opinions.scan(span, &mut specific);
    specific.retain(|h| h.target as usize / 2 == aspect);
    let mut general = Vec::new();
    if let Some(lexicon) = GENERAL.as_ref() {
        lexicon.scan(span, &mut general);
    }
    general.retain(|g| !specific.iter().any(|s| s.start < g.end && g.start < s.end));
    let mut e = Evidence::default();
    for h in &specific {
        e.add(polarity(h, h.target % 2 == 0));
    }
    for h in general.iter().filter(|h| h.target != TARGET_MIDDLING) {
        e.add(polarity(h, h.target == TARGET_POSITIVE));
    }
    general
        .iter()
        .filter(|h| h.target == TARGET_MIDDLING)
        .for_each(|_| e.add(0.0));
    e
}

impl Evidence {
    fn add(&mut self, polarity: f32) {
        self.sum += polarity;
        self.count += 1;
        self.polar += u32::from(polarity != 0.0);
    }
}

fn polarity(hit: &Hit, positive: bool) -> f32 {
    match (positive, hit.negated) {
        (true, false) => 1.0,
        (true, true) => -1.0,
        (false, false) => -1.0,
        (false, true) => FLIPPED_NEGATIVE,
    }
}

/// Blends opinion evidence with the sentiment model's score of `span`.
pub(crate) fn score(
    evidence: Evidence,
    span: &str,
    language: Language,
    model: &SentimentModel,
) -> (SentimentLabel, f32) {
    let model_score = model.predict_as(span, language).score;
    let score = match evidence.mean() {
        Some(_) if evidence.polar == 0 => MIDDLING_MODEL_WEIGHT * model_score,
        Some(lex) => LEXICON_WEIGHT * lex + (1.0 - LEXICON_WEIGHT) * model_score,
        None => model_score,
    }
    .clamp(-1.0, 1.0);
    (label(score), score)
}

pub(crate) fn label(score: f32) -> SentimentLabel {
    if score >= NEUTRAL_BAND {
        SentimentLabel::Positive
    } else if score <= -NEUTRAL_BAND {
        SentimentLabel::Negative
    } else {
        SentimentLabel::Neutral
    }
}
