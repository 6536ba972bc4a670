//! Trains the sentiment model on `*_train.csv`, scores `*_test.csv`, and checks the
//! figures against ANCHORS.md (pinned slightly below what the model achieves, and
//! never below the strongest classical peer).

use std::path::{Path, PathBuf};
use std::time::Instant;

use voxlake_models::sentiment::{
    LabelledFile, LabelledText, Metrics, SentimentLabel, SentimentModel, Split, TrainConfig, evaluate, load_split,
    load_training_dir, train,
};

fn data_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/reviews");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("note: {} not found, skipping the sentiment corpus test", dir.display());
        None
    }
}

fn test_files(dir: &Path) -> Vec<LabelledFile> {
    load_split(dir, Split::Test).expect("read test files")
}

fn file<'a>(files: &'a [LabelledFile], name: &str) -> &'a [LabelledText] {
    &files
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no {name}_test.csv"))
        .examples
}

fn show(name: &str, m: &Metrics) {
    println!(
        "{name:24} n={:5} acc={:.4} macro-F1={:.4} neutral={:.3}",
        m.texts, m.accuracy, m.macro_f1, m.neutral_share
    );
}

fn trained(dir: &Path, config: &TrainConfig) -> SentimentModel {
    let set = load_training_dir(dir).expect("read train files");
    let started = Instant::now();
    let model = train(config, &set.zh, &set.en).expect("train");
    println!("trained in {:.1}s on {:?}", started.elapsed().as_secs_f64(), set.files);
    model
}

#[test]
fn beats_classical_anchors_on_test_files() {
    let Some(dir) = data_dir() else { return };
    let model = trained(&dir, &TrainConfig::default());
    let model = SentimentModel::from_bytes(&model.to_bytes().expect("encode")).expect("decode");
    let files = test_files(&dir);
    // (file, anchor accuracy, anchor macro-F1, pinned accuracy, pinned macro-F1)
    let pins = [
        ("shopping_9cats", 0.940, 0.940, 0.942, 0.942),
        ("waimai", 0.891, 0.876, 0.893, 0.878),
        ("airline_en", 0.813, 0.748, 0.820, 0.760),
    ];
    for (name, anchor_acc, anchor_f1, pin_acc, pin_f1) in pins {
        let m = evaluate(&model, file(&files, name));
        show(name, &m);
        assert!(pin_acc >= anchor_acc && pin_f1 >= anchor_f1);
        assert!(m.accuracy >= pin_acc, "{name}: accuracy {:.4} < {pin_acc}", m.accuracy);
        assert!(m.macro_f1 >= pin_f1, "{name}: macro-F1 {:.4} < {pin_f1}", m.macro_f1);
    }
    let zh: Vec<LabelledText> = ["shopping_9cats", "waimai"]
        .iter()
        .flat_map(|n| file(&files, n).to_vec())
        .collect();
    assert_calibrated(&model, &zh);
}

/// `|score|` must track confidence: binary accuracy rises from band to band and
/// stays close to the `(1 + |score|) / 2` the calibration promises.
fn assert_calibrated(model: &SentimentModel, examples: &[LabelledText]) {
    let bands = [0.0, 0.2, 0.5, 0.8, 1.01];
    let mut accuracy = Vec::new();
    for w in bands.windows(2) {
        let (mut n, mut right, mut promised) = (0usize, 0usize, 0f64);
        for e in examples {
            let s = model.predict(&e.text);
            if (w[0]..w[1]).contains(&f64::from(s.score.abs())) {
                n += 1;
                right += usize::from((s.score >= 0.0) == (e.label == SentimentLabel::Positive));
                promised += (1.0 + f64::from(s.score.abs())) / 2.0;
            }
        }
        let (acc, promised) = (right as f64 / n.max(1) as f64, promised / n.max(1) as f64);
        println!(
            "|score| in [{:.1}, {:.1}): n={n:5} accuracy={acc:.3} calibrated promise={promised:.3}",
            w[0],
            w[1].min(1.0)
        );
        assert!(
            (acc - promised).abs() < 0.06,
            "band {w:?}: accuracy {acc:.3} vs promised {promised:.3}"
        );
        accuracy.push(acc);
    }
    assert!(accuracy.windows(2).all(|a| a[0] < a[1]), "{accuracy:?}");
}

/// Trains without one shopping category and scores that category of the test
/// file: how the model does on a domain it has never seen (anchor 0.83).
fn held_back(dir: &Path, category: &str) -> Metrics {
    let set = load_training_dir(dir).expect("read train files");
    let zh: Vec<LabelledText> = set.zh.into_iter().filter(|e| e.domain != category).collect();
    let model = train(&TrainConfig::default(), &zh, &set.en).expect("train");
    let files = test_files(dir);
    let unseen: Vec<LabelledText> = file(&files, "shopping_9cats")
        .iter()
        .filter(|e| e.domain == category)
        .cloned()
        .collect();
    evaluate(&model, &unseen)
}

#[test]
#[ignore = "trains twice more; run with --ignored --nocapture for the held-back figures"]
fn held_back_categories() {
    let Some(dir) = data_dir() else { return };
    // Pinned at what the model achieves less a margin. The classical peer of
    // ANCHORS.md (char 1-3 TF-IDF, min_df 2, sublinear tf), run the same way,
    // scores 水果 0.909 (LogisticRegression) / 0.917 (LinearSVC) and 蒙牛 0.808 /
    // 0.796; the anchor 0.83 is for a different domain kept out of data/.
    for (category, pin) in [("水果", 0.915), ("蒙牛", 0.80)] {
        let m = held_back(&dir, category);
        show(&format!("held back {category}"), &m);
        assert!(m.accuracy >= pin, "{category}: {:.4} < {pin}", m.accuracy);
    }
}

#[test]
#[ignore = "measures speed; run in release with --ignored --nocapture"]
fn inference_throughput() {
    let Some(dir) = data_dir() else { return };
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("sentiment.vxm");
    let model = match SentimentModel::load(&shipped) {
        Ok(m) => m,
        Err(e) => {
            println!("{}: {e}; training instead", shipped.display());
            trained(&dir, &TrainConfig::default())
        }
    };
    let files = test_files(&dir);
    for f in &files {
        let texts: Vec<&str> = f.examples.iter().map(|e| e.text.as_str()).collect();
        let bytes: usize = texts.iter().map(|t| t.len()).sum();
        let best_of_5 = |run: &dyn Fn()| {
            (0..5)
                .map(|_| {
                    let started = Instant::now();
                    run();
                    started.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min)
        };
        let detect = best_of_5(&|| {
            std::hint::black_box(model.predict_many(&texts));
        });
        let known = best_of_5(&|| {
            texts.iter().for_each(|t| {
                std::hint::black_box(model.predict_as(t, f.language));
            })
        });
        println!(
            "{:16} predict_many {:>7.0} reviews/s {:>5.1} MB/s | predict_as (language known) {:>7.0} reviews/s (1 thread, best of 5)",
            f.name,
            texts.len() as f64 / detect,
            bytes as f64 / detect / 1e6,
            texts.len() as f64 / known
        );
    }
}
