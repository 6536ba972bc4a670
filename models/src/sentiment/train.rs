//! Fitting a [`SentimentModel`] from labelled texts: features, idf, one-vs-rest
//! SVMs, Platt calibration on a held-out slice of the training texts, refit.

use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::calibrate::Platt;
use super::data::LabelledText;
use super::error::{Error, Result};
use super::eval::{Metrics, metrics};
use super::features::{FeatureConfig, Featurizer, tf_weight};
use super::lang::Language;
use super::model::{LanguageModel, MAX_OUTPUTS, Sentiment, SentimentLabel, SentimentModel};
use super::solver::{self, Csr, LinearFit, Problem, SplitMix64, SvmParams};
use crate::text::normalize::normalize;

/// Hyperparameters of one language model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LanguageTrainConfig {
    pub features: FeatureConfig,
    /// Penalty of a margin violation (LinearSVC's `C`); smaller regularises more.
    pub c: f64,
    /// Weight each class by `n / (classes * n_class)` (scikit-learn's "balanced").
    pub balanced: bool,
}

/// Everything training needs; [`TrainConfig::default`] gives the shipped model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    pub zh: LanguageTrainConfig,
    pub en: LanguageTrainConfig,
    pub max_epochs: u32,
    /// Dual coordinate descent stops when the projected-gradient spread is below this.
    pub tolerance: f64,
    pub seed: u64,
    /// Share of the training texts held out to fit Platt scaling (and to report
    /// held-out accuracy) before the final refit on all texts.
    pub calibration_fraction: f64,
    /// Refit on all training texts after calibrating (else keep the model fitted
    /// without the calibration slice).
    pub refit_on_all: bool,
    /// Chinese texts with `|score|` below this are neutral.
    pub zh_neutral_band: f32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            zh: LanguageTrainConfig { features: FeatureConfig::chinese(), c: 0.5, balanced: false },
            en: LanguageTrainConfig { features: FeatureConfig::english(), c: 0.5, balanced: false },
            max_epochs: 100,
            tolerance: 0.1,
            seed: 42,
            calibration_fraction: 0.1,
            refit_on_all: true,
            zh_neutral_band: 0.2,
        }
    }
}

impl TrainConfig {
    /// Checks every field; [`train`] calls it before fitting anything.
    pub fn check(&self) -> Result<()> {
        for (lang, c) in [("zh", &self.zh), ("en", &self.en)] {
            c.features.check().map_err(|e| Error::Config(format!("{lang}: {e}")))?;
            if !(c.c > 0.0 && c.c.is_finite()) {
                return Err(Error::Config(format!("{lang}: c must be positive, got {}", c.c)));
            }
        }
        if !(0.01..=0.5).contains(&self.calibration_fraction) {
            return Err(Error::Config(format!("calibration_fraction must be in 0.01..=0.5, got {}", self.calibration_fraction)));
        }
        if !(0.0..1.0).contains(&self.zh_neutral_band) {
            return Err(Error::Config(format!("zh_neutral_band must be in [0, 1), got {}", self.zh_neutral_band)));
        }
        if self.max_epochs == 0 || !(self.tolerance > 0.0) {
            return Err(Error::Config("max_epochs and tolerance must be positive".into()));
        }
        Ok(())
    }
}

/// What training reports as it goes (for a progress bar or logs).
#[derive(Clone, Debug, PartialEq)]
pub enum TrainProgress {
    Featurized { language: Language, texts: usize, buckets_used: usize },
    Epoch { language: Language, output: SentimentLabel, final_fit: bool, epoch: u32, violation: f64 },
    Finished { language: Language, secs: f64, validation: Metrics },
}

/// Held-out figures and sizes of one language model, stored in the model file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LanguageReport {
    pub texts: usize,
    pub calibration_texts: usize,
    pub buckets_used: usize,
    pub max_epochs_used: u32,
    pub converged: bool,
    /// Accuracy of the model fitted without the calibration slice, on that slice.
    pub validation: Metrics,
    pub train_secs: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainReport {
    pub config: TrainConfig,
    pub zh: LanguageReport,
    pub en: LanguageReport,
}

/// Trains both language models (in parallel) on `zh` and `en` texts.
pub fn train(config: &TrainConfig, zh: &[LabelledText], en: &[LabelledText]) -> Result<SentimentModel> {
    train_with_progress(config, zh, en, &|_| {})
}

pub fn train_with_progress(
    config: &TrainConfig,
    zh: &[LabelledText],
    en: &[LabelledText],
    progress: &(dyn Fn(&TrainProgress) + Sync),
) -> Result<SentimentModel> {
    config.check()?;
    let (zh_fit, en_fit) = rayon::join(
        || train_language(Language::Chinese, &config.zh, config, zh, progress),
        || train_language(Language::English, &config.en, config, en, progress),
    );
    let ((zh, zh_report), (en, en_report)) = (zh_fit?, en_fit?);
    Ok(SentimentModel { zh, en, report: TrainReport { config: config.clone(), zh: zh_report, en: en_report } })
}

fn train_language(
    language: Language,
    cfg: &LanguageTrainConfig,
    common: &TrainConfig,
    data: &[LabelledText],
    progress: &(dyn Fn(&TrainProgress) + Sync),
) -> Result<(LanguageModel, LanguageReport)> {
    let started = Instant::now();
    let outputs = output_labels(language, data)?;
    let featurizer = Featurizer::new(cfg.features.clone());
    let (x, idf) = tfidf_matrix(&featurizer, data);
    let buckets_used = idf.iter().filter(|&&v| v > 0.0).count();
    progress(&TrainProgress::Featurized { language, texts: data.len(), buckets_used });
    let labels: Vec<SentimentLabel> = data.iter().map(|d| d.label).collect();
    let (fit_rows, calib_rows) = split_rows(data.len(), common.calibration_fraction, common.seed);
    let cost = costs(&labels, cfg);
    let fits: Vec<(LinearFit, Platt, Option<LinearFit>)> = outputs
        .par_iter()
        .map(|&output| {
            let y: Vec<bool> = labels.iter().map(|&l| l == output).collect();
            let pb = Problem { x: &x, columns: idf.len(), y: &y, cost: &cost };
            let solve = |rows: &[usize], final_fit| {
                let params = SvmParams { max_epochs: common.max_epochs, tolerance: common.tolerance, seed: common.seed };
                solver::fit(&pb, rows, &params, &mut |epoch, violation| {
                    progress(&TrainProgress::Epoch { language, output, final_fit, epoch, violation })
                })
            };
            let held_out = solve(&fit_rows, false);
            let margins: Vec<f64> = calib_rows.iter().map(|&r| held_out.margin(x.row(r))).collect();
            let platt = Platt::fit(&margins, &calib_rows.iter().map(|&r| y[r]).collect::<Vec<_>>());
            let refit = common.refit_on_all.then(|| solve(&(0..data.len()).collect::<Vec<_>>(), true));
            (held_out, platt, refit)
        })
        .collect();
    let neutral_band = if outputs.len() == 1 { common.zh_neutral_band } else { 0.0 };
    let held_out_model = assemble(&featurizer, &outputs, &idf, &fits, neutral_band, |f| &f.0);
    let validation = validate(&held_out_model, &x, &labels, &calib_rows, language);
    let model = assemble(&featurizer, &outputs, &idf, &fits, neutral_band, |f| f.2.as_ref().unwrap_or(&f.0));
    let secs = started.elapsed().as_secs_f64();
    progress(&TrainProgress::Finished { language, secs, validation: validation.clone() });
    let last = |f: &(LinearFit, Platt, Option<LinearFit>)| f.2.clone().unwrap_or_else(|| f.0.clone());
    let report = LanguageReport {
        texts: data.len(),
        calibration_texts: calib_rows.len(),
        buckets_used,
        max_epochs_used: fits.iter().map(|f| last(f).epochs).max().unwrap_or(0),
        converged: fits.iter().all(|f| last(f).converged),
        validation,
        train_secs: secs,
    };
    Ok((model, report))
}

/// Binary data (no neutral) gives one output, positive vs negative; data with
/// all three labels gives three one-vs-rest outputs.
fn output_labels(language: Language, data: &[LabelledText]) -> Result<Vec<SentimentLabel>> {
    let has = |l| data.iter().any(|d| d.label == l);
    let err = |message: &str| Error::Training { language: language.as_str(), message: message.into() };
    if !has(SentimentLabel::Positive) || !has(SentimentLabel::Negative) {
        return Err(err("needs both positive and negative texts"));
    }
    Ok(if has(SentimentLabel::Neutral) { SentimentLabel::ALL.to_vec() } else { vec![SentimentLabel::Positive] })
}

/// Sublinear-tf x idf rows, L2-normalised, and the idf of every bucket
/// (0 for buckets in fewer than `min_df` texts).
fn tfidf_matrix(featurizer: &Featurizer, data: &[LabelledText]) -> (Csr, Vec<f32>) {
    let rows: Vec<Vec<(u32, u32)>> = data
        .par_iter()
        .map_init(Vec::new, |raw, d| {
            raw.clear();
            featurizer.extract(&normalize(&d.text), raw);
            raw.sort_unstable();
            raw.chunk_by(|a, b| a == b).map(|run| (run[0], run.len() as u32)).collect()
        })
        .collect();
    let idf = idf(&rows, featurizer.config());
    let mut x = Csr { indptr: vec![0], ..Csr::default() };
    for row in &rows {
        let start = x.indices.len();
        for &(j, count) in row.iter().filter(|(j, _)| idf[*j as usize] > 0.0) {
            x.indices.push(j);
            x.values.push(tf_weight(count) * idf[j as usize]);
        }
        let norm = x.values[start..].iter().map(|v| v * v).sum::<f32>().sqrt();
        x.values[start..].iter_mut().for_each(|v| *v /= norm.max(f32::MIN_POSITIVE));
        x.indptr.push(x.indices.len());
    }
    (x, idf)
}

/// Smoothed idf as scikit-learn: `ln((1 + n) / (1 + df)) + 1`.
fn idf(rows: &[Vec<(u32, u32)>], config: &FeatureConfig) -> Vec<f32> {
    let mut df = vec![0u32; config.buckets()];
    rows.iter().flatten().for_each(|&(j, _)| df[j as usize] += 1);
    let n = rows.len() as f64;
    df.iter()
        .map(|&d| if d == 0 || d < config.min_df { 0.0 } else { (((1.0 + n) / (1.0 + f64::from(d))).ln() + 1.0) as f32 })
        .collect()
}

/// Seeded shuffle; the first `fraction` of it is the calibration slice.
fn split_rows(n: usize, fraction: f64, seed: u64) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..n).collect();
    SplitMix64(seed ^ 0xCA1B_4A7E).shuffle(&mut order);
    let calib = ((n as f64 * fraction).round() as usize).clamp(1, n.saturating_sub(1));
    let mut fit = order.split_off(calib);
    fit.sort_unstable();
    order.sort_unstable();
    (fit, order)
}

fn costs(labels: &[SentimentLabel], cfg: &LanguageTrainConfig) -> Vec<f64> {
    let count = |l| labels.iter().filter(|&&x| x == l).count() as f64;
    let classes = SentimentLabel::ALL.iter().filter(|&&l| count(l) > 0.0).count() as f64;
    let n = labels.len() as f64;
    labels.iter().map(|&l| if cfg.balanced { cfg.c * n / (classes * count(l)) } else { cfg.c }).collect()
}

fn assemble(
    featurizer: &Featurizer,
    outputs: &[SentimentLabel],
    idf: &[f32],
    fits: &[(LinearFit, Platt, Option<LinearFit>)],
    neutral_band: f32,
    pick: impl Fn(&(LinearFit, Platt, Option<LinearFit>)) -> &LinearFit,
) -> LanguageModel {
    let stride = 1 + outputs.len();
    let mut table = vec![0f32; idf.len() * stride];
    for (j, row) in table.chunks_exact_mut(stride).enumerate() {
        row[0] = idf[j];
        for (k, f) in fits.iter().enumerate() {
            row[1 + k] = if idf[j] > 0.0 { pick(f).weights[j] as f32 } else { 0.0 };
        }
    }
    LanguageModel {
        featurizer: featurizer.clone(),
        outputs: outputs.to_vec(),
        table,
        bias: fits.iter().map(|f| pick(f).bias as f32).collect(),
        platt: fits.iter().map(|f| f.1).collect(),
        neutral_band,
    }
}

/// Metrics of the held-out model on the calibration slice (margins from the
/// already-built feature rows, the same values inference computes).
fn validate(model: &LanguageModel, x: &Csr, labels: &[SentimentLabel], rows: &[usize], language: Language) -> Metrics {
    let predicted: Vec<Sentiment> = rows
        .iter()
        .map(|&r| {
            let (idx, val) = x.row(r);
            let mut margins = [0f64; MAX_OUTPUTS];
            for (k, m) in margins.iter_mut().take(model.outputs.len()).enumerate() {
                let dot: f64 = idx.iter().zip(val).map(|(&j, &v)| f64::from(v * model.table[j as usize * model.stride() + 1 + k])).sum();
                *m = dot + f64::from(model.bias[k]);
            }
            let (label, score) = model.decide(&margins);
            Sentiment { label, score, language }
        })
        .collect();
    let gold: Vec<SentimentLabel> = rows.iter().map(|&r| labels[r]).collect();
    metrics(&gold, &predicted)
}
