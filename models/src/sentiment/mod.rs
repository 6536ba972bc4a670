//! Sentiment of a feedback text: positive / neutral / negative with an intensity
//! score in [-1, 1], for Chinese and English.
//!
//! # Why a hashed linear model
//! Sentiment runs on every row that lands and inside SQL over hundreds of millions
//! of rows, so it must do well over 100k short reviews per second on one core. A
//! linear model over hashed sparse features does: a review costs one pass over its
//! characters (n-gram hashes are computed from a 3-character window, nothing is
//! allocated per n-gram), one sort of ~100-300 bucket ids, and one sparse dot
//! product. On these corpora a well-regularised linear model over character n-grams
//! is also as accurate as anything classical (see ANCHORS.md); a neural net would
//! cost 100x the CPU for a few points.
//!
//! # Pipeline (files `features`, `weighting`, `solver`, `calibrate`)
//! 1. `text::normalize` (NFKC, full-width to half-width, whitespace collapsed), then
//!    lower-casing on the fly.
//! 2. Features, hashed into `2^hash_bits` buckets: character 1-3-grams (Chinese and
//!    English), word unigrams and bigrams (English), and negation-scoped features
//!    (the characters after 不/没/无/未/别/非, the words after not/no/never/…n't up to
//!    the next punctuation mark), so "不是很好" yields a feature "negated 好".
//!    jieba words are not used: jieba alone runs at about the speed budget, and
//!    character bigrams/trigrams already cover most Chinese words.
//! 3. Sublinear tf (`1 + ln tf`) times a smoothed idf learned on the training texts,
//!    L2-normalised, as scikit-learn's `TfidfVectorizer(sublinear_tf=True)`. Buckets
//!    seen in fewer than `min_df` training texts get idf 0, i.e. are ignored (this
//!    also ignores unseen n-grams in the norm, as a fitted vocabulary would).
//!    For the binary (Chinese) model each bucket's idf is further multiplied by
//!    `|naive-Bayes log-count ratio|^0.5` (NBSVM, Wang & Manning 2012): on a
//!    validation split of the training files this lifted shopping from 0.936 to
//!    0.942 and waimai from 0.899 to 0.901.
//! 4. L2-regularised squared-hinge linear SVM (LinearSVC's objective) trained by
//!    dual coordinate descent (Hsieh et al. 2008, LIBLINEAR's default solver), one
//!    model per class (one-vs-rest) for English, one binary model for Chinese. The
//!    solver is hand-written because linfa-logistic and smartcore fit on dense
//!    `ndarray`/`DenseMatrix` inputs: 52k texts x 2^20 features would be ~220 GB
//!    dense, while the dual solver touches only the ~200 non-zeros of each row.
//! 5. Platt scaling fitted on a held-out slice of the *training* files
//!    (`calibration_fraction`, never the test files) turns margins into
//!    probabilities; the model is then refitted on all training texts and keeps
//!    the Platt parameters (the slightly larger margins of the refit only make the
//!    probabilities marginally more confident).
//!
//! # Score and the neutral class
//! `score = P(positive) - P(negative)`, so for Chinese `score = 2 P(positive) - 1`;
//! because the probabilities are calibrated, `|score|` tracks how often the
//! polarity is right. English has a real neutral class (argmax of the calibrated
//! one-vs-rest probabilities). The Chinese corpora are binary, so a Chinese text is
//! neutral when the model is unsure: `|score| < zh_neutral_band` (default 0.2, i.e.
//! calibrated P(positive) between 0.4 and 0.6). Binary accuracy is measured on the
//! sign of the score ([`evaluate`]).
//!
//! # Language routing
//! [`crate::text::lang::detect_language`] decides: `zh` texts go to the Chinese
//! model, `en` texts to the English one, and `other` texts by script (Han →
//! Chinese, Latin → English, neither → Chinese); [`Sentiment::language`] is the
//! detected language.
//!
//! Model files: see [`mod@format`].
//!
//! # Figures (test files, model trained on the train files with the defaults)
//! | test file | accuracy | macro-F1 | classical peer (ANCHORS.md) |
//! |---|---|---|---|
//! | shopping_9cats_test | 0.9440 | 0.9440 | 0.940 / 0.940 |
//! | waimai_test | 0.8948 | 0.8798 | 0.891 / 0.876 |
//! | airline_en_test (3 classes) | 0.8250 | 0.7683 | 0.813 / 0.748 |
//! | shopping 水果 rows, 水果 left out of training | 0.9194 | 0.9192 | 0.909 (LR), 0.917 (SVC), same protocol |
//! | shopping 蒙牛 rows, 蒙牛 left out of training | 0.8079 | 0.8068 | 0.808 (LR), 0.796 (SVC), same protocol |
//!
//! Reproduce: `cargo run --release -- train sentiment --data-dir
//! ../shared/data/reviews --out models/sentiment.vxm` (trains, writes, scores) and
//! `cargo test -p voxlake-models --release --test it sentiment -- --include-ignored
//! --test-threads 1 --nocapture` (anchors, held-back categories, throughput).

mod calibrate;
mod data;
mod error;
mod eval;
pub(crate) mod features;
pub mod format;
mod lang;
mod model;
pub(crate) mod solver;
#[cfg(test)]
mod testutil;
mod train;
pub(crate) mod weighting;

pub use crate::text::lang::Language;
pub use data::{LabelledFile, LabelledText, Split, TrainingSet, load_labelled_csv, load_split, load_training_dir};
pub use error::{Error, Result};
pub use eval::{ClassMetrics, Metrics, Scheme, evaluate};
pub use features::FeatureConfig;
pub use model::{Sentiment, SentimentLabel, SentimentModel};
pub use train::{
    LanguageReport, LanguageTrainConfig, TrainConfig, TrainProgress, TrainReport, train, train_with_progress,
};
