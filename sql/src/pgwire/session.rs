//! The session a Postgres query runs in: the engine's session for the
//! caller's access (built fresh, so it reads the latest committed version of
//! every table), plus the `pg_catalog` schema and functions that psql's `\d`
//! commands and GUI clients' schema browsers query. `pg_catalog` lists what
//! the session has registered, so an agent's key shows only its own tables.

use datafusion::logical_expr::LogicalPlan;
use datafusion::prelude::SessionContext;
use datafusion::sql::parser::Statement as DfStatement;
use datafusion::sql::sqlparser::ast::Statement;
use datafusion_postgres::datafusion_pg_catalog::pg_catalog::context::EmptyContextProvider;
use datafusion_postgres::datafusion_pg_catalog::pg_catalog::setup_pg_catalog;
use datafusion_postgres::pgwire::error::PgWireResult;
use voxlake_engine::{EngineConfig, TableAccess, build};

use super::errors::{self, internal};
use crate::query::QueryError;

/// The catalog the engine registers tables in, and so `current_database()`.
const CATALOG: &str = "voxlake";

pub async fn for_access(config: &EngineConfig, access: &TableAccess) -> PgWireResult<SessionContext> {
    let ctx = build(config, access)
        .await
        .map_err(|e| errors::from_query(QueryError::Engine(e)))?;
    setup_pg_catalog(&ctx, CATALOG, EmptyContextProvider).map_err(internal)?;
    Ok(ctx)
}

/// Plan `statement` only to describe it (its parameters and result columns)
/// when a driver prepares it; nothing is executed here, and the plan is not
/// reused to run it: that is planned again, read-only, in a fresh session.
pub async fn describe_plan(ctx: &SessionContext, statement: &Statement) -> PgWireResult<LogicalPlan> {
    ctx.state()
        .statement_to_plan(DfStatement::Statement(Box::new(statement.clone())))
        .await
        .map_err(|e| errors::from_query(QueryError::Plan(e.strip_backtrace().to_string())))
}
