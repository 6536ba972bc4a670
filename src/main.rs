//! The `voxlake` command: parse the command line, set up logging, run.

mod cli;
mod commands;
mod progress;
mod settings;

use std::process::ExitCode;

use clap::Parser;

// Ingest and queries allocate many small strings on several threads and free
// them on others (reader → cleaners → writer); glibc's allocator spent a third
// of an import's CPU on that, mimalloc a fraction of it (see benches/RESULTS.md).
// Built with `no_thp`: with transparent huge pages the kernel zeroed 2 MiB pages
// each time freed memory was reused, a fifth of an import's CPU.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_tracing(cli.verbose);
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: cli::Cli) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(commands::run(cli))
}

fn init_tracing(verbose: u8) {
    let default = match verbose {
        // The Delta kernel logs an expected "no files in log segment" at ERROR
        // when a table is first created; real failures reach us as errors.
        0 => "warn,voxlake=info,voxlake_sql=info,voxlake_ingest=info,buoyant_kernel=off,deltalake_core=error",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("VOXLAKE_LOG").unwrap_or_else(|_| default.into());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
