//! Keyword spotting with negation, in one pass over a text.
//!
//! Categories and aspects are recognised by their keywords ("快递", "闪退",
//! "refund"). Tokenising with jieba first would cost about as much as the whole
//! classification budget and would miss keywords that jieba glues to a
//! neighbour ("送餐太慢" → 送餐 / 太慢), so the keywords are found as substrings by
//! one Aho-Corasick automaton over the normalised, lower-cased text. The same
//! automaton also finds the negation words of [`crate::text::tokenize`]
//! ([`NEGATION_WORDS`]), clause punctuation and a few words that merely *contain*
//! a negator (不错, 非常, 差不多), so negation is resolved in the same pass:
//!
//! - a negation word opens a scope over the next few characters (up to 4 Han
//!   characters and 3 Latin words); a keyword starting inside it is *negated*;
//! - a negation word inside an open scope flips it (不是不好 is not negated), as
//!   [`crate::text::tokenize::NegationScope`] does;
//! - punctuation and contrast words (但是, but) close the scope.
//!
//! Latin keywords match whole words, with common English endings allowed
//! ("crash" matches "crashes", "crashed"), so "app" does not fire in "happy".

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::text::tokenize::NEGATION_WORDS;

/// Words that contain a negator but do not negate what follows.
const NOT_NEGATORS: &[&str] = &[
    "不错",
    "不仅",
    "不少",
    "不久",
    "不断",
    "不管",
    "不论",
    "差不多",
    "非常",
    "无论",
    "没想到",
    "无线",
    "不得不",
    "忍不住",
    "别人",
    "别的",
    "特别",
    "区别",
    "无聊",
    "无语",
    "未来",
    "并非常",
    "not only",
    "no doubt",
];

/// A keyword target whose hits are dropped: a longer word that shadows a
/// shorter keyword (快递 hides the 快 of delivery speed).
pub(crate) const IGNORE: u32 = u32::MAX;

/// Clause punctuation and contrast words: they end a negation scope.
pub(crate) const BOUNDARIES: &[&str] = &[
    ",", ".", "!", "?", ";", ":", "。", "，", "！", "？", "；", "：", "、", "~", "\n", "但是", "不过", "可是", "然而",
    "但", "however", "but",
];

/// English endings a Latin keyword may carry and still match.
const SUFFIXES: &[&str] = &["s", "es", "ed", "d", "ing", "er", "ers", "y", "ly"];

const HAN_SCOPE: usize = 4;
const WORD_SCOPE: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Keyword,
    Negator,
    NotNegator,
    Boundary,
}

#[derive(Clone, Debug)]
struct Term {
    kind: Kind,
    /// All ASCII letters/digits: must match as a whole word.
    latin: bool,
    /// `(target, weight)` for keywords.
    targets: Vec<(u32, f32)>,
}

/// One keyword occurrence: which target it names and whether it is negated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Hit {
    pub target: u32,
    pub weight: f32,
    pub negated: bool,
    pub start: usize,
    pub end: usize,
}

/// A compiled keyword list. Texts must be normalised and lower-cased first.
#[derive(Clone, Debug)]
pub(crate) struct Lexicon {
    automaton: AhoCorasick,
    terms: Vec<Term>,
}

impl Lexicon {
    /// Builds from `(keyword, target)` pairs; a keyword may name several targets.
    pub(crate) fn build<'a>(keywords: impl IntoIterator<Item = (&'a str, u32)>) -> Result<Lexicon, String> {
        let mut patterns: Vec<String> = Vec::new();
        let mut terms: Vec<Term> = Vec::new();
        let mut add = |pattern: &str, kind: Kind, target: Option<(u32, f32)>| {
            let pattern = pattern.trim().to_lowercase();
            if pattern.is_empty() {
                return;
            }
            let at = patterns.iter().position(|p| *p == pattern);
            let at = at.unwrap_or_else(|| {
                patterns.push(pattern.clone());
                terms.push(Term {
                    kind,
                    latin: pattern.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' '),
                    targets: Vec::new(),
                });
                patterns.len() - 1
            });
            if let Some(t) = target {
                terms[at].kind = Kind::Keyword;
                terms[at].targets.push(t);
            }
        };
        for w in BOUNDARIES {
            add(w, Kind::Boundary, None);
        }
        for w in NEGATION_WORDS.iter().filter(|w| **w != "n't") {
            add(w, Kind::Negator, None);
        }
        for w in NOT_NEGATORS {
            add(w, Kind::NotNegator, None);
        }
        for (keyword, target) in keywords {
            add(keyword, Kind::Keyword, Some((target, weight(keyword))));
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        Ok(Lexicon { automaton, terms })
    }

    /// Appends every keyword hit of `text` (normalised, lower-case) to `out`.
    pub(crate) fn scan(&self, text: &str, out: &mut Vec<Hit>) {
        let mut scope: Option<(usize, bool)> = None;
        for m in self.automaton.find_iter(text) {
            let term = &self.terms[m.pattern().as_usize()];
            let (start, end) = (m.start(), m.end());
            if term.latin && !whole_word(text, start, end, term.kind == Kind::Keyword) {
                continue;
            }
            let open = scope.filter(|&(from, _)| in_scope(&text[from..start]));
            match term.kind {
                Kind::Boundary => scope = None,
                Kind::NotNegator => {}
                Kind::Negator => scope = Some((end, !open.is_some_and(|(_, neg)| neg))),
                Kind::Keyword => {
                    let negated = open.is_some_and(|(_, neg)| neg);
                    let targets = term.targets.iter().filter(|t| t.0 != IGNORE);
                    out.extend(targets.map(|&(target, weight)| Hit {
                        target,
                        weight,
                        negated,
                        start,
                        end,
                    }));
                }
            }
        }
        self.scan_contractions(text, out);
    }

    /// "didn't arrive": the "n't" contraction negates like a negation word but
    /// is glued to its verb, so it is checked per hit instead of by the automaton.
    fn scan_contractions(&self, text: &str, out: &mut [Hit]) {
        for hit in out.iter_mut().filter(|h| !h.negated) {
            let before = &text[..hit.start];
            let clause_start = before
                .char_indices()
                .rfind(|&(_, c)| is_clause_mark(c))
                .map_or(0, |(i, c)| i + c.len_utf8());
            if let Some(at) = before[clause_start..].rfind("n't") {
                let from = clause_start + at + 3;
                hit.negated = in_scope(&text[from..hit.start]);
            }
        }
    }
}

/// Punctuation that ends a clause (not the apostrophe of a contraction).
pub(crate) fn is_clause_mark(c: char) -> bool {
    (c.is_ascii_punctuation() && c != '\'' && c != '-') || "。，！？；：、～\n".contains(c)
}

/// Longer keywords are more specific: 2 characters weigh 1, 4 or more 1.5.
fn weight(keyword: &str) -> f32 {
    let chars = keyword.chars().count();
    let units = if keyword.is_ascii() {
        1 + keyword.split_whitespace().count()
    } else {
        chars
    };
    1.0 + 0.25 * (units.clamp(2, 4) - 2) as f32
}

/// Whether a keyword starting after `gap` is still governed by the negator
/// before it.
fn in_scope(gap: &str) -> bool {
    let han = gap.chars().filter(|c| !c.is_ascii()).count();
    let words = gap
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .count();
    han <= HAN_SCOPE && words <= WORD_SCOPE
}

/// A Latin match must not start or end inside a longer word; keywords may end
/// in one of [`SUFFIXES`].
fn whole_word(text: &str, start: usize, end: usize, allow_suffix: bool) -> bool {
    let bytes = text.as_bytes();
    if start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
        return false;
    }
    let tail_len = bytes[end..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    tail_len == 0 || (allow_suffix && SUFFIXES.contains(&&text[end..end + tail_len]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(keywords: &[(&str, u32)], text: &str) -> Vec<(u32, bool)> {
        let lexicon = Lexicon::build(keywords.iter().copied()).unwrap();
        let mut out = Vec::new();
        lexicon.scan(text, &mut out);
        out.iter().map(|h| (h.target, h.negated)).collect()
    }

    #[test]
    fn finds_keywords_and_negation() {
        let kw = [("好吃", 0), ("破损", 1), ("快递", 2), ("slow", 3), ("app", 4)];
        assert_eq!(hits(&kw, "不好吃，快递没有破损"), [(0, true), (2, false), (1, true)]);
        assert_eq!(hits(&kw, "不是不好吃"), [(0, false)]);
        assert_eq!(hits(&kw, "味道不错好吃"), [(0, false)]);
        assert_eq!(hits(&kw, "非常好吃"), [(0, false)]);
        assert_eq!(hits(&kw, "not slow at all"), [(3, true)]);
        assert_eq!(hits(&kw, "it wasn't slow, happy"), [(3, true)]);
        assert_eq!(hits(&kw, "the apps are slower. happy"), [(4, false), (3, false)]);
        assert_eq!(hits(&kw, "不，很好吃"), [(0, false)]);
        assert!(hits(&kw, "").is_empty());
    }

    #[test]
    fn scope_is_short() {
        let kw = [("好吃", 0)];
        assert_eq!(hits(&kw, "不知道为什么今天好吃"), [(0, false)]);
    }
}
