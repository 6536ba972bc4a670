//! `voxlake train sentiment|taxonomy`: fit a model and write it into the
//! models directory, where the next query or ingest batch picks it up.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use voxlake_engine::{TableAccess, build};
use voxlake_ingest::labels::LATEST_LABELS_SQL;
use voxlake_ingest::schema::LABELS_TABLE;
use voxlake_ingest::tables::open_latest;
use voxlake_models::bundle::{SENTIMENT_FILE, TAXONOMY_MODEL_FILE, TOPICS_FILE};
use voxlake_models::sentiment::{
    SentimentModel, Split, TrainConfig, TrainProgress, evaluate, load_split, load_training_dir, train_with_progress,
};
use voxlake_models::taxonomy::{LabelledFeedback, train_taxonomy_model};
use voxlake_models::topics::{TopicConfig, TopicId, TopicModel};

use crate::cli::{TrainCommand, TrainSentimentArgs, TrainTaxonomyArgs, TrainTopicsArgs};
use crate::settings::Settings;

pub async fn run(settings: &Settings, command: &TrainCommand) -> anyhow::Result<ExitCode> {
    match command {
        TrainCommand::Sentiment(args) => sentiment(settings, args).await,
        TrainCommand::Taxonomy(args) => taxonomy(settings, args).await,
        TrainCommand::Topics(args) => topics(settings, args).await,
    }
}

fn output(settings: &Settings, out: &Option<PathBuf>, file: &str) -> anyhow::Result<PathBuf> {
    let path = out.clone().unwrap_or_else(|| settings.models_dir.join(file));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    Ok(path)
}

/// Trains on `*_train.csv`, writes the model, and scores it on `*_test.csv`.
async fn sentiment(settings: &Settings, args: &TrainSentimentArgs) -> anyhow::Result<ExitCode> {
    let out = output(settings, &args.out, SENTIMENT_FILE)?;
    let data = args.data_dir.clone();
    let model = tokio::task::spawn_blocking(move || fit_sentiment(&data)).await??;
    model.save(&out).with_context(|| format!("writing {}", out.display()))?;
    let model = SentimentModel::load(&out).with_context(|| format!("reading back {}", out.display()))?;
    eprintln!("wrote {} ({} bytes)", out.display(), std::fs::metadata(&out)?.len());
    for file in load_split(&args.data_dir, Split::Test)? {
        let m = evaluate(&model, &file.examples);
        println!(
            "{:20} n={:5} accuracy={:.4} macro-F1={:.4}",
            file.name, m.texts, m.accuracy, m.macro_f1
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn fit_sentiment(data: &Path) -> anyhow::Result<SentimentModel> {
    let set = load_training_dir(data).with_context(|| format!("reading {}", data.display()))?;
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
    Ok(model)
}

/// Retrains the supervised taxonomy model from the latest label of each
/// labelled feedback plus the taxonomy file's own examples.
async fn taxonomy(settings: &Settings, args: &TrainTaxonomyArgs) -> anyhow::Result<ExitCode> {
    if open_latest(&settings.store, LABELS_TABLE).await?.is_none() {
        bail!("there are no labels yet: add some with `voxlake labels import FILE.csv --who NAME`");
    }
    let ctx = build(&settings.engine_config()?, &TableAccess::Everything).await?;
    let batches = ctx.sql(LATEST_LABELS_SQL).await?.collect().await?;
    let examples = labelled(&batches)?;
    let taxonomy = settings.models()?.current().taxonomy.clone();
    let out = output(settings, &args.out, TAXONOMY_MODEL_FILE)?;
    let model = tokio::task::spawn_blocking(move || train_taxonomy_model(&taxonomy, &examples)).await??;
    model.save(&out).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "trained on {} labelled texts (taxonomy {}); wrote {}",
        model.examples(),
        model.taxonomy_version(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Topics a window needs at least this many negative texts to be found in.
const MIN_TOPIC_TEXTS: usize = 30;
/// The training window when none is given: the data's last four weeks.
const DEFAULT_TOPIC_DAYS: u64 = 28;

/// Finds the recurring issues of a window's non-spam negative feedback and
/// saves them; with a topics model already in the models directory, the
/// window is folded into it (matched topics keep their ids, new ones are added).
async fn topics(settings: &Settings, args: &TrainTopicsArgs) -> anyhow::Result<ExitCode> {
    let engine = voxlake_engine::Engine::new(settings.engine_config()?)?;
    let (since, until) = super::topics::day_window(&engine, args.since, args.until, DEFAULT_TOPIC_DAYS).await?;
    anyhow::ensure!(since < until, "--since {since} must be before --until {until}");
    let texts = negative_texts(&engine, since, until).await?;
    if texts.len() < MIN_TOPIC_TEXTS {
        bail!(
            "only {} negative feedback texts from {since} to {until}: too few to find topics (need {MIN_TOPIC_TEXTS})",
            texts.len()
        );
    }
    let models = settings.models()?.current();
    let out = output(settings, &args.out, TOPICS_FILE)?;
    let existing = models.topics.as_deref().cloned();
    // A model fitted from scratch (its file deleted, say) must not hand out
    // ids that rows still carry from the one before.
    let last_stored = match existing {
        Some(_) => None,
        None => last_stored_topic_id(&engine).await?,
    };
    let tokenizer = std::sync::Arc::clone(&models.tokenizer);
    let (model, report) = tokio::task::spawn_blocking(move || {
        let mut model = match existing {
            Some(model) => model,
            None => {
                let mut model = TopicModel::new(TopicConfig::default(), tokenizer)?;
                model.number_after(last_stored.unwrap_or(0));
                model
            }
        };
        let report = model.update(&texts);
        Ok::<_, anyhow::Error>((model, report))
    })
    .await??;
    model.save(&out).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "topics from {since} to {until}: {} live ({} matched, {} new, {} retired), model version {}; wrote {}",
        model.topics().len(),
        report.matched.len(),
        report.created.len(),
        report.retired.len(),
        model.version(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The highest `topic_id` any stored feedback carries.
async fn last_stored_topic_id(engine: &voxlake_engine::Engine) -> anyhow::Result<Option<TopicId>> {
    let ctx = engine.session(&TableAccess::Everything).await?;
    let batches = ctx.sql("SELECT max(topic_id) FROM feedback").await?.collect().await?;
    let Some(batch) = batches.first().filter(|b| b.num_rows() > 0) else {
        return Ok(None);
    };
    let column = cast(batch.column(0), &DataType::Int64)?;
    let max = column.as_primitive::<Int64Type>();
    Ok(max
        .is_valid(0)
        .then(|| TopicId::try_from(max.value(0).max(0)).unwrap_or(TopicId::MAX)))
}

/// The non-spam negative feedback texts of `[since, until)`.
async fn negative_texts(
    engine: &voxlake_engine::Engine,
    since: chrono::NaiveDate,
    until: chrono::NaiveDate,
) -> anyhow::Result<Vec<String>> {
    let ctx = engine.session(&TableAccess::Everything).await?;
    let sql = format!(
        "SELECT text FROM feedback WHERE dt >= DATE '{since}' AND dt < DATE '{until}' \
         AND NOT is_spam AND coalesce(sentiment_label = 'negative', sentiment_score(text) < -0.2)"
    );
    let batches = ctx.sql(&sql).await?.collect().await?;
    let mut texts = Vec::new();
    for batch in &batches {
        let column = cast(batch.column(0), &DataType::Utf8)?;
        texts.extend(column.as_string::<i32>().iter().flatten().map(str::to_owned));
    }
    Ok(texts)
}

/// Rows of [`LATEST_LABELS_SQL`]: feedback_id, text, l1, l2.
fn labelled(batches: &[RecordBatch]) -> anyhow::Result<Vec<LabelledFeedback>> {
    let mut out = Vec::new();
    for batch in batches {
        let columns = (0..4)
            .map(|i| cast(batch.column(i), &DataType::Utf8))
            .collect::<Result<Vec<_>, _>>()?;
        let [id, text, l1, l2] = [0, 1, 2, 3].map(|i| columns[i].as_string::<i32>());
        for row in 0..batch.num_rows() {
            out.push(LabelledFeedback {
                feedback_id: id.value(row).to_owned(),
                text: text.value(row).to_owned(),
                l1: l1.value(row).to_owned(),
                l2: l2.is_valid(row).then(|| l2.value(row).to_owned()),
            });
        }
    }
    Ok(out)
}
