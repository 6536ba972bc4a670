//! Fitting a [`SentimentModel`] from labelled texts: features, idf, one-vs-rest
//! SVMs, Platt calibration on a held-out slice of the training texts, refit.

use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::calibrate::Platt;
use super::data::LabelledText;
use super::error::{Error, Result};
use super::eval::{Metrics, metrics};
use super::features::{FeatureConfig, Featurizer};
use super::model::{LanguageModel, MAX_OUTPUTS, Sentiment, SentimentLabel, SentimentModel};
use super::solver::{self, Csr, LinearFit, Problem, SplitMix64, SvmParams};
use super::weighting::{self, CountRows};
use crate::text::lang::Language;

/// Hyperparameters of one language model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LanguageTrainConfig {
    pub features: FeatureConfig,
    /// Penalty of a margin violation (LinearSVC's `C`); smaller regularises more.
    pub c: f64,
    /// Weight each class by `n / (classes * n_class)` (scikit-learn's "balanced").
    pub balanced: bool,
    /// Binary models only: multiply each bucket's idf by `|NB log-count ratio|^nb_power`
    /// (NBSVM); 0 disables.
    pub nb_power: f32,
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
            zh: LanguageTrainConfig {
                features: FeatureConfig::chinese(),
                c: 0.5,
                balanced: false,
                nb_power: 0.5,
            },
            en: LanguageTrainConfig {
                features: FeatureConfig::english(),
                c: 0.5,
                balanced: false,
                nb_power: 0.0,
            },
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
            return Err(Error::Config(format!(
                "calibration_fraction must be in 0.01..=0.5, got {}",
                self.calibration_fraction
            )));
        }
        if !(0.0..1.0).contains(&self.zh_neutral_band) {
            return Err(Error::Config(format!(
                "zh_neutral_band must be in [0, 1), got {}",
                self.zh_neutral_band
            )));
        }
        if self.max_epochs == 0 || self.tolerance.is_nan() || self.tolerance <= 0.0 {
            return Err(Error::Config("max_epochs and tolerance must be positive".into()));
        }
        Ok(())
    }
}

/// What training reports as it goes (for a progress bar or logs).
#[derive(Clone, Debug, PartialEq)]
pub enum TrainProgress {
    Featurized {
        language: Language,
        texts: usize,
        buckets_used: usize,
    },
    Epoch {
        language: Language,
        output: SentimentLabel,
        final_fit: bool,
        epoch: u32,
        violation: f64,
    },
    Finished {
        language: Language,
        secs: f64,
        validation: Metrics,
    },
}

/// Held-out figures and sizes of one language model, stored in the model file
/// (no timings, so that training twice writes identical files).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LanguageReport {
    pub texts: usize,
    pub calibration_texts: usize,
    pub buckets_used: usize,
    pub max_epochs_used: u32,
    pub converged: bool,
    /// Accuracy of the model fitted without the calibration slice, on that slice.
    pub validation: Metrics,
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
        || train_language(Language::Zh, &config.zh, config, zh, progress),
        || train_language(Language::En, &config.en, config, en, progress),
    );
    let ((zh, zh_report), (en, en_report)) = (zh_fit?, en_fit?);
    Ok(SentimentModel {
        zh,
        en,
        report: TrainReport {
            config: config.clone(),
            zh: zh_report,
            en: en_report,
        },
    })
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
    let counts = weighting::count_rows(&featurizer, data);
    let idf = weighting::idf(&counts, featurizer.config());
    let buckets_used = idf.iter().filter(|&&v| v > 0.0).count();
    progress(&TrainProgress::Featurized {
        language,
        texts: data.len(),
        buckets_used,
    });
    let task = Task {
        language,
        cfg,
        common,
        counts: &counts,
        idf: &idf,
        labels: data.iter().map(|d| d.label).collect(),
        outputs,
        progress,
    };
    let (fit_rows, calib_rows) = split_rows(data.len(), common.calibration_fraction, common.seed);
    let held_out = task.fit(&fit_rows, false);
    let platt = task.calibrate(&held_out, &calib_rows);
    let neutral_band = if task.outputs.len() == 1 {
        common.zh_neutral_band
    } else {
        0.0
    };
    let validation = task.validate(
        &task.assemble(&featurizer, &held_out, &platt, neutral_band),
        &held_out.x,
        &calib_rows,
    );
    let last = if common.refit_on_all {
        task.fit(&(0..data.len()).collect::<Vec<_>>(), true)
    } else {
        held_out
    };
    let model = task.assemble(&featurizer, &last, &platt, neutral_band);
    let secs = started.elapsed().as_secs_f64();
    progress(&TrainProgress::Finished {
        language,
        secs,
        validation: validation.clone(),
    });
    let report = LanguageReport {
        texts: data.len(),
        calibration_texts: calib_rows.len(),
        buckets_used,
        max_epochs_used: last.fits.iter().map(|f| f.epochs).max().unwrap_or(0),
        converged: last.fits.iter().all(|f| f.converged),
        validation,
    };
    Ok((model, report))
}

/// One language's training data and settings.
struct Task<'a> {
    language: Language,
    cfg: &'a LanguageTrainConfig,
    common: &'a TrainConfig,
    counts: &'a CountRows,
    idf: &'a [f32],
    labels: Vec<SentimentLabel>,
    outputs: Vec<SentimentLabel>,
    progress: &'a (dyn Fn(&TrainProgress) + Sync),
}

/// Linear models fitted on some rows, with the feature scale and matrix they used.
struct Stage {
    scale: Vec<f32>,
    x: Csr,
    fits: Vec<LinearFit>,
}

impl Task<'_> {
    fn targets(&self, output: SentimentLabel) -> Vec<bool> {
        self.labels.iter().map(|&l| l == output).collect()
    }

    /// Fits every output on `rows`; the NB scale (binary models only) is learned on
    /// the same rows, so the calibration slice stays unseen by the held-out stage.
    fn fit(&self, rows: &[usize], final_fit: bool) -> Stage {
        let power = if self.outputs.len() == 1 {
            self.cfg.nb_power
        } else {
            0.0
        };
        let scale = weighting::nb_scale(
            self.idf,
            self.counts,
            &self.targets(SentimentLabel::Positive),
            rows,
            power,
        );
        let x = weighting::build_rows(self.counts, &scale);
        let cost = costs(&self.labels, self.cfg);
        let params = SvmParams {
            max_epochs: self.common.max_epochs,
            tolerance: self.common.tolerance,
            seed: self.common.seed,
        };
        let fits = self
            .outputs
            .par_iter()
            .map(|&output| {
                let y = self.targets(output);
                let pb = Problem {
                    x: &x,
                    columns: scale.len(),
                    y: &y,
                    cost: &cost,
                };
                solver::fit(&pb, rows, &params, &mut |epoch, violation| {
                    (self.progress)(&TrainProgress::Epoch {
                        language: self.language,
                        output,
                        final_fit,
                        epoch,
                        violation,
                    })
                })
            })
            .collect();
        Stage { scale, x, fits }
    }

    fn calibrate(&self, stage: &Stage, rows: &[usize]) -> Vec<Platt> {
        let calibrate_one = |(fit, &output): (&LinearFit, &SentimentLabel)| {
            let y = self.targets(output);
            let margins: Vec<f64> = rows.iter().map(|&r| fit.margin(stage.x.row(r))).collect();
            Platt::fit(&margins, &rows.iter().map(|&r| y[r]).collect::<Vec<_>>())
        };
        stage.fits.iter().zip(&self.outputs).map(calibrate_one).collect()
    }

    fn assemble(&self, featurizer: &Featurizer, stage: &Stage, platt: &[Platt], neutral_band: f32) -> LanguageModel {
        let stride = 1 + self.outputs.len();
        let mut table = vec![0f32; stage.scale.len() * stride];
        for (j, row) in table
            .chunks_exact_mut(stride)
            .enumerate()
            .filter(|(j, _)| stage.scale[*j] > 0.0)
        {
            row[0] = stage.scale[j];
            stage
                .fits
                .iter()
                .enumerate()
                .for_each(|(k, f)| row[1 + k] = f.weights[j] as f32);
        }
        LanguageModel {
            featurizer: featurizer.clone(),
            outputs: self.outputs.clone(),
            table,
            bias: stage.fits.iter().map(|f| f.bias as f32).collect(),
            platt: platt.to_vec(),
            neutral_band,
        }
    }

    /// Metrics of `model` on `rows`, margins computed from the feature rows (the
    /// same values inference computes from the text).
    fn validate(&self, model: &LanguageModel, x: &Csr, rows: &[usize]) -> Metrics {
        let stride = model.stride();
        let predict = |&r: &usize| {
            let (idx, val) = x.row(r);
            let mut margins = [0f64; MAX_OUTPUTS];
            for (k, m) in margins.iter_mut().take(model.outputs.len()).enumerate() {
                let dot: f32 = idx
                    .iter()
                    .zip(val)
                    .map(|(&j, &v)| v * model.table[j as usize * stride + 1 + k])
                    .sum();
                *m = f64::from(dot + model.bias[k]);
            }
            let (label, score) = model.decide(&margins);
            Sentiment {
                label,
                score,
                language: self.language,
            }
        };
        let predicted: Vec<Sentiment> = rows.iter().map(predict).collect();
        let gold: Vec<SentimentLabel> = rows.iter().map(|&r| self.labels[r]).collect();
        metrics(&gold, &predicted)
    }
}

/// Binary data (no neutral) gives one output, positive vs negative; data with
/// all three labels gives three one-vs-rest outputs.
fn output_labels(language: Language, data: &[LabelledText]) -> Result<Vec<SentimentLabel>> {
    let has = |l| data.iter().any(|d| d.label == l);
    let err = |message: &str| Error::Training {
        language: language.as_str(),
        message: message.into(),
    };
    if !has(SentimentLabel::Positive) || !has(SentimentLabel::Negative) {
        return Err(err("needs both positive and negative texts"));
    }
    Ok(if has(SentimentLabel::Neutral) {
        SentimentLabel::ALL.to_vec()
    } else {
        vec![SentimentLabel::Positive]
    })
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
    labels
        .iter()
        .map(|&l| {
            if cfg.balanced {
                cfg.c * n / (classes * count(l))
            } else {
                cfg.c
            }
        })
        .collect()
}
