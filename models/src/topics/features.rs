//! Text → sparse TF-IDF vector over hashed features, shared by fitting,
//! assignment and topic matching so that all three compare like with like.
//!
//! A text contributes character n-grams (hashed by the sentiment module's
//! [`Featurizer`], negation features off) and its jieba content words (stopwords
//! and negation words dropped) hashed into the same `2^hash_bits` space in the
//! word namespace. Character n-grams are robust to segmentation errors and
//! slang; whole words add the product names, versions and multi-character terms
//! ("5.3.0", "小满l76", "闪退") that name a topic. Weights are sublinear tf x
//! smoothed idf, L2-normalised, as scikit-learn's
//! `TfidfVectorizer(sublinear_tf=True)`.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::sentiment::FeatureConfig;
use crate::sentiment::features::{Featurizer, tf_weight};
use crate::text::normalize::normalize_cow;
use crate::text::tokenize::{Tokenizer, is_negation};

use super::priority::{Severity, severity_terms};

/// Which features describe a text; stored in the model file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicFeatureConfig {
    /// Number of hash buckets is `2^hash_bits` (12..=22).
    pub hash_bits: u8,
    /// Character n-grams `char_min..=char_max` (at most 3); `char_max = 0` disables them.
    pub char_min: u8,
    pub char_max: u8,
    /// Weight of jieba content words relative to character n-grams; 0 disables them.
    pub word_weight: f32,
    /// Features seen in fewer texts of the fitting window are ignored.
    pub min_df: u32,
    /// The idf is raised to this power: above 1 it favours the specific words
    /// a topic is about over the generic praise and complaint words every
    /// topic shares (see the module docs of `topics` for the figures).
    pub idf_power: f32,
    /// Weight of one shared feature per always-high severe problem a text
    /// names (safety: 漏电, 冒烟, fire…; fraud). A few dozen safety reports
    /// among thousands of complaints otherwise scatter over the big topics
    /// they also mention (delivery, price) and never surface as an issue of
    /// their own, which is the one management must see. 0 disables it; topic
    /// models saved before it existed read as 0, the way they were fitted.
    #[serde(default)]
    pub severity_weight: f32,
}

impl Default for TopicFeatureConfig {
    fn default() -> Self {
        TopicFeatureConfig {
            hash_bits: 18,
            char_min: 1,
            char_max: 3,
            word_weight: 2.0,
            min_df: 2,
            idf_power: 1.5,
            severity_weight: 3.0,
        }
    }
}

impl TopicFeatureConfig {
    pub(crate) fn check(&self) -> Result<(), String> {
        if !(12..=22).contains(&self.hash_bits) {
            return Err(format!("hash_bits must be in 12..=22, got {}", self.hash_bits));
        }
        if self.char_max > 3 || (self.char_max > 0 && !(1..=self.char_max).contains(&self.char_min)) {
            return Err(format!(
                "character n-grams {}..={} must lie in 1..=3",
                self.char_min, self.char_max
            ));
        }
        if !(self.word_weight.is_finite() && self.word_weight >= 0.0) {
            return Err(format!("word_weight must be >= 0, got {}", self.word_weight));
        }
        if !(0.5..=3.0).contains(&self.idf_power) {
            return Err(format!("idf_power must be in 0.5..=3, got {}", self.idf_power));
        }
        if !(self.severity_weight.is_finite() && self.severity_weight >= 0.0) {
            return Err(format!("severity_weight must be >= 0, got {}", self.severity_weight));
        }
        if self.char_max == 0 && self.word_weight == 0.0 {
            return Err("no features enabled".into());
        }
        Ok(())
    }

    pub(crate) fn buckets(&self) -> usize {
        1usize << self.hash_bits
    }
}

/// A sparse vector: `(bucket, value)` sorted by bucket, no repeats.
pub(crate) type Sparse = Vec<(u32, f32)>;

/// Hashes texts into term frequencies; cheap to clone (the tokenizer is shared).
#[derive(Clone)]
pub(crate) struct TopicFeaturizer {
    config: TopicFeatureConfig,
    chars: Featurizer,
    tokenizer: Arc<Tokenizer>,
}

impl TopicFeaturizer {
    pub(crate) fn new(config: TopicFeatureConfig, tokenizer: Arc<Tokenizer>) -> Self {
        let chars = Featurizer::new(FeatureConfig {
            hash_bits: config.hash_bits,
            char_min: config.char_min.max(1),
            char_max: config.char_max,
            word_max: 0,
            negation_scope: 0,
            min_df: config.min_df,
        });
        TopicFeaturizer {
            config,
            chars,
            tokenizer,
        }
    }

    pub(crate) fn config(&self) -> &TopicFeatureConfig {
        &self.config
    }

    /// Sublinear term frequencies of `text`; its topic words go to `words`
    /// when asked for (fitting names topics from them).
    pub(crate) fn term_frequencies(&self, text: &str, mut words: Option<&mut Vec<String>>) -> Sparse {
        let text = normalize_cow(text);
        let mut ids = Vec::with_capacity(text.len());
        if self.config.char_max > 0 {
            self.chars.extract(&text, &mut ids);
        }
        let mut tf = counts(&mut ids, 1.0);
        if self.config.word_weight > 0.0 || words.is_some() {
            let tokens = topic_words(&self.tokenizer, &text);
            if self.config.word_weight > 0.0 {
                let mut ids: Vec<u32> = tokens.iter().map(|t| self.chars.token_bucket(t)).collect();
                tf = merge(tf, counts(&mut ids, self.config.word_weight));
            }
            if let Some(words) = words.as_deref_mut() {
                *words = tokens;
            }
        }
        if self.config.severity_weight > 0.0 {
            let severe = always_high_severities(&text);
            tf = merge(tf, self.severity_features(&severe));
            // Named by their kind too: the reports of one safety problem use
            // several words for it (漏电, 冒烟, 焦糊), none in most of them.
            if let Some(words) = words {
                words.extend(severe.iter().map(|&(kind, term)| kind.topic_word(term).to_owned()));
            }
        }
        tf
    }

    /// One feature per severe problem found: every safety report shares it,
    /// whatever words it uses.
    fn severity_features(&self, severe: &[(Severity, &str)]) -> Sparse {
        let mut ids: Vec<u32> = severe
            .iter()
            .map(|(kind, _)| self.chars.token_bucket(&format!("\u{1}severity:{}", kind.as_str())))
            .collect();
        counts(&mut ids, self.config.severity_weight)
    }
}

/// The always-high severe problems (safety, fraud) `text` names, with the
/// first term found for each.
fn always_high_severities(text: &str) -> Vec<(Severity, &'static str)> {
    let mut found = severity_terms(text);
    found.retain(|(kind, _)| kind.is_always_high());
    found
}

/// Content words worth a topic: no stopwords, no negations, no bare 1-2 digit numbers.
pub(crate) fn topic_words(tokenizer: &Tokenizer, text: &str) -> Vec<String> {
    let mut tokens = tokenizer.content_tokens(text);
    let small_number = |t: &str| t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit());
    tokens.retain(|t| !(is_negation(t) || small_number(t)));
    tokens
}

/// Sorted `(bucket, weight * (1 + ln count))` of a list of bucket ids.
fn counts(ids: &mut [u32], weight: f32) -> Sparse {
    ids.sort_unstable();
    let mut out: Sparse = Vec::with_capacity(ids.len());
    for chunk in ids.chunk_by(|a, b| a == b) {
        out.push((chunk[0], weight * tf_weight(chunk.len() as u32)));
    }
    out
}

/// Sum of two sorted sparse vectors.
pub(crate) fn merge(a: Sparse, b: Sparse) -> Sparse {
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a = j == b.len() || (i < a.len() && a[i].0 < b[j].0);
        let take_b = i == a.len() || (j < b.len() && b[j].0 < a[i].0);
        if take_a {
            out.push(a[i]);
            i += 1;
        } else if take_b {
            out.push(b[j]);
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + b[j].1));
            i += 1;
            j += 1;
        }
    }
    out
}

/// `tf x idf`, L2-normalised; buckets with idf 0 (unseen or too rare when the
/// idf was fitted) are dropped.
pub(crate) fn tf_idf(tf: &[(u32, f32)], idf: &[f32]) -> Sparse {
    let mut v: Sparse = tf
        .iter()
        .filter_map(|&(b, t)| {
            let w = idf.get(b as usize).copied().unwrap_or(0.0);
            (w > 0.0).then_some((b, t * w))
        })
        .collect();
    let norm = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, x)| *x /= norm);
    }
    v
}

/// Smoothed idf `(ln((1 + n) / (1 + df)) + 1)^p` of every bucket seen in at
/// least `min_df` of the `n` texts, 0 elsewhere.
pub(crate) fn fit_idf(tfs: &[Sparse], config: &TopicFeatureConfig) -> Vec<f32> {
    let (buckets, min_df, p) = (config.buckets(), config.min_df, config.idf_power);
    let mut df = vec![0u32; buckets];
    for tf in tfs {
        tf.iter().for_each(|&(b, _)| df[b as usize] += 1);
    }
    let n = tfs.len() as f32;
    df.iter()
        .map(|&d| {
            if d >= min_df.max(1) {
                (((1.0 + n) / (1.0 + d as f32)).ln() + 1.0).powf(p)
            } else {
                0.0
            }
        })
        .collect()
}

/// Cosine of two sorted unit sparse vectors.
pub(crate) fn sparse_dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;

    pub(crate) static TOKENIZER: LazyLock<Arc<Tokenizer>> = LazyLock::new(|| Arc::new(Tokenizer::new()));

    fn featurizer(config: TopicFeatureConfig) -> TopicFeaturizer {
        TopicFeaturizer::new(config, TOKENIZER.clone())
    }

    #[test]
    fn safety_reports_share_a_feature_and_a_name_word_whatever_their_words() {
        let f = featurizer(TopicFeatureConfig::default());
        let (mut shock, mut smoke) = (Vec::new(), Vec::new());
        let a = f.term_frequencies("小满L76漏电，手碰到外壳被电了一下", Some(&mut shock));
        let b = f.term_frequencies("用的时候突然冒烟，吓死了", Some(&mut smoke));
        let shared: Vec<u32> = a.iter().filter(|x| b.iter().any(|y| y.0 == x.0)).map(|x| x.0).collect();
        let severity = f.chars.token_bucket("\u{1}severity:safety");
        assert!(shared.contains(&severity), "both carry the safety feature");
        assert!(shock.contains(&"安全隐患".to_owned()) && smoke.contains(&"安全隐患".to_owned()));
        let mut english = Vec::new();
        f.term_frequencies("The charger caught fire overnight", Some(&mut english));
        assert!(english.contains(&"safety".to_owned()), "{english:?}");

        let off = featurizer(TopicFeatureConfig {
            severity_weight: 0.0,
            ..TopicFeatureConfig::default()
        });
        let mut words = Vec::new();
        let plain = off.term_frequencies("小满L76漏电，手碰到外壳被电了一下", Some(&mut words));
        assert!(!plain.iter().any(|x| x.0 == severity) && !words.contains(&"安全隐患".to_owned()));
        let late_complaint = f.term_frequencies("快递太慢了，等了一周", None);
        assert!(!late_complaint.iter().any(|x| x.0 == severity));
    }

    #[test]
    fn models_saved_before_severity_features_load_without_them() {
        let mut json = serde_json::to_value(TopicFeatureConfig::default()).expect("serialises");
        json.as_object_mut().expect("an object").remove("severity_weight");
        let old: TopicFeatureConfig = serde_json::from_value(json).expect("reads");
        assert_eq!(old.severity_weight, 0.0);
    }

    #[test]
    fn words_and_chars_share_one_space() {
        let f = featurizer(TopicFeatureConfig::default());
        let mut words = Vec::new();
        let tf = f.term_frequencies("更新到5.3.0以后一打开就闪退", Some(&mut words));
        assert!(words.contains(&"闪退".to_owned()) && words.contains(&"5.3.0".to_owned()));
        assert!(tf.windows(2).all(|w| w[0].0 < w[1].0), "sorted, no repeats");
        let chars_only = featurizer(TopicFeatureConfig {
            word_weight: 0.0,
            ..TopicFeatureConfig::default()
        });
        assert!(chars_only.term_frequencies("闪退", None).len() < tf.len());
    }

    #[test]
    fn topic_words_drop_negations_and_small_numbers() {
        let words = topic_words(&TOKENIZER, "没有收到货，等了3天，打了12315");
        assert!(!words.iter().any(|w| w == "没有" || w == "3"), "{words:?}");
        assert!(words.iter().any(|w| w == "12315"), "{words:?}");
    }

    #[test]
    fn config_is_checked() {
        assert!(TopicFeatureConfig::default().check().is_ok());
        let bad = |c: TopicFeatureConfig| c.check().is_err();
        assert!(bad(TopicFeatureConfig {
            hash_bits: 30,
            ..Default::default()
        }));
        assert!(bad(TopicFeatureConfig {
            char_min: 3,
            char_max: 2,
            ..Default::default()
        }));
        assert!(bad(TopicFeatureConfig {
            char_max: 0,
            word_weight: 0.0,
            ..Default::default()
        }));
        assert!(bad(TopicFeatureConfig {
            word_weight: f32::NAN,
            ..Default::default()
        }));
        assert!(bad(TopicFeatureConfig {
            idf_power: 0.0,
            ..Default::default()
        }));
    }

    #[test]
    fn tf_idf_is_unit_and_skips_unknown_buckets() {
        let idf = vec![0.0, 2.0, 1.0];
        let v = tf_idf(&[(0, 1.0), (1, 1.0), (2, 2.0), (9, 1.0)], &idf);
        assert_eq!(v.len(), 2);
        assert!((sparse_dot(&v, &v) - 1.0).abs() < 1e-6);
        assert_eq!(
            merge(vec![(1, 1.0), (3, 1.0)], vec![(2, 1.0), (3, 2.0)]),
            vec![(1, 1.0), (2, 1.0), (3, 3.0)]
        );
    }

    #[test]
    fn idf_respects_min_df() {
        let tfs = vec![vec![(0, 1.0), (1, 1.0)], vec![(0, 1.0)]];
        let config = TopicFeatureConfig {
            hash_bits: 12,
            idf_power: 2.0,
            ..Default::default()
        };
        let idf = fit_idf(&tfs, &config);
        assert!((idf[0] - 1.0).abs() < 1e-6);
        assert!(idf[1..].iter().all(|&x| x == 0.0));
        let once = fit_idf(
            &tfs,
            &TopicFeatureConfig {
                min_df: 1,
                idf_power: 2.0,
                ..config
            },
        );
        assert!((once[1] - (1.5f32.ln() + 1.0).powi(2)).abs() < 1e-5);
    }
}
