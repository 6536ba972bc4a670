//! `voxlake import`: a file through a channel's mapping into the lake.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use voxlake_ingest::Ingest;
use voxlake_ingest::import::{ImportSummary, import_file};

use crate::cli::ImportArgs;
use crate::progress::bytes_bar;
use crate::settings::Settings;

/// Rejects printed on the terminal; all of them go to the report file.
const SHOWN_REJECTS: usize = 20;

pub async fn run(settings: &Settings, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let ingest = Ingest::start(settings.ingest_config(!args.no_enrich)?).await?;
    ingest.channels().get(&args.channel)?;
    let started = Instant::now();
    let bar = bytes_bar(0, "importing");
    let summary = import_file(&ingest, &args.file, &args.channel, |p| {
        bar.set_length(p.bytes_total);
        bar.set_position(p.bytes_read);
    })
    .await;
    bar.finish_and_clear();
    ingest.shutdown().await?;
    let summary = summary.with_context(|| format!("importing {}", args.file.display()))?;
    print_summary(&summary, started.elapsed().as_secs_f64());
    if summary.rejected > 0 {
        let path = args.rejects.clone().unwrap_or_else(|| default_report_path(&args.file));
        write_reject_report(&summary, &path)?;
        eprintln!("reject report: {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn print_summary(s: &ImportSummary, seconds: f64) {
    let rate = s.read as f64 / seconds.max(1e-9);
    println!(
        "read {} | accepted {} ({} linked as duplicates of earlier feedback) | already stored {} | rejected {} | {:.1}s, {:.0} records/s | table version {}",
        s.read, s.accepted, s.linked_duplicates, s.duplicates, s.rejected, seconds, rate, s.version
    );
    for reject in s.rejects.iter().take(SHOWN_REJECTS) {
        match &reject.field {
            Some(field) => eprintln!("  line {}: field `{field}`: {}", reject.position, reject.reason),
            None => eprintln!("  line {}: {}", reject.position, reject.reason),
        }
    }
    if s.rejects.len() > SHOWN_REJECTS {
        eprintln!("  … and {} more", s.rejected as usize - SHOWN_REJECTS);
    }
}

fn default_report_path(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".rejects.csv");
    file.with_file_name(name)
}

fn write_reject_report(summary: &ImportSummary, path: &Path) -> anyhow::Result<()> {
    let mut out =
        std::io::BufWriter::new(std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?);
    writeln!(out, "line,field,reason")?;
    for r in &summary.rejects {
        let field = r.field.as_deref().unwrap_or("");
        writeln!(out, "{},{},\"{}\"", r.position, field, r.reason.replace('"', "\"\""))?;
    }
    Ok(out.flush()?)
}
