//! Keywords of a feedback text: the words that say what it is about.
//!
//! TF-IDF over jieba tokens, like jieba's `extract_tags`, but with the IDF
//! learned from the company's own feedback ([`Idf`], [`train_idf`]) instead of
//! a general corpus, so that words every review contains (快递, 东西) sink and
//! the issue words (漏液, 闪退) rise.
//!
//! Candidates are the content tokens of [`Tokenizer::content_tokens`]
//! (stopwords removed) minus negation words, single characters and tokens
//! without a letter (digits, "1,299"). English words are candidates too.
//! `score = tf * idf`; ties are broken by the term, so output is deterministic.
//!
//! Producing the shipped IDF (`models/assets/idf.tsv`):
//! ```text
//! let set = sentiment::load_training_dir(Path::new("../shared/data/reviews"))?;
//! let texts = set.zh.iter().chain(&set.en).map(|t| t.text.as_str());
//! keywords::train_idf(texts).top(50_000, 2).save(Path::new("models/assets/idf.tsv"))?;
//! ```
//! (`cargo test -p voxlake-models --release --test it keywords::regenerate_shipped_idf
//! -- --ignored` runs exactly that.)

mod error;
mod idf;

use std::collections::HashMap;
use std::sync::Arc;

pub use error::{Error, Result};
pub(crate) use idf::SHIPPED as SHIPPED_IDF;
pub use idf::{Idf, train_idf, train_idf_with};

use crate::text::tokenize::{Tokenizer, is_negation};

/// A tokenizer and an IDF; `Send + Sync`, share it behind an `Arc`.
#[derive(Clone)]
pub struct KeywordExtractor {
    tokenizer: Arc<Tokenizer>,
    idf: Arc<Idf>,
}

impl std::fmt::Debug for KeywordExtractor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeywordExtractor")
            .field("idf_terms", &self.idf.len())
            .finish_non_exhaustive()
    }
}

impl KeywordExtractor {
    pub fn new(tokenizer: Arc<Tokenizer>, idf: Arc<Idf>) -> Self {
        KeywordExtractor { tokenizer, idf }
    }

    /// The default tokenizer and the shipped IDF.
    pub fn shipped() -> Result<Self> {
        Ok(KeywordExtractor::new(
            Arc::new(Tokenizer::new()),
            Arc::new(Idf::shipped()?),
        ))
    }

    /// The `k` best keywords, best first.
    pub fn keywords(&self, text: &str, k: usize) -> Vec<String> {
        self.scored(text, k).into_iter().map(|(t, _)| t).collect()
    }

    /// The `k` best keywords with their TF-IDF scores, score descending, then term.
    pub fn scored(&self, text: &str, k: usize) -> Vec<(String, f32)> {
        let mut tf: HashMap<String, u32> = HashMap::new();
        for term in candidates(&self.tokenizer, text) {
            *tf.entry(term).or_default() += 1;
        }
        let mut scored: Vec<(String, f32)> = tf
            .into_iter()
            .map(|(term, n)| {
                let score = n as f32 * self.idf.idf(&term);
                (term, score)
            })
            .collect();
        scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        scored.truncate(k);
        scored
    }
}

/// The tokens of `text` that may be keywords, in order, with repeats.
pub(crate) fn candidates(tokenizer: &Tokenizer, text: &str) -> Vec<String> {
    let mut tokens = tokenizer.content_tokens(text);
    tokens.retain(|t| is_candidate(t));
    tokens
}

fn is_candidate(token: &str) -> bool {
    token.chars().count() >= 2 && token.chars().any(char::is_alphabetic) && !is_negation(token)
}

#[cfg(test)]
mod tests;
