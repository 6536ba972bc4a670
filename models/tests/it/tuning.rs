//! Hyperparameter exploration (ignored): each variant is scored on a validation
//! split carved out of the *training* files (what the choice is made on) and, for
//! information, on the test files.

use std::path::Path;

use voxlake_models::sentiment::{
    LabelledText, Split, TrainConfig, TrainingSet, evaluate, load_split, load_training_dir, train,
};

/// Every 6th text of each training file (by position) is validation.
fn carve(set: &TrainingSet) -> (TrainingSet, Vec<(String, Vec<LabelledText>)>) {
    let mut fit = TrainingSet::default();
    let mut val: Vec<(String, Vec<LabelledText>)> = Vec::new();
    for (lang_texts, is_zh) in [(&set.zh, true), (&set.en, false)] {
        for (i, t) in lang_texts.iter().enumerate() {
            let file = if is_zh {
                if t.domain == "waimai" {
                    "waimai"
                } else {
                    "shopping_9cats"
                }
            } else {
                "airline_en"
            };
            if i % 6 == 5 {
                match val.iter_mut().find(|(n, _)| n == file) {
                    Some((_, v)) => v.push(t.clone()),
                    None => val.push((file.to_string(), vec![t.clone()])),
                }
            } else if is_zh {
                fit.zh.push(t.clone());
            } else {
                fit.en.push(t.clone());
            }
        }
    }
    val.sort_by(|a, b| a.0.cmp(&b.0));
    (fit, val)
}

fn variants() -> Vec<(String, TrainConfig)> {
    let base = TrainConfig::default();
    let mut out = vec![("default".to_string(), base.clone())];
    let spec = std::env::var("VX_VARIANTS").unwrap_or_default();
    for v in spec.split(';').filter(|s| !s.is_empty()) {
        let mut c = base.clone();
        for kv in v.split(',') {
            let (k, val) = kv.split_once('=').expect("k=v");
            let f: f64 = val.parse().expect("number");
            match k {
                "zc" => c.zh.c = f,
                "ec" => c.en.c = f,
                "zb" => c.zh.features.hash_bits = f as u8,
                "eb" => c.en.features.hash_bits = f as u8,
                "zneg" => c.zh.features.negation_scope = f as u8,
                "eneg" => c.en.features.negation_scope = f as u8,
                "zdf" => c.zh.features.min_df = f as u32,
                "edf" => c.en.features.min_df = f as u32,
                "zcmin" => c.zh.features.char_min = f as u8,
                "zcmax" => c.zh.features.char_max = f as u8,
                "zw" => c.zh.features.word_max = f as u8,
                "ecmin" => c.en.features.char_min = f as u8,
                "ecmax" => c.en.features.char_max = f as u8,
                "ew" => c.en.features.word_max = f as u8,
                "ebal" => c.en.balanced = f > 0.0,
                "zbal" => c.zh.balanced = f > 0.0,
                "znb" => c.zh.nb_power = f as f32,
                "refit" => c.refit_on_all = f > 0.0,
                _ => panic!("unknown knob {k}"),
            }
        }
        out.push((v.to_string(), c));
    }
    out
}

#[test]
#[ignore = "exploration; VX_VARIANTS='zc=0.25;ec=1' cargo test --release --test it tuning -- --ignored --nocapture"]
fn tuning() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/reviews");
    if !dir.is_dir() {
        return;
    }
    let mut set = load_training_dir(&dir).expect("train files");
    let mut tests = load_split(&dir, Split::Test).expect("test files");
    // VX_HOLD=蒙牛: train without that category, test on it only.
    if let Ok(held) = std::env::var("VX_HOLD") {
        set.zh.retain(|e| e.domain != held);
        tests.retain(|f| f.name == "shopping_9cats");
        tests[0].examples.retain(|e| e.domain == held);
    }
    let (fit, val) = carve(&set);
    for (name, config) in variants() {
        let model = train(&config, &fit.zh, &fit.en).expect("train");
        let mut line = format!("{name:28} VAL");
        for (file, texts) in &val {
            let m = evaluate(&model, texts);
            line += &format!(" {file}={:.4}/{:.4}", m.accuracy, m.macro_f1);
        }
        let model = train(&config, &set.zh, &set.en).expect("train");
        line += " | TEST";
        for f in &tests {
            let m = evaluate(&model, &f.examples);
            line += &format!(" {}={:.4}/{:.4}", f.name, m.accuracy, m.macro_f1);
        }
        println!("{line}");
    }
}
