//! The taxonomy's supervised path on real labels: the generic one-vs-rest
//! linear classifier (`taxonomy::train_linear`, the code `TaxonomyModel` trains
//! with) on the 9 product categories of shopping_9cats and the complaint
//! reasons of airline_en, against ANCHORS.md.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use voxlake_models::sentiment::{FeatureConfig, Split, load_split};
use voxlake_models::taxonomy::{ClassWeight, LinearClassifier, LinearConfig, train_linear};

fn data_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/reviews");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("note: {} not found, skipping", dir.display());
        None
    }
}

/// `(texts, labels)` of shopping_9cats, label = the `cat` column.
fn shopping(dir: &Path, split: Split) -> (Vec<String>, Vec<String>) {
    let files = load_split(dir, split).expect("read files");
    let file = files
        .into_iter()
        .find(|f| f.name == "shopping_9cats")
        .expect("shopping_9cats file");
    file.examples.into_iter().map(|e| (e.text, e.domain)).unzip()
}

/// `(texts, reasons)` of airline_en negative tweets with a known reason.
fn airline(dir: &Path, split: &str) -> (Vec<String>, Vec<String>) {
    let path = dir.join(format!("airline_en_{split}.csv"));
    let mut reader = csv::Reader::from_path(&path).expect("open airline csv");
    let headers = reader.headers().expect("headers").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let (reason, text) = (col("reason"), col("text"));
    reader
        .records()
        .map(|r| r.expect("record"))
        .filter(|r| !r[reason].is_empty() && &r[reason] != "Can't Tell")
        .map(|r| (r[text].to_owned(), r[reason].to_owned()))
        .unzip()
}

struct Scores {
    accuracy: f64,
    macro_f1: f64,
    per_second: f64,
}

fn score(model: &LinearClassifier, texts: &[String], gold: &[String]) -> Scores {
    let started = Instant::now();
    let predicted: Vec<&str> = texts.iter().map(|t| model.predict(t).map_or("", |p| p.0)).collect();
    let per_second = texts.len() as f64 / started.elapsed().as_secs_f64();
    let mut counts: BTreeMap<&str, [f64; 3]> = BTreeMap::new(); // tp, fp, fn
    for (p, g) in predicted.iter().zip(gold) {
        if *p == g.as_str() {
            counts.entry(g).or_default()[0] += 1.0;
        } else {
            counts.entry(p).or_default()[1] += 1.0;
            counts.entry(g).or_default()[2] += 1.0;
        }
    }
    let f1s: Vec<f64> = counts
        .iter()
        .filter(|(class, _)| gold.iter().any(|g| g == *class))
        .map(|(_, [tp, fp, fn_])| 2.0 * tp / (2.0 * tp + fp + fn_).max(1.0))
        .collect();
    let correct = predicted.iter().zip(gold).filter(|(p, g)| **p == g.as_str()).count();
    Scores {
        accuracy: correct as f64 / gold.len() as f64,
        macro_f1: f1s.iter().sum::<f64>() / f1s.len() as f64,
        per_second,
    }
}

fn fit(texts: &[String], labels: &[String], config: &LinearConfig) -> LinearClassifier {
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    let started = Instant::now();
    let model = train_linear(&texts, &labels, config).expect("train");
    println!(
        "trained on {} texts in {:.1}s",
        texts.len(),
        started.elapsed().as_secs_f64()
    );
    model
}

/// Character 1-3-grams, as the anchor's TfidfVectorizer, in 2^22 buckets;
/// `C = 0.5`, uniform class weights. Chosen by `product_category_tuning` on a
/// validation split of the training file (best validation accuracy 0.8889,
/// macro-F1 0.8860 within 0.0004 of the best variant; balanced weights gave
/// validation macro-F1 0.8797).
pub fn product_category_config() -> LinearConfig {
    LinearConfig {
        features: FeatureConfig {
            hash_bits: 22,
            ..FeatureConfig::chinese()
        },
        c: 0.5,
        class_weight: ClassWeight::Uniform,
        ..LinearConfig::default()
    }
}

#[test]
#[ignore = "trains on 42k reviews: run with --release --include-ignored"]
fn product_category_beats_anchor() {
    let Some(dir) = data_dir() else { return };
    let (train_texts, train_labels) = shopping(&dir, Split::Train);
    let (test_texts, test_labels) = shopping(&dir, Split::Test);
    let model = fit(&train_texts, &train_labels, &product_category_config());
    let s = score(&model, &test_texts, &test_labels);
    println!(
        "shopping_9cats_test category: n={} acc={:.4} macro-F1={:.4} ({:.0} texts/s)",
        test_texts.len(),
        s.accuracy,
        s.macro_f1,
        s.per_second
    );
    // Anchor: char 1-3 + LinearSVC, accuracy 0.888, macro-F1 0.882.
    assert!(s.macro_f1 >= 0.882, "macro-F1 {:.4} below the anchor", s.macro_f1);
    assert!(s.accuracy >= 0.888, "accuracy {:.4} below the anchor", s.accuracy);
}

#[test]
#[ignore = "trains on airline tweets: run with --release --include-ignored"]
fn complaint_reason_on_airline() {
    let Some(dir) = data_dir() else { return };
    let (train_texts, train_labels) = airline(&dir, "train");
    let (test_texts, test_labels) = airline(&dir, "test");
    let model = fit(&train_texts, &train_labels, &LinearConfig::default());
    let s = score(&model, &test_texts, &test_labels);
    println!(
        "airline_en_test complaint reason: n={} acc={:.4} macro-F1={:.4}",
        test_texts.len(),
        s.accuracy,
        s.macro_f1
    );
    // Anchor: word 1-2 + LinearSVC, accuracy 0.644, macro-F1 0.501. Measured
    // with the default (balanced, C 0.25; chosen by `complaint_reason_tuning`
    // on the training file): 0.6595 / 0.5431.
    assert!(
        s.macro_f1 >= 0.53,
        "macro-F1 {:.4} near or below the anchor",
        s.macro_f1
    );
    assert!(
        s.accuracy >= 0.655,
        "accuracy {:.4} near or below the anchor",
        s.accuracy
    );
}

/// Chooses the product-category hyperparameters on a validation split of the
/// *training* file (every 6th row); the test file is printed for information.
#[test]
#[ignore = "hyperparameter exploration: run with --release --include-ignored"]
fn product_category_tuning() {
    let Some(dir) = data_dir() else { return };
    let (texts, labels) = shopping(&dir, Split::Train);
    let (test_texts, test_labels) = shopping(&dir, Split::Test);
    let (mut fit_t, mut fit_l, mut val_t, mut val_l) = (vec![], vec![], vec![], vec![]);
    for (i, (t, l)) in texts.into_iter().zip(labels).enumerate() {
        let (ts, ls) = if i % 6 == 5 {
            (&mut val_t, &mut val_l)
        } else {
            (&mut fit_t, &mut fit_l)
        };
        ts.push(t);
        ls.push(l);
    }
    for (c, bits, class_weight) in [
        (0.5, 20, ClassWeight::Uniform),
        (1.0, 20, ClassWeight::Uniform),
        (0.5, 22, ClassWeight::Uniform),
        (0.7, 22, ClassWeight::Uniform),
        (1.0, 22, ClassWeight::Uniform),
        (0.5, 22, ClassWeight::Balanced),
        (0.25, 22, ClassWeight::Balanced),
    ] {
        let mut config = product_category_config();
        config.c = c;
        config.features.hash_bits = bits;
        config.class_weight = class_weight;
        let model = fit(&fit_t, &fit_l, &config);
        let v = score(&model, &val_t, &val_l);
        let full = fit(
            &[fit_t.clone(), val_t.clone()].concat(),
            &[fit_l.clone(), val_l.clone()].concat(),
            &config,
        );
        let t = score(&full, &test_texts, &test_labels);
        println!(
            "c={c} bits={bits} {class_weight:?}: validation acc {:.4} F1 {:.4} | test acc {:.4} F1 {:.4}",
            v.accuracy, v.macro_f1, t.accuracy, t.macro_f1
        );
    }
}

/// Mean validation scores of `config` over 5 folds of the complaint-reason
/// *training* file (fold `f` holds out every row `i` with `i % 5 == f`).
fn cross_validate(texts: &[String], labels: &[String], config: &LinearConfig) -> (f64, f64) {
    let folds = 5;
    let (mut acc, mut f1) = (0.0, 0.0);
    for f in 0..folds {
        let pick = |keep: bool| -> (Vec<String>, Vec<String>) {
            (0..texts.len())
                .filter(|i| (i % folds == f) != keep)
                .map(|i| (texts[i].clone(), labels[i].clone()))
                .unzip()
        };
        let ((fit_t, fit_l), (val_t, val_l)) = (pick(true), pick(false));
        let s = score(&fit(&fit_t, &fit_l, config), &val_t, &val_l);
        acc += s.accuracy / folds as f64;
        f1 += s.macro_f1 / folds as f64;
    }
    (acc, f1)
}

/// Chooses the complaint-reason hyperparameters by 5-fold cross-validation on
/// the *training* file only; the test file is not read. Result (mean over
/// folds): balanced weights lift macro-F1 by about 0.06 for every feature set
/// (uniform at best 0.497, at C 1); the default features with balanced weights
/// and C 0.25 reach accuracy 0.6817, macro-F1 0.5531, which became
/// `LinearConfig::default()`. Word-only features are worse (0.5484 at best);
/// 2^22 buckets (0.5585) and `min_df = 2` (0.5568) are within fold noise.
#[test]
#[ignore = "hyperparameter exploration: run with --release --include-ignored"]
fn complaint_reason_tuning() {
    let Some(dir) = data_dir() else { return };
    let (texts, labels) = airline(&dir, "train");
    let words = FeatureConfig {
        char_max: 0,
        min_df: 1,
        ..FeatureConfig::english()
    };
    let features = [
        ("default", LinearConfig::default().features),
        ("english", FeatureConfig::english()),
        ("words", words.clone()),
        (
            "words+c23",
            FeatureConfig {
                char_min: 2,
                char_max: 3,
                ..words
            },
        ),
        (
            "default/22",
            FeatureConfig {
                hash_bits: 22,
                ..LinearConfig::default().features
            },
        ),
        (
            "default/df2",
            FeatureConfig {
                min_df: 2,
                ..LinearConfig::default().features
            },
        ),
    ];
    for (name, features) in features {
        for class_weight in [ClassWeight::Uniform, ClassWeight::Balanced] {
            for c in [0.1, 0.25, 0.5, 1.0] {
                let config = LinearConfig {
                    features: features.clone(),
                    c,
                    class_weight,
                    ..LinearConfig::default()
                };
                let (acc, f1) = cross_validate(&texts, &labels, &config);
                println!("CV {name:10} {class_weight:16?} c={c:<5} acc {acc:.4} macro-F1 {f1:.4}");
            }
        }
    }
}
