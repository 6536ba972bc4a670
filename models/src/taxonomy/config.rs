//! The taxonomy file: its TOML shape and the checks that run before a
//! [`Taxonomy`](super::Taxonomy) is built from it.
//!
//! ```toml
//! version = "2025.1"          # optional; else a hash of the file's content
//! fallback = "other"          # optional; the level-1 id used when nothing matches
//!
//! [[category]]
//! id = "logistics"            # level 1: no dot
//! name = "物流配送"
//! name_en = "Logistics & delivery"
//! keywords = ["物流", "快递", "delivery"]
//! patterns = ['(?i)\bnot (yet )?(arrived|delivered)\b']
//! examples = ["快递三天了还没到"]
//!
//! [[category]]
//! id = "logistics.slow_delivery"   # level 2: parent id, a dot, own id
//! name = "配送慢"
//! keywords = ["太慢", "超时", "late"]
//!
//! [[aspect]]                  # what aspect-level sentiment reports
//! id = "delivery"
//! name = "配送"
//! category = "logistics"      # optional roll-up to a category
//! keywords = ["送餐", "配送", "快递", "delivery"]
//! positive = ["准时", "很快"] # optional aspect-specific opinion words
//! negative = ["太慢", "超时"]
//! ```
//! Every error names the offending id and its line in the file.

use std::collections::HashSet;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::error::{Error, Result};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct File {
    pub version: Option<String>,
    pub fallback: Option<Spanned<String>>,
    #[serde(default, rename = "category")]
    pub categories: Vec<CategoryEntry>,
    #[serde(default, rename = "aspect")]
    pub aspects: Vec<AspectEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CategoryEntry {
    pub id: Spanned<String>,
    pub name: String,
    pub name_en: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
    #[serde(default)]
    pub examples: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AspectEntry {
    pub id: Spanned<String>,
    pub name: String,
    pub name_en: Option<String>,
    pub category: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub positive: Vec<String>,
    #[serde(default)]
    pub negative: Vec<String>,
}

/// Parses the TOML and checks ids, parents, patterns and aspects.
pub(crate) fn parse(source: &str) -> Result<File> {
    let file: File = toml::from_str(source).map_err(|e| Error::Syntax(e.to_string()))?;
    let at = |id: &Spanned<String>, message: String| Error::Invalid {
        id: id.get_ref().clone(),
        line: line_of(source, id.span().start),
        message,
    };
    let mut ids = HashSet::new();
    for c in &file.categories {
        check_category(c, &ids).map_err(|m| at(&c.id, m))?;
        ids.insert(c.id.get_ref().as_str());
    }
    let mut aspect_ids = HashSet::new();
    for a in &file.aspects {
        check_aspect(a, &ids, &aspect_ids).map_err(|m| at(&a.id, m))?;
        aspect_ids.insert(a.id.get_ref().as_str());
    }
    check_fallback(&file, &ids, source)?;
    Ok(file)
}

fn check_category(c: &CategoryEntry, earlier: &HashSet<&str>) -> Result<(), String> {
    let id = c.id.get_ref();
    check_id(id, 2)?;
    if earlier.contains(id.as_str()) {
        return Err("duplicate category id".into());
    }
    if let Some((parent, _)) = id.split_once('.')
        && !earlier.contains(parent)
    {
        return Err(format!("parent category `{parent}` is not defined above it"));
    }
    check_name(&c.name)?;
    for p in &c.patterns {
        Regex::new(p).map_err(|e| format!("invalid pattern {p:?}: {e}"))?;
    }
    Ok(())
}

fn check_aspect(a: &AspectEntry, categories: &HashSet<&str>, earlier: &HashSet<&str>) -> Result<(), String> {
    let id = a.id.get_ref();
    check_id(id, 1)?;
    if earlier.contains(id.as_str()) {
        return Err("duplicate aspect id".into());
    }
    check_name(&a.name)?;
    if let Some(c) = a.category.as_deref().filter(|c| !categories.contains(c)) {
        return Err(format!("aspect refers to unknown category `{c}`"));
    }
    if a.keywords.iter().all(|k| k.trim().is_empty()) {
        return Err("an aspect needs at least one keyword".into());
    }
    Ok(())
}

/// Ids are lower-case ASCII words joined by at most `levels - 1` dots.
fn check_id(id: &str, levels: usize) -> Result<(), String> {
    let parts: Vec<&str> = id.split('.').collect();
    let word = |p: &&str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    if parts.len() > levels || !parts.iter().all(word) {
        return Err(format!(
            "ids are lower-case letters, digits and `_`{}",
            if levels > 1 {
                ", a level-2 id is `parent.child`"
            } else {
                ""
            }
        ));
    }
    Ok(())
}

fn check_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("name must not be empty".into());
    }
    Ok(())
}

fn check_fallback(file: &File, ids: &HashSet<&str>, source: &str) -> Result<()> {
    match &file.fallback {
        Some(f) if !ids.contains(f.get_ref().as_str()) || f.get_ref().contains('.') => Err(Error::Invalid {
            id: f.get_ref().clone(),
            line: line_of(source, f.span().start),
            message: "fallback must be a level-1 category id".into(),
        }),
        None if !ids.contains("other") => Err(Error::Taxonomy(
            "no fallback category: define a level-1 category `other` or set `fallback = \"...\"`".into(),
        )),
        _ => Ok(()),
    }
}

/// 1-based line of a byte offset.
fn line_of(source: &str, offset: usize) -> usize {
    source
        .get(..offset)
        .map_or(0, |s| s.bytes().filter(|&b| b == b'\n').count())
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(source: &str) -> String {
        match parse(source) {
            Ok(_) => panic!("accepted: {source}"),
            Err(e) => e.to_string(),
        }
    }

    const OTHER: &str = "[[category]]\nid = \"other\"\nname = \"其他\"\n";

    #[test]
    fn accepts_a_minimal_file() {
        let file = parse(OTHER).unwrap();
        assert_eq!(file.categories.len(), 1);
    }

    #[test]
    fn errors_name_the_category_and_line() {
        let dup = format!("{OTHER}\n[[category]]\nid = \"other\"\nname = \"x\"\n");
        assert_eq!(err(&dup), "taxonomy file, line 6, `other`: duplicate category id");
        let orphan = format!("{OTHER}[[category]]\nid = \"app.crash\"\nname = \"闪退\"\n");
        assert!(err(&orphan).contains("line 5, `app.crash`: parent category `app`"));
        let regex = format!("{OTHER}[[category]]\nid = \"app\"\nname = \"a\"\npatterns = [\"(\"]\n");
        assert!(err(&regex).contains("line 5, `app`: invalid pattern"));
        assert!(err("[[category]]\nid = \"a b\"\nname = \"x\"\n").contains("line 2"));
        let aspect =
            format!("{OTHER}[[aspect]]\nid = \"taste\"\nname = \"口味\"\ncategory = \"food\"\nkeywords = [\"味道\"]\n");
        assert!(err(&aspect).contains("`taste`: aspect refers to unknown category `food`"));
    }

    #[test]
    fn needs_a_fallback_and_valid_toml() {
        assert!(err("[[category]]\nid = \"app\"\nname = \"a\"\n").contains("no fallback"));
        assert!(err("fallback = \"nope\"\n").contains("`nope`"));
        assert!(err("[[category]\n").starts_with("taxonomy file: "));
        assert!(err("[[category]]\nid = \"a\"\nname = \"a\"\ncolour = 1\n").contains("colour"));
    }
}
