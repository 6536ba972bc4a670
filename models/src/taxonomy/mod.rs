//! The company's two-level feedback taxonomy and classification into it.
//!
//! # Why a file, and why keywords first
//! The taxonomy belongs to the company, not to the code: level 1 is the kind of
//! issue (product quality, logistics, app …), level 2 the scenario (slow
//! delivery, crash …), and both change as products do. So a [`Taxonomy`] is
//! built at run time from a TOML file ([`Taxonomy::from_toml`]; the shipped
//! default is `models/taxonomy.toml`, see [`mod@config`] for the format); the
//! engine re-reads the file to apply an edit, no rebuild needed. A new category
//! has no labelled data yet, so its keywords and patterns must classify on day
//! one; corrections analysts make (`feedback_labels`) then train a supervised
//! [`TaxonomyModel`] that is blended in ([`Taxonomy::with_model`]).
//!
//! # Classification
//! 1. Keyword evidence: one pass of [`lexicon`] over the normalised text finds
//!    every category keyword with its negation status; regex `patterns` add
//!    fixed evidence. A level-2 keyword counts for its child and its parent; a
//!    negated keyword ("没有破损") does not count for its level-2 category and
//!    counts half for the level-1 topic.
//! 2. Keyword probabilities: `p(c) = s(c) / (S + 1)` over level-1 categories,
//!    the remaining `1 / (S + 1)` going to the fallback (`other`).
//! 3. With a model, `p = 0.6 * p_model + 0.4 * p_keywords` (level 1; level 2
//!    likewise among the chosen parent's children, the model's probabilities
//!    renormalised over them).
//! 4. Level 1 is the argmax; level 2 the best child when its probability is at
//!    least [`L2_MIN_PROBABILITY`], else `None`.
//!
//! Speed: one normalisation, one automaton pass and a few dozen floats (plus a
//! sparse dot product per class when a model is attached): well over 50k short
//! reviews per second on one core (`tests/it/taxonomy.rs` measures it).
//!
//! # Aspects
//! The same file lists `[[aspect]]`s — what aspect-level sentiment reports
//! (taste, delivery, packaging, service …), each with its keywords, optional
//! aspect-specific opinion words and an optional category it rolls up to. See
//! [`crate::aspects`].

mod build;
mod classify;
pub mod config;
mod error;
mod format;
pub(crate) mod lexicon;
mod linear;
mod model;

use std::sync::Arc;

use regex::Regex;
use xxhash_rust::xxh3::xxh3_64;

pub use classify::{Classification, L2_MIN_PROBABILITY};
pub use error::{Error, Result};
pub use linear::{ClassWeight, LinearClassifier, LinearConfig, train_linear};
pub use model::{LabelledFeedback, TaxonomyModel, train_taxonomy_model, train_taxonomy_model_with};

use lexicon::Lexicon;
use model::AttachedModel;

/// The shipped default taxonomy (`models/taxonomy.toml`).
pub const DEFAULT_TAXONOMY: &str = include_str!("../../taxonomy.toml");

/// A level-1 or level-2 category.
#[derive(Clone, Debug, PartialEq)]
pub struct Category {
    /// Stable id: `logistics` or `logistics.slow_delivery`.
    pub id: String,
    pub name: String,
    pub name_en: String,
    /// The level-1 id of a level-2 category.
    pub parent: Option<String>,
    pub keywords: Vec<String>,
    pub patterns: Vec<String>,
    pub examples: Vec<String>,
}

impl Category {
    pub fn level(&self) -> u8 {
        if self.parent.is_some() { 2 } else { 1 }
    }
}

/// Something customers talk about, for aspect-level sentiment.
#[derive(Clone, Debug, PartialEq)]
pub struct Aspect {
    pub id: String,
    pub name: String,
    pub name_en: String,
    /// The category this aspect rolls up to, if any.
    pub category: Option<String>,
    pub keywords: Vec<String>,
    /// Opinion words whose polarity depends on the aspect (快 is good for
    /// delivery, 咸 bad for taste).
    pub positive: Vec<String>,
    pub negative: Vec<String>,
}

/// A parsed, checked taxonomy, ready to classify. `Send + Sync`; rebuild it
/// from the file to apply an edit and swap the `Arc`.
#[derive(Clone, Debug)]
pub struct Taxonomy {
    version: Arc<str>,
    categories: Vec<Category>,
    ids: Vec<Arc<str>>,
    /// Per category: its parent's index (level 2) or `None`.
    parents: Vec<Option<usize>>,
    fallback: usize,
    lexicon: Lexicon,
    patterns: Vec<(Regex, usize)>,
    aspects: Vec<Aspect>,
    /// Aspect keywords (target = aspect index).
    pub(crate) aspect_lexicon: Lexicon,
    /// Aspect opinion words (target = 2 * aspect + 0 positive / 1 negative).
    pub(crate) opinion_lexicon: Lexicon,
    model: Option<Arc<AttachedModel>>,
}

impl Default for Taxonomy {
    /// The shipped `models/taxonomy.toml`.
    fn default() -> Self {
        // A compile-time constant, not input: `default_taxonomy_is_valid` tests it.
        Taxonomy::from_toml(DEFAULT_TAXONOMY).expect("the shipped taxonomy.toml is valid")
    }
}

impl Taxonomy {
    /// Parses and checks a taxonomy file (see [`mod@config`]).
    pub fn from_toml(source: &str) -> Result<Taxonomy> {
        let file = config::parse(source)?;
        let version = file
            .version
            .clone()
            .unwrap_or_else(|| format!("xxh3:{:016x}", xxh3_64(source.as_bytes())));
        build::taxonomy(file, version)
    }

    /// The explicit `version = "..."` of the file, else `xxh3:<hash of its text>`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// All categories in file order (each level-1 before its children).
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The level-2 categories under `parent`.
    pub fn children<'a>(&'a self, parent: &'a str) -> impl Iterator<Item = &'a Category> + 'a {
        self.categories
            .iter()
            .filter(move |c| c.parent.as_deref() == Some(parent))
    }

    /// The level-1 category used when nothing matches.
    pub fn fallback(&self) -> &Category {
        &self.categories[self.fallback]
    }

    pub fn aspects(&self) -> &[Aspect] {
        &self.aspects
    }

    /// This taxonomy with a trained model blended into [`classify`](Self::classify).
    /// Model classes the taxonomy no longer has are ignored.
    pub fn with_model(mut self, model: TaxonomyModel) -> Taxonomy {
        self.model = Some(Arc::new(AttachedModel::new(model, &self.categories)));
        self
    }

    pub fn model(&self) -> Option<&TaxonomyModel> {
        self.model.as_deref().map(|m| &m.model)
    }
}

#[cfg(test)]
mod tests;
