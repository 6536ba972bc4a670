//! `voxlake generate`: demo feedback to a file.

use std::process::ExitCode;

use anyhow::Context;
use voxlake_ingest::demo::{DemoConfig, write_file_with_progress};

use crate::cli::GenerateArgs;
use crate::progress::count_bar;

pub async fn run(args: &GenerateArgs) -> anyhow::Result<ExitCode> {
    let config = DemoConfig {
        rows: args.rows,
        seed: args.seed,
        ..DemoConfig::default()
    };
    let out = args.out.clone();
    let bar = count_bar(args.rows, "generating");
    let progress = bar.clone();
    let written =
        tokio::task::spawn_blocking(move || write_file_with_progress(&config, &out, |n| progress.set_position(n)))
            .await?
            .with_context(|| format!("writing {}", args.out.display()))?;
    bar.finish_and_clear();
    eprintln!("wrote {written} records to {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}
