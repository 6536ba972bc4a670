//! Negation words and the tokens they govern.
//!
//! Sentiment and aspect models must read "不好吃" and "not good" the other way
//! round, so they need to know which tokens a negation word reaches.
//! [`NegationScope`] marks them with a deliberately simple rule that needs
//! no parser and is cheap enough for every record.

use super::stopwords::is_stopword;

/// Negation words, Chinese and English (English contractions ending in
/// "n't" are recognised by suffix).
pub const NEGATION_WORDS: &[&str] = &[
    "不",
    "没",
    "没有",
    "别",
    "无",
    "未",
    "非",
    "莫",
    "勿",
    "不是",
    "不会",
    "不能",
    "不要",
    "不用",
    "不再",
    "从不",
    "从没",
    "从来不",
    "从来没有",
    "并不",
    "并没有",
    "毫无",
    "无法",
    "没法",
    "not",
    "no",
    "never",
    "nothing",
    "none",
    "nobody",
    "nor",
    "neither",
    "cannot",
    "without",
    "hardly",
    "n't",
];

/// Whether `token` is a negation word ("不", "没有", "never", "didn't", …).
pub fn is_negation(token: &str) -> bool {
    NEGATION_WORDS.iter().any(|w| w.eq_ignore_ascii_case(token))
        || ends_with_ignore_case(token, "n't")
        || ends_with_ignore_case(token, "n’t")
}

fn ends_with_ignore_case(token: &str, suffix: &str) -> bool {
    token.len() > suffix.len()
        && token.is_char_boundary(token.len() - suffix.len())
        && token[token.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// Which tokens fall within the scope of a negation word.
///
/// The rule, applied left to right over the tokens of one text (with
/// punctuation tokens kept, as [`super::Tokenizer::tokens_with_punctuation`]
/// returns them):
///
/// - a negation word opens a scope over the next `max_tokens` content tokens
///   (stopwords inside the scope are marked but do not use up the window);
/// - a negation word inside an open scope flips it and reopens the window, so
///   in "不是 不 好吃" the last token is *not* negated (double negation);
/// - a punctuation token (one without letters or digits) closes the scope;
/// - negation words themselves are never marked.
///
/// Note that jieba often keeps a negation inside a word ("不好", "没用"):
/// such tokens are not negation words and their polarity belongs to the word
/// itself, which the sentiment lexicon must carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NegationScope {
    /// How many content tokens after a negation word it governs.
    pub max_tokens: usize,
}

impl Default for NegationScope {
    fn default() -> Self {
        Self { max_tokens: 3 }
    }
}

impl NegationScope {
    /// One flag per token: `true` if the token is negated.
    pub fn mark<S: AsRef<str>>(&self, tokens: &[S]) -> Vec<bool> {
        let mut state = ScopeState::default();
        tokens.iter().map(|t| state.step(t.as_ref(), self.max_tokens)).collect()
    }
}

#[derive(Default)]
struct ScopeState {
    remaining: usize,
    negated: bool,
}

impl ScopeState {
    fn step(&mut self, token: &str, max_tokens: usize) -> bool {
        if !token.chars().any(char::is_alphanumeric) {
            *self = Self::default();
            return false;
        }
        if is_negation(token) {
            self.negated = !(self.remaining > 0 && self.negated);
            self.remaining = max_tokens;
            return false;
        }
        let marked = self.remaining > 0 && self.negated;
        if self.remaining > 0 && !is_stopword(token) {
            self.remaining -= 1;
        }
        marked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_negation_words() {
        for word in [
            "不", "没", "没有", "别", "无", "未", "非", "莫", "勿", "不是", "不会", "不能",
        ] {
            assert!(is_negation(word), "{word}");
        }
        for word in [
            "not", "No", "never", "nothing", "none", "don't", "didn't", "can’t", "cannot", "without", "hardly",
        ] {
            assert!(is_negation(word), "{word}");
        }
        for word in ["好", "不错", "notice", "know", "没事儿好", "nope", "isn"] {
            assert!(!is_negation(word), "{word}");
        }
    }

    fn marked<'a>(tokens: &[&'a str]) -> Vec<&'a str> {
        let flags = NegationScope::default().mark(tokens);
        tokens.iter().zip(flags).filter(|(_, f)| *f).map(|(t, _)| *t).collect()
    }

    #[test]
    fn marks_tokens_in_scope() {
        let cases: &[(&[&str], &[&str])] = &[
            (&["味道", "不", "新鲜"], &["新鲜"]),
            (&["不", "太", "新鲜", "而且", "量", "少"], &["太", "新鲜", "而且", "量"]),
            (&["没有", "收到", "货", "，", "客服", "态度", "好"], &["收到", "货"]),
            (&["不是", "不", "好吃"], &[]),
            (
                &["the", "app", "does", "not", "work", "at", "all", "now", "sadly"],
                &["work", "at", "all", "now", "sadly"],
            ),
            (&["never", "again", "!", "great", "food"], &["again"]),
            (&["送餐", "很快", "味道", "不错"], &[]),
            (&["不"], &[]),
        ];
        for (tokens, expected) in cases {
            assert_eq!(marked(tokens), *expected, "{tokens:?}");
        }
    }

    #[test]
    fn window_size_is_configurable() {
        let flags = NegationScope { max_tokens: 1 }.mark(&["没", "收到", "货"]);
        assert_eq!(flags, [false, true, false]);
    }
}
