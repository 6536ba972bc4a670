//! `voxlake compact` and `voxlake vacuum`.

use std::process::ExitCode;

use voxlake_ingest::store::{compact as compact_table, vacuum as vacuum_table};
use voxlake_ingest::tables::{TABLES, cluster_column, open_latest};

use crate::settings::Settings;

pub async fn compact(settings: &Settings) -> anyhow::Result<ExitCode> {
    for name in TABLES {
        if let Some(table) = open_latest(&settings.store, name).await? {
            let (_, report) = compact_table(table, cluster_column(name)).await?;
            println!(
                "{name}: {} files merged into {}, version {}",
                report.files_removed, report.files_added, report.version
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn vacuum(settings: &Settings) -> anyhow::Result<ExitCode> {
    for name in TABLES {
        if let Some(table) = open_latest(&settings.store, name).await? {
            let (_, report) = vacuum_table(table, settings.retention()).await?;
            println!(
                "{name}: {} rows past retention deleted, {} old files removed, version {}",
                report.rows_expired, report.files_vacuumed, report.version
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
