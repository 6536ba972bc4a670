//! Where one opinion ends and the next begins.
//!
//! A review mixes opinions about several aspects: "味道不错，但是送餐太慢了".
//! Clauses end at punctuation and at contrast words (但是, 不过, but,
//! however …). A clause that still names several aspects ("great food and slow
//! delivery", "味道好送餐慢") is cut between them: at the last conjunction
//! (和, 而且, and, while …) between two mentions, else where the next mention
//! starts — Chinese puts the opinion after the aspect (味道好), English often
//! before ("slow delivery") but then usually with a conjunction in between.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

const SPLITTERS: &[&str] = &[
    ",",
    ".",
    "!",
    "?",
    ";",
    ":",
    "。",
    "，",
    "！",
    "？",
    "；",
    "：",
    "~",
    "～",
    "\n",
    "…",
    "但是",
    "但",
    "不过",
    "可是",
    "然而",
    "只是",
    "就是",
    "可惜",
    "唯一不足",
    "美中不足",
    "however",
    "but",
    "although",
    "though",
    "except",
    "whereas",
];

const CONJUNCTIONS: &[&str] = &[
    "和", "跟", "与", "而且", "并且", "还有", "另外", "以及", "同时", "and", "while", "with", "plus", "&",
];

static SPLIT: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| automaton(SPLITTERS));
static JOIN: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| automaton(CONJUNCTIONS));

fn automaton(words: &[&str]) -> Option<AhoCorasick> {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(words)
        .ok()
}

/// Byte ranges of the clauses of `text` (normalised, lower-case), without the
/// splitting marks; empty clauses are dropped.
pub(crate) fn clauses(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for m in SPLIT.iter().flat_map(|a| a.find_iter(text)) {
        if is_real_split(text, m.start(), m.end()) {
            push_trimmed(text, start..m.start(), &mut out);
            start = m.end();
        }
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

/// Not inside an English word ("butter"), not a decimal point ("3.5").
fn is_real_split(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let before = start.checked_sub(1).map(|i| b[i]);
    let after = b.get(end).copied();
    let word = text[start..end].bytes().all(|c| c.is_ascii_alphabetic());
    if word {
        return !before.is_some_and(|c| c.is_ascii_alphanumeric()) && !after.is_some_and(|c| c.is_ascii_alphanumeric());
    }
    let dot_or_comma = matches!(&text[start..end], "." | ",");
    !(dot_or_comma && before.is_some_and(|c| c.is_ascii_digit()) && after.is_some_and(|c| c.is_ascii_digit()))
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let piece = &text[range.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if trimmed.chars().any(char::is_alphanumeric) {
        out.push(range.start + lead..range.start + lead + trimmed.len());
    }
}

/// Cuts `clause` into one segment per mention (mentions sorted by start, one
/// per distinct aspect, all inside the clause).
pub(crate) fn segments(text: &str, clause: Range<usize>, mentions: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut cuts = vec![clause.start];
    for pair in mentions.windows(2) {
        let gap = pair[0].end.min(pair[1].start)..pair[1].start;
        let cut = last_conjunction(text, gap).unwrap_or(pair[1].start);
        cuts.push(cut.max(*cuts.last().unwrap_or(&clause.start)));
    }
    cuts.push(clause.end);
    cuts.windows(2).map(|w| w[0]..w[1]).collect()
}

fn last_conjunction(text: &str, gap: Range<usize>) -> Option<usize> {
    let piece = text.get(gap.clone())?;
    JOIN.iter()
        .flat_map(|a| a.find_iter(piece))
        .filter(|m| is_real_split(piece, m.start(), m.end()))
        .last()
        .map(|m| gap.start + m.start())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        clauses(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_on_punctuation_and_contrast() {
        assert_eq!(
            texts("味道不错,但是送餐太慢了,包装也破了"),
            ["味道不错", "送餐太慢了", "包装也破了"]
        );
        assert_eq!(texts("菜很好吃就是送得太慢"), ["菜很好吃", "送得太慢"]);
        assert_eq!(
            texts("great food but the butter was 3.5 dollars"),
            ["great food", "the butter was 3.5 dollars"]
        );
        assert!(texts("").is_empty());
        assert!(texts("!!! ,,,").is_empty());
    }

    #[test]
    fn cuts_between_mentions() {
        let text = "great food and slow delivery";
        let seg = segments(text, 0..text.len(), &[6..10, 20..28]);
        let got: Vec<&str> = seg.into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, ["great food ", "and slow delivery"]);
        let zh = "味道好送餐慢";
        let seg = segments(zh, 0..zh.len(), &[0..6, 9..15]);
        assert_eq!(&zh[seg[1].clone()], "送餐慢");
    }
}
