//! [`Taxonomy::classify`]: keyword evidence, optionally blended with the
//! supervised model, into a level-1 / level-2 decision (see the module docs of
//! [`crate::taxonomy`] for the rule).

use std::cell::RefCell;
use std::sync::Arc;

use super::Taxonomy;
use super::lexicon::Hit;
use super::linear::argmax;
use crate::text::normalize::normalize_cow;

/// Share of the model in the blended probabilities when one is attached.
const MODEL_WEIGHT: f32 = 0.6;
/// Fixed evidence of one matching regex pattern.
const PATTERN_WEIGHT: f32 = 1.5;
/// A negated keyword still names the topic: this share counts for level 1.
const NEGATED_TOPIC_WEIGHT: f32 = 0.5;
/// Level 2 is reported only when its probability among the siblings reaches this.
pub const L2_MIN_PROBABILITY: f32 = 0.4;

/// Where a text falls in the taxonomy.
#[derive(Clone, Debug, PartialEq)]
pub struct Classification {
    /// Level-1 id (the fallback, `other`, when nothing matches).
    pub l1: Arc<str>,
    /// Level-2 id, when the evidence points to one child of `l1`.
    pub l2: Option<Arc<str>>,
    /// Probability of `l1` in [0, 1]; 0 when the fallback was chosen for lack
    /// of any evidence.
    pub confidence: f32,
    /// Probability of `l2` among the children of `l1`.
    pub l2_confidence: Option<f32>,
    pub taxonomy_version: Arc<str>,
}

thread_local! {
    static HITS: RefCell<Vec<Hit>> = const { RefCell::new(Vec::new()) };
}

impl Taxonomy {
    /// Classifies one feedback text. Never fails: empty or unrelated texts get
    /// the fallback category with confidence 0.
    pub fn classify(&self, text: &str) -> Classification {
        let text = normalize_cow(text).to_lowercase();
        let scores = HITS.with(|h| match h.try_borrow_mut() {
            Ok(mut hits) => self.keyword_scores(&text, &mut hits),
            Err(_) => self.keyword_scores(&text, &mut Vec::new()),
        });
        let model = self.model.as_ref().and_then(|m| m.probabilities(&text));
        let (l1, confidence) = self.choose_l1(&scores, model.as_ref().map(|m| &m.0[..]));
        let l2 = self.choose_l2(l1, &scores, model.as_ref().map(|m| &m.1[..]));
        let no_evidence = confidence == 0.0 || (model.is_none() && scores.iter().all(|&s| s == 0.0));
        Classification {
            l1: self.ids[l1].clone(),
            l2: l2.map(|(j, _)| self.ids[j].clone()),
            confidence: if no_evidence { 0.0 } else { confidence },
            l2_confidence: l2.map(|(_, p)| p),
            taxonomy_version: self.version.clone(),
        }
    }

    /// Keyword and pattern evidence per category.
    fn keyword_scores(&self, text: &str, hits: &mut Vec<Hit>) -> Vec<f32> {
        hits.clear();
        self.lexicon.scan(text, hits);
        let mut scores = vec![0f32; self.categories.len()];
        for h in hits.iter() {
            self.add(&mut scores, h.target as usize, h.weight, h.negated);
        }
        for (re, c) in &self.patterns {
            if re.is_match(text) {
                self.add(&mut scores, *c, PATTERN_WEIGHT, false);
            }
        }
        scores
    }

    fn add(&self, scores: &mut [f32], c: usize, weight: f32, negated: bool) {
        let topic = if negated { NEGATED_TOPIC_WEIGHT } else { 1.0 };
        match self.parents[c] {
            Some(parent) => {
                scores[parent] += weight * topic;
                if !negated {
                    scores[c] += weight;
                }
            }
            None => scores[c] += weight * topic,
        }
    }

    /// Best level-1 category and its (blended) probability.
    fn choose_l1(&self, scores: &[f32], model: Option<&[f32]>) -> (usize, f32) {
        let level1: Vec<usize> = (0..scores.len()).filter(|&c| self.parents[c].is_none()).collect();
        let total: f32 = level1.iter().map(|&c| scores[c]).sum();
        let mut p: Vec<f32> = level1
            .iter()
            .map(|&c| {
                let residual = if c == self.fallback { 1.0 } else { 0.0 };
                (scores[c] + residual) / (total + 1.0)
            })
            .collect();
        if let Some(m) = model {
            p.iter_mut()
                .zip(&level1)
                .for_each(|(p, &c)| *p = MODEL_WEIGHT * m[c] + (1.0 - MODEL_WEIGHT) * *p);
        }
        let best = argmax(&p);
        let confidence = if total == 0.0 && model.is_none() { 0.0 } else { p[best] };
        (level1[best], confidence.clamp(0.0, 1.0))
    }

    /// Best child of `l1` if its probability among the siblings is high enough.
    fn choose_l2(&self, l1: usize, scores: &[f32], model: Option<&[f32]>) -> Option<(usize, f32)> {
        let children: Vec<usize> = (0..scores.len()).filter(|&c| self.parents[c] == Some(l1)).collect();
        let total: f32 = children.iter().map(|&c| scores[c]).sum();
        let mut p: Vec<f32> = children.iter().map(|&c| scores[c] / (total + 1.0)).collect();
        let model_mass: f32 = model.map_or(0.0, |m| children.iter().map(|&c| m[c]).sum());
        if let Some(m) = model.filter(|_| model_mass > 0.0) {
            p.iter_mut()
                .zip(&children)
                .for_each(|(p, &c)| *p = MODEL_WEIGHT * m[c] / model_mass + (1.0 - MODEL_WEIGHT) * *p);
        }
        let best = argmax(&p);
        p.get(best)
            .filter(|&&q| q >= L2_MIN_PROBABILITY)
            .map(|&q| (children[best], q.clamp(0.0, 1.0)))
    }
}
