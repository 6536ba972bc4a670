//! Aspect-level sentiment: what a customer liked and disliked, per aspect.
//!
//! "味道不错，但是送餐太慢了，包装也破了" is neither positive nor negative as a
//! whole; it is positive about taste and negative about delivery and
//! packaging, and only that tells the kitchen and the courier company apart.
//!
//! # Design
//! - **Aspects come from the taxonomy file** (`[[aspect]]` sections of
//!   `models/taxonomy.toml`, see [`crate::taxonomy`]): each has an id, names,
//!   keywords that mention it, optional aspect-specific opinion words and an
//!   optional category it rolls up to. The company edits the list like the
//!   taxonomy; nothing here hard-codes an aspect.
//! - **Clauses** ([`clause`]): split at punctuation and contrast words; a
//!   clause mentioning several aspects is cut between the mentions.
//! - **Aspects per clause**: the aspect keywords found in it (one Aho-Corasick
//!   pass, as the taxonomy's keywords).
//! - **Polarity per aspect** ([`polarity`]): opinion words with negation,
//!   blended with the sentiment model's score of the segment; a segment with
//!   no opinion word of its own ("味道和包装都很好" → "味道") takes the polarity
//!   of its whole clause, and a clause without one that of the clause plus a
//!   following clause that names no aspect ("送到还是热的，很满意").
//!
//! One [`AspectSentiment`] is returned per aspect per clause, in text order.

mod clause;
pub(crate) mod polarity;
pub(crate) mod words;

use std::ops::Range;
use std::sync::Arc;

use crate::sentiment::{SentimentLabel, SentimentModel};
use crate::taxonomy::Taxonomy;
use crate::taxonomy::lexicon::Hit;
use crate::text::lang::{Language, detect_language};
use crate::text::normalize::normalize;

pub use polarity::NEUTRAL_BAND;

/// The sentiment of one clause towards one aspect.
#[derive(Clone, Debug, PartialEq)]
pub struct AspectSentiment {
    /// Aspect id from the taxonomy file (`taste`, `delivery` …).
    pub aspect: String,
    /// Its display name (`口味`).
    pub name: String,
    /// The taxonomy category the aspect rolls up to, if the file gives one.
    pub category: Option<String>,
    pub label: SentimentLabel,
    /// In [-1, 1]: sign is polarity, magnitude strength.
    pub score: f32,
    /// The clause (or part of it) the judgement rests on.
    pub evidence: String,
}

/// A taxonomy and a sentiment model, shareable across threads.
#[derive(Clone, Debug)]
pub struct AspectAnalyzer {
    pub taxonomy: Arc<Taxonomy>,
    pub sentiment: Arc<SentimentModel>,
}

impl AspectAnalyzer {
    pub fn new(taxonomy: Arc<Taxonomy>, sentiment: Arc<SentimentModel>) -> Self {
        AspectAnalyzer { taxonomy, sentiment }
    }

    pub fn aspect_sentiment(&self, text: &str) -> Vec<AspectSentiment> {
        aspect_sentiment(&self.taxonomy, &self.sentiment, text)
    }
}

/// Every aspect mentioned in `text` with its polarity, in text order. Empty
/// for an empty text or one that names no aspect of the taxonomy.
pub fn aspect_sentiment(taxonomy: &Taxonomy, sentiment: &SentimentModel, text: &str) -> Vec<AspectSentiment> {
    let shown = normalize(text);
    // ASCII lower-casing keeps byte offsets, so spans index both strings.
    let lower = shown.to_ascii_lowercase();
    let language = detect_language(&lower);
    let clauses: Vec<(Range<usize>, Vec<Mention>)> = clause::clauses(&lower)
        .into_iter()
        .map(|c| (c.clone(), mentions(taxonomy, &lower, c)))
        .collect();
    let judge = Judge {
        taxonomy,
        sentiment,
        language,
        lower: &lower,
    };
    let mut out = Vec::new();
    for (i, (clause, mentions)) in clauses.iter().enumerate() {
        // A following clause that names no aspect continues this one's opinion
        // ("披萨送到的时候还是热的，很满意").
        let next = clauses.get(i + 1).filter(|(_, m)| m.is_empty());
        let widest = clause.start..next.map_or(clause.end, |(c, _)| c.end);
        let ranges: Vec<Range<usize>> = mentions.iter().map(|m| m.1.clone()).collect();
        let segments = clause::segments(&lower, clause.clone(), &ranges);
        for ((aspect, _), segment) in mentions.iter().zip(segments) {
            let spans = [segment, clause.clone(), widest.clone()];
            let (span, label, score) = judge.polarity(*aspect, &spans);
            out.push(entry(taxonomy, *aspect, label, score, shown[span].trim()));
        }
    }
    out
}

/// An aspect (index into the taxonomy's aspects) and where it is named.
type Mention = (usize, Range<usize>);

/// The first mention of each aspect in `clause`, sorted by position.
fn mentions(taxonomy: &Taxonomy, lower: &str, clause: Range<usize>) -> Vec<Mention> {
    let mut hits: Vec<Hit> = Vec::new();
    taxonomy.aspect_lexicon.scan(&lower[clause.clone()], &mut hits);
    let mut out: Vec<Mention> = Vec::new();
    for h in hits {
        let aspect = h.target as usize;
        if !out.iter().any(|(a, _)| *a == aspect) {
            out.push((aspect, clause.start + h.start..clause.start + h.end));
        }
    }
    out.sort_by_key(|(_, r)| r.start);
    out
}

struct Judge<'a> {
    taxonomy: &'a Taxonomy,
    sentiment: &'a SentimentModel,
    language: Language,
    lower: &'a str,
}

impl Judge<'_> {
    /// Polarity from the first of `spans` (segment, clause, clause and its
    /// continuation) that holds an opinion word; the model alone on the widest
    /// span when none does.
    fn polarity(&self, aspect: usize, spans: &[Range<usize>; 3]) -> (Range<usize>, SentimentLabel, f32) {
        let opinions = &self.taxonomy.opinion_lexicon;
        let found = spans.iter().find_map(|span| {
            let e = polarity::evidence(&self.lower[span.clone()], aspect, opinions);
            (e.count > 0).then(|| (span.clone(), e))
        });
        let (span, evidence) = found.unwrap_or_else(|| (spans[2].clone(), Default::default()));
        let (label, score) = polarity::score(evidence, &self.lower[span.clone()], self.language, self.sentiment);
        (span, label, score)
    }
}

fn entry(taxonomy: &Taxonomy, aspect: usize, label: SentimentLabel, score: f32, evidence: &str) -> AspectSentiment {
    let a = &taxonomy.aspects()[aspect];
    AspectSentiment {
        aspect: a.id.clone(),
        name: a.name.clone(),
        category: a.category.clone(),
        label,
        score,
        evidence: evidence.to_owned(),
    }
}

#[cfg(test)]
mod tests;
