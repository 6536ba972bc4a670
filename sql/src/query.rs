//! Running analyst SQL: a fresh session per query (so it reads the latest
//! committed version of every table), read-only by construction, limited to
//! what the caller may see.

use datafusion::common::ScalarValue;
use datafusion::error::DataFusionError;
use datafusion::execution::SendableRecordBatchStream;
use datafusion::execution::context::SQLOptions;
use datafusion::prelude::SessionContext;
use datafusion::sql::parser::DFParser;

use voxlake_engine::{EngineConfig, TableAccess, build};

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("{0}")]
    NotReadOnly(String),
    #[error("{0}")]
    Plan(String),
    #[error(transparent)]
    Engine(#[from] voxlake_engine::Error),
}

/// What the caller may see and how much of it.
#[derive(Clone, Debug)]
pub struct QueryOptions {
    pub access: TableAccess,
    /// At most this many rows are returned.
    pub max_rows: Option<usize>,
}

impl QueryOptions {
    /// Everything, unlimited: for the operator's own `voxlake sql`.
    pub fn unrestricted() -> Self {
        Self {
            access: TableAccess::Everything,
            max_rows: None,
        }
    }
}

/// DDL, DML and statements such as SET are refused before execution.
fn read_only() -> SQLOptions {
    SQLOptions::new()
        .with_allow_ddl(false)
        .with_allow_dml(false)
        .with_allow_statements(false)
}

/// Plan and start `sql`; the stream yields its batches as they are computed.
pub async fn run_query(
    config: &EngineConfig,
    sql: &str,
    options: &QueryOptions,
) -> Result<SendableRecordBatchStream, QueryError> {
    let ctx = build(config, &options.access).await?;
    run_query_in(&ctx, sql, Vec::new(), options).await
}

/// Plan and start `sql` in `ctx`, a session from [`build`] for the same
/// access (the Postgres port adds its `pg_catalog` to it), with `params`
/// bound to its `$1`, `$2`, … placeholders.
pub async fn run_query_in(
    ctx: &SessionContext,
    sql: &str,
    params: Vec<ScalarValue>,
    options: &QueryOptions,
) -> Result<SendableRecordBatchStream, QueryError> {
    let statements = DFParser::parse_sql(sql).map_err(|e| QueryError::Plan(strip(e)))?;
    if statements.len() != 1 {
        return Err(QueryError::Plan(format!(
            "send exactly one SQL statement, not {}",
            statements.len()
        )));
    }
    let plan = ctx.state().create_logical_plan(sql).await.map_err(plan_error)?;
    read_only()
        .verify_plan(&plan)
        .map_err(|e| QueryError::NotReadOnly(strip(e)))?;
    let mut frame = ctx.execute_logical_plan(plan).await.map_err(plan_error)?;
    if !params.is_empty() {
        frame = frame.with_param_values(params).map_err(plan_error)?;
    }
    if let Some(max_rows) = options.max_rows {
        frame = frame.limit(0, Some(max_rows)).map_err(plan_error)?;
    }
    frame.execute_stream().await.map_err(plan_error)
}

fn plan_error(e: DataFusionError) -> QueryError {
    QueryError::Plan(strip(e))
}

fn strip(e: DataFusionError) -> String {
    e.strip_backtrace().to_string()
}
