//! Running analyst SQL: a fresh session per query (so it reads the latest
//! committed version of every table), read-only by construction.

use datafusion::error::DataFusionError;
use datafusion::execution::SendableRecordBatchStream;
use datafusion::sql::parser::DFParser;
use datafusion::execution::context::SQLOptions;

use voxlake_engine::{EngineConfig, build};

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("{0}")]
    NotReadOnly(String),
    #[error("{0}")]
    Plan(String),
    #[error(transparent)]
    Engine(#[from] voxlake_engine::Error),
}

/// DDL, DML and statements such as SET are refused before planning.
fn read_only() -> SQLOptions {
    SQLOptions::new().with_allow_ddl(false).with_allow_dml(false).with_allow_statements(false)
}

/// Plan and start `sql`; the stream yields its batches as they are computed.
pub async fn run_query(config: &EngineConfig, sql: &str) -> Result<SendableRecordBatchStream, QueryError> {
    if DFParser::parse_sql(sql).map(|s| s.len()).unwrap_or(1) != 1 {
        return Err(QueryError::Plan("send exactly one SQL statement".to_owned()));
    }
    let ctx = build(config).await?;
    let plan = ctx.state().create_logical_plan(sql).await.map_err(plan_error)?;
    read_only().verify_plan(&plan).map_err(|e| QueryError::NotReadOnly(strip(e)))?;
    let frame = ctx.execute_logical_plan(plan).await.map_err(plan_error)?;
    frame.execute_stream().await.map_err(plan_error)
}

fn plan_error(e: DataFusionError) -> QueryError {
    QueryError::Plan(strip(e))
}

fn strip(e: DataFusionError) -> String {
    e.strip_backtrace().to_string()
}
