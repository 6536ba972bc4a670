//! Running analyst SQL: a fresh session per query from the process's
//! [`Engine`] (so it reads the latest committed version of every table),
//! read-only by construction, limited to what the caller may see.

use std::sync::Arc;

use datafusion::common::ScalarValue;
use datafusion::error::DataFusionError;
use datafusion::execution::SendableRecordBatchStream;
use datafusion::execution::context::SQLOptions;
use datafusion::logical_expr::LogicalPlan;
use datafusion::physical_plan::{ExecutionPlan, execute_stream};
use datafusion::prelude::SessionContext;
use datafusion::sql::parser::DFParser;

use voxlake_engine::{Engine, TableAccess};

use crate::diagnose::SqlProblem;

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("{0}")]
    NotReadOnly(String),
    #[error("{0}")]
    Plan(SqlProblem),
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

/// A query that has started: its batches, and the plan producing them, whose
/// metrics tell how much was scanned once the stream is done.
pub struct RunningQuery {
    pub stream: SendableRecordBatchStream,
    pub plan: Arc<dyn ExecutionPlan>,
}

impl RunningQuery {
    /// Rows read by the plan's leaves (the table scans) so far.
    pub fn rows_scanned(plan: &Arc<dyn ExecutionPlan>) -> u64 {
        if plan.children().is_empty() {
            return plan.metrics().and_then(|m| m.output_rows()).unwrap_or(0) as u64;
        }
        plan.children().into_iter().map(Self::rows_scanned).sum()
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
    engine: &Engine,
    sql: &str,
    options: &QueryOptions,
) -> Result<SendableRecordBatchStream, QueryError> {
    Ok(start_query(engine, sql, Vec::new(), options).await?.stream)
}

/// Plan and start `sql` with `params` bound to its `$1`, `$2`, … placeholders.
pub async fn start_query(
    engine: &Engine,
    sql: &str,
    params: Vec<ScalarValue>,
    options: &QueryOptions,
) -> Result<RunningQuery, QueryError> {
    let ctx = engine.session(&options.access).await?;
    start_query_in(&ctx, sql, params, options).await
}

/// [`start_query`] in `ctx`, a session from [`Engine::session`] for `options.access`
/// to which the caller may have added schemas (the Postgres port adds
/// `pg_catalog`).
pub async fn start_query_in(
    ctx: &SessionContext,
    sql: &str,
    params: Vec<ScalarValue>,
    options: &QueryOptions,
) -> Result<RunningQuery, QueryError> {
    let statements = DFParser::parse_sql(sql).map_err(|e| QueryError::Plan(SqlProblem::diagnose(&e, &[])))?;
    if statements.len() != 1 {
        return Err(QueryError::Plan(SqlProblem::plain(format!(
            "send exactly one SQL statement, not {}",
            statements.len()
        ))));
    }
    let problem = |e: DataFusionError| QueryError::Plan(SqlProblem::diagnose(&e, &table_names(ctx)));
    let plan = ctx.state().create_logical_plan(sql).await.map_err(problem)?;
    read_only()
        .verify_plan(&plan)
        .map_err(|e| QueryError::NotReadOnly(e.strip_backtrace().to_string()))?;
    let mut frame = ctx.execute_logical_plan(plan).await.map_err(problem)?;
    if !params.is_empty() {
        frame = frame.with_param_values(params).map_err(problem)?;
    }
    // EXPLAIN must stay the root of its plan; its output is a few rows anyway.
    let explains = matches!(frame.logical_plan(), LogicalPlan::Explain(_) | LogicalPlan::Analyze(_));
    if let Some(max_rows) = options.max_rows.filter(|_| !explains) {
        frame = frame.limit(0, Some(max_rows)).map_err(problem)?;
    }
    let task = frame.task_ctx();
    let plan = frame.create_physical_plan().await.map_err(problem)?;
    let stream = execute_stream(Arc::clone(&plan), Arc::new(task)).map_err(problem)?;
    Ok(RunningQuery { stream, plan })
}

/// The tables of the session, for "did you mean" suggestions.
fn table_names(ctx: &SessionContext) -> Vec<String> {
    let Some(catalog) = ctx.catalog("voxlake") else {
        return Vec::new();
    };
    let Some(schema) = catalog.schema("public") else {
        return Vec::new();
    };
    schema.table_names()
}
