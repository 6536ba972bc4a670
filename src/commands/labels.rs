//! `voxlake labels import FILE --who NAME`: analysts' taxonomy corrections
//! into `feedback_labels`, for `voxlake train taxonomy`.

use std::process::ExitCode;

use anyhow::Context;
use voxlake_ingest::labels::{append_labels, read_labels_csv};

use crate::cli::LabelsCommand;
use crate::settings::Settings;

pub async fn run(settings: &Settings, command: &LabelsCommand) -> anyhow::Result<ExitCode> {
    let LabelsCommand::Import { file, who } = command;
    let labels = read_labels_csv(file).with_context(|| format!("reading {}", file.display()))?;
    let taxonomy = settings.models()?.current().taxonomy.clone();
    if let Some(bad) = labels.iter().find(|l| taxonomy.category(&l.l1).is_none()) {
        anyhow::bail!(
            "feedback {}: `{}` is not a category of taxonomy {}",
            bad.feedback_id,
            bad.l1,
            taxonomy.version()
        );
    }
    let version = append_labels(&settings.store, &labels, who, chrono::Utc::now()).await?;
    println!(
        "added {} labels by {who} | feedback_labels version {version}",
        labels.len()
    );
    Ok(ExitCode::SUCCESS)
}
