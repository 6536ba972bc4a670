//! The session a Postgres query runs in: the engine's session for the
//! caller's access (made per query, so it reads the latest committed version
//! of every table), plus the `pg_catalog` schema and functions that psql's `\d`
//! commands and GUI clients' schema browsers query. `pg_catalog` lists what
//! the session has registered, so an agent's key shows only its own tables.

use std::sync::{Arc, OnceLock};

use datafusion::logical_expr::LogicalPlan;
use datafusion::prelude::SessionContext;
use datafusion::sql::parser::Statement as DfStatement;
use datafusion::sql::sqlparser::ast::Statement;
use datafusion_postgres::datafusion_pg_catalog::pg_catalog::context::EmptyContextProvider;
use datafusion_postgres::datafusion_pg_catalog::pg_catalog::{
    PgCatalogSchemaProvider, PgCatalogStaticTables, setup_pg_catalog,
};
use datafusion_postgres::pgwire::error::PgWireResult;
use voxlake_engine::{Engine, TableAccess};

use super::catalog::StableCatalog;
use super::errors::{self, internal};
use crate::diagnose::SqlProblem;
use crate::query::QueryError;

/// The catalog the engine registers tables in, and so `current_database()`.
const CATALOG: &str = "voxlake";

/// The session for `sql`, a query of a caller with `access`.
pub async fn for_query(engine: &Engine, access: &TableAccess, sql: &str) -> PgWireResult<SessionContext> {
    let ctx = engine
        .session(access)
        .await
        .map_err(|e| errors::from_query(QueryError::Engine(e)))?;
    add_pg_catalog(&ctx)?;
    if mentions_pg_catalog(sql) {
        number_tables(&ctx).await?;
    }
    Ok(ctx)
}

/// Whether `sql` may see table OIDs. (The compatibility parser has already
/// turned `'t'::regclass` into a `pg_class` lookup.)
fn mentions_pg_catalog(sql: &str) -> bool {
    sql.to_ascii_lowercase().contains("pg_")
}

/// `pg_catalog` hands out OIDs on first sight and its tables see different
/// things first (`pg_attribute` skips schemas, `pg_class` does not), so in a
/// fresh session a table's OID depends on which of them a query reads
/// first. Reading `pg_class` up front makes it the same in every session:
/// psql's `\d t` finds the OID with one query and the columns with another.
async fn number_tables(ctx: &SessionContext) -> PgWireResult<()> {
    let frame = ctx
        .sql("SELECT count(*) FROM pg_catalog.pg_class")
        .await
        .map_err(internal)?;
    frame.collect().await.map_err(internal)?;
    Ok(())
}

/// `pg_catalog`'s functions and type names, and its tables over a stable
/// view of the session's catalog (see [`StableCatalog`]).
fn add_pg_catalog(ctx: &SessionContext) -> PgWireResult<()> {
    setup_pg_catalog(ctx, CATALOG, EmptyContextProvider).map_err(internal)?;
    let tables = StableCatalog(Arc::clone(ctx.state().catalog_list()));
    let schema = PgCatalogSchemaProvider::try_new(tables, static_tables()?, EmptyContextProvider).map_err(internal)?;
    let catalog = ctx
        .catalog(CATALOG)
        .ok_or_else(|| internal(format!("no catalog `{CATALOG}`")))?;
    catalog
        .register_schema("pg_catalog", Arc::new(schema))
        .map_err(internal)?;
    Ok(())
}

/// Postgres' own catalog rows (types, functions, …): the same for every
/// session, so decoded once.
fn static_tables() -> PgWireResult<Arc<PgCatalogStaticTables>> {
    static TABLES: OnceLock<Arc<PgCatalogStaticTables>> = OnceLock::new();
    if let Some(tables) = TABLES.get() {
        return Ok(Arc::clone(tables));
    }
    let tables = Arc::new(PgCatalogStaticTables::try_new().map_err(internal)?);
    Ok(Arc::clone(TABLES.get_or_init(|| tables)))
}

/// Plan `statement` only to describe it (its parameters and result columns)
/// when a driver prepares it; nothing is executed here, and the plan is not
/// reused to run it: that is planned again, read-only, in a fresh session.
pub async fn describe_plan(ctx: &SessionContext, statement: &Statement) -> PgWireResult<LogicalPlan> {
    ctx.state()
        .statement_to_plan(DfStatement::Statement(Box::new(statement.clone())))
        .await
        .map_err(|e| errors::from_query(QueryError::Plan(SqlProblem::diagnose(&e, &[]))))
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use datafusion::arrow::array::{Array, Int32Array};
    use datafusion::prelude::SessionConfig;

    use super::*;

    /// A fresh session with five tables, as `for_query` sets one up.
    async fn session() -> SessionContext {
        let config = SessionConfig::new()
            .with_information_schema(true)
            .with_default_catalog_and_schema(CATALOG, "public");
        let ctx = SessionContext::new_with_config(config);
        for name in ["audit_log", "feedback", "ingest_rejects", "tickets", "topics"] {
            ctx.sql(&format!("CREATE VIEW {name} AS SELECT 1 AS {name}_only"))
                .await
                .expect("view");
        }
        add_pg_catalog(&ctx).expect("pg_catalog");
        number_tables(&ctx).await.expect("numbered");
        ctx
    }

    async fn one_oid(ctx: &SessionContext, sql: &str) -> i32 {
        let batches = ctx.sql(sql).await.expect("plans").collect().await.expect("runs");
        let column = batches[0]
            .column(0)
            .as_any()
            .downcast_ref::<Int32Array>()
            .expect("int32");
        assert_eq!(column.len(), 1, "{sql}");
        column.value(0)
    }

    async fn class_oid(table: &str) -> i32 {
        let sql = format!("SELECT oid FROM pg_catalog.pg_class WHERE relname = '{table}' AND relkind = 'r'");
        one_oid(&session().await, &sql).await
    }

    /// What psql's `\d` does second, in a session of its own.
    async fn attribute_oid(table: &str) -> i32 {
        let sql = format!("SELECT attrelid FROM pg_catalog.pg_attribute WHERE attname = '{table}_only'");
        one_oid(&session().await, &sql).await
    }

    #[tokio::test]
    async fn every_session_gives_a_table_the_same_oid() {
        let feedback = class_oid("feedback").await;
        for _ in 0..5 {
            assert_eq!(class_oid("feedback").await, feedback);
            assert_eq!(attribute_oid("feedback").await, feedback);
        }
        assert_ne!(class_oid("tickets").await, feedback);
    }

    #[test]
    fn only_queries_that_name_pg_catalog_objects_number_tables() {
        assert!(mentions_pg_catalog("SELECT * FROM PG_CATALOG.pg_class"));
        assert!(!mentions_pg_catalog("SELECT count(*) FROM feedback"));
    }

    #[tokio::test]
    async fn adding_pg_catalog_is_cheap_enough_for_every_query() {
        static_tables().expect("decoded once, before timing");
        let ctx =
            SessionContext::new_with_config(SessionConfig::new().with_default_catalog_and_schema(CATALOG, "public"));
        let started = Instant::now();
        add_pg_catalog(&ctx).expect("pg_catalog");
        let took = started.elapsed();
        eprintln!("pg_catalog set up in {took:?}");
        assert!(took.as_millis() < 500, "{took:?}");
    }
}
