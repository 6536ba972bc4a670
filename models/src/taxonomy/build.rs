//! From a checked taxonomy file to the structures classification runs on:
//! category and aspect lists, parent links, keyword automata, compiled patterns.

use std::sync::Arc;

use regex::Regex;

use super::config::{AspectEntry, CategoryEntry, File};
use super::error::{Error, Result};
use super::lexicon::{IGNORE, Lexicon};
use super::{Aspect, Category, Taxonomy};
use crate::aspects::words::NOT_OPINIONS;

pub(super) fn taxonomy(file: File, version: String) -> Result<Taxonomy> {
    let categories: Vec<Category> = file.categories.into_iter().map(category).collect();
    let aspects: Vec<Aspect> = file.aspects.into_iter().map(aspect).collect();
    let index = |id: &str| categories.iter().position(|c| c.id == id);
    let parents = categories.iter().map(|c| c.parent.as_deref().and_then(index)).collect();
    let fallback_id = file.fallback.map_or("other".to_owned(), |f| f.into_inner());
    let fallback = index(&fallback_id)
        .ok_or_else(|| Error::Taxonomy(format!("fallback category `{fallback_id}` is not defined")))?;
    Ok(Taxonomy {
        version: version.into(),
        ids: categories.iter().map(|c| Arc::from(c.id.as_str())).collect(),
        lexicon: lexicon(categories.iter().map(|c| &c.keywords))?,
        patterns: patterns(&categories)?,
        aspect_lexicon: lexicon(aspects.iter().map(|a| &a.keywords))?,
        opinion_lexicon: opinion_lexicon(&aspects)?,
        categories,
        parents,
        fallback,
        aspects,
        model: None,
    })
}

fn category(c: CategoryEntry) -> Category {
    let id = c.id.into_inner();
    Category {
        parent: id.split_once('.').map(|(p, _)| p.to_owned()),
        name_en: c.name_en.unwrap_or_else(|| id.clone()),
        id,
        name: c.name,
        keywords: c.keywords,
        patterns: c.patterns,
        examples: c.examples,
    }
}

fn aspect(a: AspectEntry) -> Aspect {
    let id = a.id.into_inner();
    Aspect {
        name_en: a.name_en.unwrap_or_else(|| id.clone()),
        id,
        name: a.name,
        category: a.category,
        keywords: a.keywords,
        positive: a.positive,
        negative: a.negative,
    }
}

/// One automaton over keyword lists; target `i` is the `i`-th list.
fn lexicon<'a>(lists: impl Iterator<Item = &'a Vec<String>>) -> Result<Lexicon> {
    let pairs: Vec<(&str, u32)> = lists
        .enumerate()
        .flat_map(|(i, words)| words.iter().map(move |w| (w.as_str(), i as u32)))
        .collect();
    Lexicon::build(pairs).map_err(Error::Taxonomy)
}

/// Aspect opinion words (target `2 * aspect` positive, `2 * aspect + 1`
/// negative), shadowed by the words that merely contain them (快递 hides 快).
fn opinion_lexicon(aspects: &[Aspect]) -> Result<Lexicon> {
    let lists = aspects.iter().flat_map(|a| [&a.positive, &a.negative]);
    let pairs = lists
        .enumerate()
        .flat_map(|(i, words)| words.iter().map(move |w| (w.as_str(), i as u32)));
    let ignored = NOT_OPINIONS.iter().map(|w| (*w, IGNORE));
    Lexicon::build(pairs.chain(ignored)).map_err(Error::Taxonomy)
}

fn patterns(categories: &[Category]) -> Result<Vec<(Regex, usize)>> {
    let mut out = Vec::new();
    for (i, c) in categories.iter().enumerate() {
        for p in &c.patterns {
            let re = Regex::new(p).map_err(|e| Error::Invalid {
                id: c.id.clone(),
                line: 0,
                message: format!("invalid pattern {p:?}: {e}"),
            })?;
            out.push((re, i));
        }
    }
    Ok(out)
}
