//! `voxlake reenrich --since DATE`: past feedback re-enriched with the
//! current models as one new table version.

use std::process::ExitCode;
use std::time::Instant;

use voxlake_ingest::reenrich::reenrich;

use crate::cli::ReenrichArgs;
use crate::settings::Settings;

pub async fn run(settings: &Settings, args: &ReenrichArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let models = settings.models()?.current();
    let report = reenrich(&settings.store, models, args.since).await?;
    println!(
        "re-enriched {} rows since {} with {} in {:.1}s | table version {} -> {} (version {} stays readable until vacuum)",
        report.rows,
        args.since,
        report.model_version,
        started.elapsed().as_secs_f64(),
        report.previous_version,
        report.version,
        report.previous_version
    );
    Ok(ExitCode::SUCCESS)
}
