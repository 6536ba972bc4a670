//! `voxlake sql`: read-only SQL on the store, in process.

use std::process::ExitCode;

use datafusion::arrow::util::pretty::pretty_format_batches;
use futures::TryStreamExt;
use voxlake_engine::Engine;
use voxlake_sql::encoding::{Format, encode_stream};
use voxlake_sql::query::{QueryOptions, run_query};

use crate::cli::{OutputFormat, SqlArgs};
use crate::settings::Settings;

pub async fn run(settings: &Settings, args: &SqlArgs) -> anyhow::Result<ExitCode> {
    let engine = Engine::new(settings.engine_config()?)?;
    print_query(&engine, &args.query, args.format).await?;
    Ok(ExitCode::SUCCESS)
}

/// Run `query` unrestricted and print its result on stdout as `format`.
pub async fn print_query(engine: &Engine, query: &str, format: OutputFormat) -> anyhow::Result<()> {
    let stream = run_query(engine, query, &QueryOptions::unrestricted()).await?;
    match format {
        OutputFormat::Table => {
            let batches: Vec<_> = stream.try_collect().await?;
            println!("{}", pretty_format_batches(&batches)?);
        }
        OutputFormat::Csv => write_encoded(Format::Csv, stream).await?,
        OutputFormat::Json => write_encoded(Format::Json, stream).await?,
    }
    Ok(())
}

async fn write_encoded(format: Format, stream: datafusion::execution::SendableRecordBatchStream) -> anyhow::Result<()> {
    use std::io::Write;
    let mut chunks = std::pin::pin!(encode_stream(format, stream));
    let mut out = std::io::stdout().lock();
    while let Some(chunk) = chunks.try_next().await? {
        out.write_all(&chunk)?;
    }
    Ok(out.flush()?)
}
