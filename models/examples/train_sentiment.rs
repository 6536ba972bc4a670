//! Trains the sentiment model on `<data>/*_train.csv`, writes it, and scores
//! `<data>/*_test.csv` as `voxlake train sentiment --data-dir DIR --out FILE` does.
//!
//! cargo run -p voxlake-models --release --example train_sentiment -- ../shared/data/reviews models/sentiment.vxm

use std::path::PathBuf;
use std::time::Instant;

use voxlake_models::sentiment::{
    SentimentModel, Split, TrainConfig, TrainProgress, evaluate, load_split, load_training_dir, train_with_progress,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let data = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data/reviews".into()));
    let out = PathBuf::from(args.next().unwrap_or_else(|| "models/sentiment.vxm".into()));
    let set = load_training_dir(&data)?;
    let started = Instant::now();
    let model = train_with_progress(&TrainConfig::default(), &set.zh, &set.en, &|p| {
        if let TrainProgress::Finished {
            language,
            secs,
            validation,
        } = p
        {
            eprintln!(
                "{language}: trained in {secs:.1}s, held-out accuracy {:.4}",
                validation.accuracy
            );
        }
    })?;
    eprintln!("trained on {:?} in {:.1}s", set.files, started.elapsed().as_secs_f64());
    model.save(&out)?;
    let model = SentimentModel::load(&out)?;
    eprintln!("wrote {} ({} bytes)", out.display(), std::fs::metadata(&out)?.len());
    for file in load_split(&data, Split::Test)? {
        let m = evaluate(&model, &file.examples);
        println!(
            "{:16} n={:5} accuracy={:.4} macro-F1={:.4} neutral={:.3}",
            file.name, m.texts, m.accuracy, m.macro_f1, m.neutral_share
        );
    }
    Ok(())
}
