//! Keeping tables healthy: compaction of small files, retention of old data,
//! and vacuum of files no version needs any more. Each is a Delta commit (or,
//! for vacuum, deletes only files no retained version references), so readers
//! never see a row twice or miss one while it runs.

use std::num::NonZeroU64;

use chrono::{Duration, Utc};
use deltalake::DeltaTable;
use serde::Serialize;
use tracing::info;

use crate::error::Result;
use crate::schema::PARTITION_COLUMN;

use super::cluster::cluster;
use super::writer::writer_properties;

/// How long data and old file versions are kept.
#[derive(Clone, Copy, Debug)]
pub struct RetentionConfig {
    /// Rows whose day is older than this are deleted (compliance: 3 years).
    pub data: Duration,
    /// Files of superseded versions are kept this long for time travel.
    pub file_versions: Duration,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        Self {
            data: Duration::days(3 * 365 + 1),
            file_versions: Duration::days(7),
        }
    }
}

/// What a maintenance run did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct MaintenanceReport {
    pub files_removed: u64,
    pub files_added: u64,
    pub rows_expired: u64,
    pub files_vacuumed: u64,
    pub version: i64,
}

/// Target size of compacted files.
const COMPACT_TARGET_BYTES: u64 = 128 * 1024 * 1024;

/// Merge small files of each partition into larger ones, in one commit.
/// With `cluster_by`, each day not yet clustered by that column is rewritten
/// into one file ordered by it instead (see [`super::cluster`]).
pub async fn compact(table: DeltaTable, cluster_by: Option<&str>) -> Result<(DeltaTable, MaintenanceReport)> {
    let (table, files_removed, files_added) = match cluster_by {
        Some(column) => cluster(table, column).await?,
        None => bin_pack(table).await?,
    };
    let report = MaintenanceReport {
        files_removed,
        files_added,
        version: table.version().map_or(-1, |v| v as i64),
        ..Default::default()
    };
    info!(table = %table.table_url(), files_removed = report.files_removed, files_added = report.files_added, "compacted");
    Ok((table, report))
}

/// Merge the small files of each partition into files of about the target size.
async fn bin_pack(table: DeltaTable) -> Result<(DeltaTable, u64, u64)> {
    let target = NonZeroU64::new(COMPACT_TARGET_BYTES).unwrap_or(NonZeroU64::MIN);
    let (table, metrics) = table
        .optimize()
        .with_target_size(target)
        .with_writer_properties(writer_properties())
        .with_max_concurrent_tasks(2)
        .await?;
    Ok((table, metrics.num_files_removed, metrics.num_files_added))
}

/// Delete rows older than the data retention, then remove the files that no
/// version inside the file-version retention still needs.
pub async fn vacuum(table: DeltaTable, retention: RetentionConfig) -> Result<(DeltaTable, MaintenanceReport)> {
    let cutoff = (Utc::now() - retention.data).date_naive();
    let predicate = format!("{PARTITION_COLUMN} < '{cutoff}'");
    let (table, deleted) = table.delete().with_predicate(predicate).await?;
    let (table, vacuumed) = table
        .vacuum()
        .with_retention_period(retention.file_versions)
        .with_enforce_retention_duration(false)
        .await?;
    let report = MaintenanceReport {
        rows_expired: deleted.num_deleted_rows.unwrap_or(0) as u64,
        files_vacuumed: vacuumed.files_deleted.len() as u64,
        version: table.version().map_or(-1, |v| v as i64),
        ..Default::default()
    };
    info!(table = %table.table_url(), rows_expired = report.rows_expired, files_vacuumed = report.files_vacuumed, "vacuumed");
    Ok((table, report))
}
