//! Hashed n-gram features. A text becomes a list of bucket ids in
//! `0..2^hash_bits`, one per n-gram occurrence; [`tf_weight`] and the idf of the
//! bucket turn repeated ids into a sublinear-tf x idf value.
//!
//! The hash is part of the model file format: every trained weight sits at the
//! bucket this code computes, so changing a constant, a namespace or the
//! tokenisation silently breaks every saved model. `hashes_are_stable` pins it;
//! bump `format::FORMAT_VERSION` if it has to change.
//!
//! Nothing is allocated per n-gram: character n-grams are hashed from a 3-character
//! window as the text is scanned, word hashes are accumulated character by
//! character, and ids are pushed into a caller-owned buffer.

use serde::{Deserialize, Serialize};

use super::lang::is_han;

/// Which features a language model uses; stored in the model file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureConfig {
    /// Number of hash buckets is `2^hash_bits` (10..=24).
    pub hash_bits: u8,
    /// Character n-grams of these lengths (`char_min..=char_max`, at most 3);
    /// `char_max = 0` disables them.
    pub char_min: u8,
    pub char_max: u8,
    /// 0: no word features, 1: word unigrams, 2: unigrams and bigrams.
    pub word_max: u8,
    /// How many characters (Chinese) or words (English) after a negator are
    /// marked as negated; 0 disables negation features.
    pub negation_scope: u8,
    /// Buckets seen in fewer training texts than this are ignored.
    pub min_df: u32,
}

impl FeatureConfig {
    /// Character 1-3-grams, negation over the next 4 characters.
    pub fn chinese() -> Self {
        FeatureConfig {
            hash_bits: 20,
            char_min: 1,
            char_max: 3,
            word_max: 0,
            negation_scope: 4,
            min_df: 2,
        }
    }

    /// Word 1-2-grams plus character 2-3-grams, negation over the next 3 words.
    pub fn english() -> Self {
        FeatureConfig {
            hash_bits: 20,
            char_min: 2,
            char_max: 3,
            word_max: 2,
            negation_scope: 3,
            min_df: 2,
        }
    }

    pub(crate) fn check(&self) -> Result<(), String> {
        if !(10..=24).contains(&self.hash_bits) {
            return Err(format!("hash_bits must be in 10..=24, got {}", self.hash_bits));
        }
        if self.char_max > 3 || (self.char_max > 0 && !(1..=self.char_max).contains(&self.char_min)) {
            return Err(format!(
                "character n-grams {}..={} must lie in 1..=3",
                self.char_min, self.char_max
            ));
        }
        if self.word_max > 2 {
            return Err(format!("word_max must be 0, 1 or 2, got {}", self.word_max));
        }
        if self.char_max == 0 && self.word_max == 0 {
            return Err("no features enabled".into());
        }
        Ok(())
    }

    pub fn buckets(&self) -> usize {
        1usize << self.hash_bits
    }
}

/// `1 + ln(tf)`: a word said five times is not five times as telling.
#[inline]
pub(crate) fn tf_weight(count: u32) -> f32 {
    if count == 1 { 1.0 } else { 1.0 + (count as f32).ln() }
}

const K: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline]
fn step(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(K).rotate_left(29)
}

/// murmur3 fmix64: spreads the bits before the top ones become the bucket.
#[inline]
fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

// Namespaces keep a character 好, a word "good" and a negated 好 in different buckets.
const NS_CHAR: [u64; 4] = [0, 0xC1, 0xC2, 0xC3];
const NS_NEG_CHAR: u64 = 0xD1;
const NS_WORD: u64 = 0xE1;
const NS_BIGRAM: u64 = 0xE2;
const NS_NEG_WORD: u64 = 0xF1;

const NEGATOR_CHARS: [char; 6] = ['不', '没', '无', '未', '别', '非'];
const NEGATOR_WORDS: [&str; 12] = [
    "not", "no", "never", "cannot", "cant", "nothing", "nobody", "none", "neither", "nor", "without", "dont",
];

/// A [`FeatureConfig`] ready to hash texts.
#[derive(Clone, Debug)]
pub(crate) struct Featurizer {
    config: FeatureConfig,
    shift: u32,
    negator_words: [u64; NEGATOR_WORDS.len()],
}

impl Featurizer {
    pub(crate) fn new(config: FeatureConfig) -> Self {
        let shift = 64 - u32::from(config.hash_bits);
        let negator_words = NEGATOR_WORDS.map(|w| w.chars().fold(NS_WORD, |h, c| step(h, c as u64)));
        Featurizer {
            config,
            shift,
            negator_words,
        }
    }

    pub(crate) fn config(&self) -> &FeatureConfig {
        &self.config
    }

    #[inline]
    fn bucket(&self, h: u64) -> u32 {
        (finish(h) >> self.shift) as u32
    }

    /// The bucket of a whole token (a jieba word, an English word), in the word
    /// namespace: the bucket [`Featurizer::extract`] gives an English unigram.
    pub(crate) fn token_bucket(&self, token: &str) -> u32 {
        let h = token.chars().map(fold_case).fold(NS_WORD, |h, c| step(h, c as u64));
        self.bucket(step(NS_WORD, h))
    }

    /// Appends the bucket id of every feature occurrence of `text` (already
    /// normalised) to `out`.
    pub(crate) fn extract(&self, text: &str, out: &mut Vec<u32>) {
        if self.config.char_max > 0 {
            self.char_features(text, out);
        }
        if self.config.word_max > 0 {
            self.word_features(text, out);
        }
    }

    fn char_features(&self, text: &str, out: &mut Vec<u32>) {
        let (lo, hi) = (usize::from(self.config.char_min), usize::from(self.config.char_max));
        let mut window = [0u64; 3];
        let mut seen = 0usize;
        let mut negated = 0u8;
        for c in text.chars().map(fold_case) {
            window = [window[1], window[2], c as u64];
            seen += 1;
            for n in lo..=hi.min(seen) {
                let h = window[3 - n..].iter().fold(NS_CHAR[n], |h, &x| step(h, x));
                out.push(self.bucket(h));
            }
            negated = self.char_negation(c, negated, out);
        }
    }

    /// Marks the characters after a Chinese negator, up to a clause boundary.
    #[inline]
    fn char_negation(&self, c: char, left: u8, out: &mut Vec<u32>) -> u8 {
        if NEGATOR_CHARS.contains(&c) {
            return self.config.negation_scope;
        }
        if left == 0 || is_boundary(c) {
            return 0;
        }
        if is_han(c) {
            out.push(self.bucket(step(NS_NEG_CHAR, c as u64)));
        }
        left - 1
    }

    fn word_features(&self, text: &str, out: &mut Vec<u32>) {
        let mut state = WordState::default();
        let mut word: Option<(u64, [char; 3])> = None;
        for c in text.chars().map(fold_case).chain(std::iter::once(' ')) {
            let c = if c == '\u{2019}' { '\'' } else { c };
            if c.is_alphanumeric() && !is_han(c) || (c == '\'' && word.is_some()) {
                let (h, tail) = word.get_or_insert((NS_WORD, ['\0'; 3]));
                if c != '\'' {
                    *h = step(*h, c as u64);
                }
                *tail = [tail[1], tail[2], c];
                continue;
            }
            if let Some((h, tail)) = word.take() {
                let negator = tail == ['n', '\'', 't'] || self.negator_words.contains(&h);
                self.emit_word(h, negator, false, &mut state, out);
            }
            if !c.is_whitespace() {
                self.emit_word(step(NS_WORD, c as u64), false, is_boundary(c), &mut state, out);
            }
        }
    }

    fn emit_word(&self, h: u64, negator: bool, boundary: bool, s: &mut WordState, out: &mut Vec<u32>) {
        out.push(self.bucket(step(NS_WORD, h)));
        if let Some(prev) = s.prev.filter(|_| self.config.word_max >= 2) {
            out.push(self.bucket(step(step(NS_BIGRAM, prev), h)));
        }
        s.prev = Some(h);
        if negator {
            s.negated = self.config.negation_scope;
        } else if boundary {
            s.negated = 0;
        } else if s.negated > 0 {
            out.push(self.bucket(step(NS_NEG_WORD, h)));
            s.negated -= 1;
        }
    }
}

#[derive(Default)]
struct WordState {
    prev: Option<u64>,
    negated: u8,
}

/// Lower-cases Latin letters; leaves Han characters alone without a table lookup.
#[inline]
fn fold_case(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else if is_han(c) || !c.is_uppercase() {
        c
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// Clause boundaries end a negation scope.
#[inline]
fn is_boundary(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | '!' | '?' | ';' | ':' | '。' | '，' | '！' | '？' | '；' | '：' | '、' | '~' | ' '
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(config: FeatureConfig, text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        Featurizer::new(config).extract(text, &mut out);
        out
    }

    #[test]
    fn hashing_is_deterministic() {
        let a = ids(FeatureConfig::chinese(), "质量很好，物流也快");
        assert_eq!(a, ids(FeatureConfig::chinese(), "质量很好，物流也快"));
        assert!(a.iter().all(|&b| b < 1 << 20));
    }

    #[test]
    fn hashes_are_stable() {
        // Saved models depend on these exact buckets; see the module docs.
        assert_eq!(ids(FeatureConfig::chinese(), "好"), vec![992_385]);
        assert_eq!(ids(FeatureConfig::english(), "ok"), vec![629_216, 908_061]);
    }

    #[test]
    fn counts_char_ngrams() {
        // 4 chars: 4 unigrams + 3 bigrams + 2 trigrams, no negator.
        assert_eq!(ids(FeatureConfig::chinese(), "质量很好").len(), 9);
    }

    #[test]
    fn negation_adds_marked_features() {
        let plain = ids(FeatureConfig::chinese(), "是很好").len();
        let negated = ids(FeatureConfig::chinese(), "不是很好");
        // 不 adds 1+1+1 n-grams (uni, bi, tri) plus 3 negated characters.
        assert_eq!(negated.len(), plain + 3 + 3);
        let scope_ends = ids(FeatureConfig::chinese(), "不，很好");
        assert_eq!(scope_ends.len(), 4 + 3 + 2);
    }

    #[test]
    fn english_words_fold_case_and_negation() {
        let en = FeatureConfig {
            char_max: 0,
            ..FeatureConfig::english()
        };
        assert_eq!(ids(en.clone(), "Good"), ids(en.clone(), "good"));
        // "not good": 2 unigrams + 1 bigram + negated "good".
        assert_eq!(ids(en.clone(), "not good").len(), 4);
        assert_eq!(ids(en.clone(), "don't like").len(), 4);
        assert_eq!(ids(en, "good!").len(), 3);
    }

    #[test]
    fn sublinear_tf() {
        assert_eq!(tf_weight(1), 1.0);
        assert!((tf_weight(3) - (1.0 + 3f32.ln())).abs() < 1e-6);
    }
}
