//! The simple and extended query protocols over Voxlake's read-only engine.
//!
//! Every query gets a fresh session built for the caller's access, is
//! planned by `query::start_query_in` (which refuses DDL, DML and statements),
//! and streams its rows through [`AuditedRows`]. Session statements go to
//! `datafusion-postgres`' hooks, which answer SET/SHOW/BEGIN/COMMIT the way
//! drivers expect, on a scratch session that no query ever runs in.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DFSchema, ScalarValue};
use datafusion::logical_expr::{EmptyRelation, LogicalPlan};
use datafusion::prelude::SessionContext;
use datafusion::sql::sqlparser::ast::Statement;
use datafusion_postgres::QueryHook;
use datafusion_postgres::arrow_pg::datatypes::arrow_schema_to_pg_fields;
use datafusion_postgres::hooks::HookClient;
use datafusion_postgres::hooks::set_show::SetShowHook;
use datafusion_postgres::hooks::transactions::TransactionStatementHook;
use datafusion_postgres::pgwire::api::portal::{Format, Portal};
use datafusion_postgres::pgwire::api::query::{ExtendedQueryHandler, SimpleQueryHandler};
use datafusion_postgres::pgwire::api::results::{FieldInfo, QueryResponse, Response, Tag};
use datafusion_postgres::pgwire::api::stmt::QueryParser;
use datafusion_postgres::pgwire::api::store::PortalStore;
use datafusion_postgres::pgwire::api::{ClientInfo, ClientPortalStore, Type};
use datafusion_postgres::pgwire::error::{PgWireError, PgWireResult};
use datafusion_postgres::pgwire::messages::PgWireBackendMessage;
use datafusion_postgres::pgwire::types::format::FormatOptions;
use futures::Sink;

use super::errors::{self, code};
use super::in_flight::InFlight;
use super::rows::AuditedRows;
use super::statement::{self, Kind};
use super::{auth, params, session};
use crate::audit::AuditEvent;
use crate::auth::Caller;
use crate::query::{QueryOptions, start_query_in};
use crate::state::AppState;

/// Where `datafusion-postgres`' SET hook keeps a client's `statement_timeout`.
const STATEMENT_TIMEOUT_MS: &str = "statement_timeout_ms";

/// A statement a driver prepared (extended protocol), described for its
/// `Describe` and run again from scratch at every `Execute`.
#[derive(Clone, Debug)]
pub struct Prepared {
    statement: Statement,
    kind: Kind,
    plan: LogicalPlan,
    param_types: Vec<Option<DataType>>,
}

pub struct QueryHandler {
    state: AppState,
    in_flight: InFlight,
    parser: Arc<PreparedParser>,
}

pub struct PreparedParser {
    state: AppState,
}

impl QueryHandler {
    pub fn new(state: AppState, in_flight: InFlight) -> Self {
        Self {
            parser: Arc::new(PreparedParser { state: state.clone() }),
            state,
            in_flight,
        }
    }

    /// Run one read-only query for the connection's caller and stream its rows.
    async fn query<C: ClientInfo>(
        &self,
        client: &C,
        sql: &str,
        values: Vec<ScalarValue>,
        format: &Format,
    ) -> PgWireResult<Response> {
        let caller = auth::caller(client)?;
        let started = Instant::now();
        let running = self.in_flight.start();
        let mut event = audit_event(&caller, sql);
        let format_options = Arc::new(FormatOptions::from_client_metadata(client.metadata()));
        let (stream, fields) = match self.start(&caller, sql, values, format, format_options).await {
            Ok(started) => started,
            Err(e) => return Err(self.audited_failure(event, started, e)),
        };
        event.duration = started.elapsed();
        let timeout = query_timeout(client, &caller);
        let rows = AuditedRows::new(
            stream,
            Arc::clone(&fields),
            timeout,
            (self.state.audit.clone(), event),
            running,
        );
        Ok(Response::Query(QueryResponse::new(fields, rows)))
    }

    async fn start(
        &self,
        caller: &Caller,
        sql: &str,
        values: Vec<ScalarValue>,
        format: &Format,
        format_options: Arc<FormatOptions>,
    ) -> PgWireResult<(datafusion::execution::SendableRecordBatchStream, Arc<Vec<FieldInfo>>)> {
        let options = options(caller)?;
        let ctx = session::for_query(&self.state.engine, &options.access, sql).await?;
        let stream = start_query_in(&ctx, sql, values, &options)
            .await
            .map_err(errors::from_query)?
            .stream;
        let fields = arrow_schema_to_pg_fields(stream.schema().as_ref(), format, Some(format_options))?;
        Ok((stream, Arc::new(fields)))
    }

    /// A refused statement, audited like a refused HTTP query.
    fn refuse<C: ClientInfo>(&self, client: &C, statement: &Statement) -> PgWireError {
        let error = errors::refused(&statement::verb(statement));
        match auth::caller(client) {
            Ok(caller) => self.audited_failure(audit_event(&caller, &statement.to_string()), Instant::now(), error),
            Err(e) => e,
        }
    }

    fn audited_failure(&self, mut event: AuditEvent, started: Instant, error: PgWireError) -> PgWireError {
        event.status = errors::audit_status(&errors::sqlstate(&error));
        event.error = Some(errors::message(&error));
        event.duration = started.elapsed();
        self.state.audit.record(event);
        error
    }
}

fn options(caller: &Caller) -> PgWireResult<QueryOptions> {
    let access = caller
        .role()
        .table_access(caller.key.agent_id.as_deref())
        .ok_or_else(|| errors::error(code::INSUFFICIENT_PRIVILEGE, "this key may not query"))?;
    Ok(QueryOptions {
        access,
        max_rows: Some(caller.role().limits().max_rows),
    })
}

/// The role's limit, or the client's own `statement_timeout` when shorter.
fn query_timeout<C: ClientInfo>(client: &C, caller: &Caller) -> Duration {
    let role = caller.role().limits().timeout;
    let asked = client
        .metadata()
        .get(STATEMENT_TIMEOUT_MS)
        .and_then(|ms| ms.parse().ok())
        .map(Duration::from_millis);
    asked.map_or(role, |asked| asked.min(role))
}

fn audit_event(caller: &Caller, sql: &str) -> AuditEvent {
    AuditEvent {
        at: chrono::Utc::now(),
        key_name: Some(caller.name().to_owned()),
        role: Some(caller.role().as_str()),
        action: "query",
        target: "pgwire".to_owned(),
        detail: Some(sql.to_owned()),
        status: 200,
        rows: None,
        bytes: None,
        duration: Duration::ZERO,
        error: None,
    }
}

/// SET, SHOW, BEGIN, COMMIT and ROLLBACK, answered as Postgres would. The
/// transaction hook only reports states (there is nothing to commit).
fn session_hooks() -> [Arc<dyn QueryHook>; 2] {
    [Arc::new(SetShowHook), Arc::new(TransactionStatementHook)]
}

/// What the hooks do not answer (DISCARD, DEALLOCATE) holds no state here,
/// so acknowledging it is the whole answer.
fn acknowledge(statement: &Statement) -> Response {
    Response::Execution(Tag::new(&statement::verb(statement)))
}

async fn session_statement(client: &mut dyn HookClient, statement: &Statement) -> PgWireResult<Response> {
    let scratch = SessionContext::new();
    for hook in session_hooks() {
        if let Some(response) = hook.handle_simple_query(statement, &scratch, client).await {
            return response;
        }
    }
    Ok(acknowledge(statement))
}

#[async_trait]
impl SimpleQueryHandler for QueryHandler {
    async fn do_query<C>(&self, client: &mut C, query: &str) -> PgWireResult<Vec<Response>>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let statements = statement::parse(query)?;
        if statements.is_empty() {
            return Ok(vec![Response::EmptyQuery]);
        }
        let mut responses = Vec::with_capacity(statements.len());
        for statement in &statements {
            let response = match statement::classify(statement) {
                Kind::Query => {
                    self.query(client, &statement.to_string(), Vec::new(), &Format::UnifiedText)
                        .await
                }
                Kind::Session => session_statement(client, statement).await,
                Kind::Refused => Err(self.refuse(client, statement)),
            };
            match response {
                Ok(response) => responses.push(response),
                // Like Postgres: the statements after a failed one do not run.
                Err(e) => {
                    responses.push(Response::Error(Box::new(e.into())));
                    break;
                }
            }
        }
        Ok(responses)
    }
}

#[async_trait]
impl ExtendedQueryHandler for QueryHandler {
    type Statement = Prepared;
    type QueryParser = PreparedParser;

    fn query_parser(&self) -> Arc<Self::QueryParser> {
        Arc::clone(&self.parser)
    }

    async fn do_query<C>(&self, client: &mut C, portal: &Portal<Prepared>, _max_rows: usize) -> PgWireResult<Response>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Prepared>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let prepared = &portal.statement.statement;
        match prepared.kind {
            Kind::Query => {
                let values = params::values(portal, &prepared.param_types)?;
                let sql = prepared.statement.to_string();
                self.query(client, &sql, values, &portal.result_column_format).await
            }
            Kind::Session => session_statement(client, &prepared.statement).await,
            Kind::Refused => Err(self.refuse(client, &prepared.statement)),
        }
    }
}

#[async_trait]
impl QueryParser for PreparedParser {
    type Statement = Prepared;

    async fn parse_sql<C>(&self, client: &C, sql: &str, _types: &[Option<Type>]) -> PgWireResult<Option<Prepared>>
    where
        C: ClientInfo + Unpin + Send + Sync,
    {
        let mut statements = statement::parse(sql)?;
        if statements.len() > 1 {
            return Err(errors::error(
                code::SYNTAX_ERROR,
                "cannot insert multiple commands into a prepared statement",
            ));
        }
        let Some(statement) = statements.pop() else {
            return Ok(None);
        };
        let kind = statement::classify(&statement);
        let plan = match kind {
            Kind::Query => self.describe(client, &statement).await?,
            Kind::Session => session_plan(client, &statement).await?,
            // Refused when the driver prepares it, so it never reaches Execute.
            Kind::Refused => return Err(errors::refused(&statement::verb(&statement))),
        };
        let param_types = params::types(&plan)?;
        Ok(Some(Prepared {
            statement,
            kind,
            plan,
            param_types,
        }))
    }

    fn get_parameter_types(&self, prepared: &Prepared) -> PgWireResult<Vec<Type>> {
        params::wire_types(&prepared.param_types)
    }

    fn get_result_schema(&self, prepared: &Prepared, format: Option<&Format>) -> PgWireResult<Vec<FieldInfo>> {
        let format = format.unwrap_or(&Format::UnifiedText);
        arrow_schema_to_pg_fields(prepared.plan.schema().as_arrow(), format, None)
    }
}

impl PreparedParser {
    /// Plan a query in the caller's session, to tell the driver its
    /// parameter and result types.
    async fn describe<C: ClientInfo>(&self, client: &C, statement: &Statement) -> PgWireResult<LogicalPlan> {
        let options = options(&auth::caller(client)?)?;
        let ctx = session::for_query(&self.state.engine, &options.access, &statement.to_string()).await?;
        session::describe_plan(&ctx, statement).await
    }
}

/// The result shape of a session statement, from the hooks (SHOW has one
/// text column); an empty one for what they do not know.
async fn session_plan<C>(client: &C, statement: &Statement) -> PgWireResult<LogicalPlan>
where
    C: ClientInfo + Send + Sync,
{
    let scratch = SessionContext::new();
    for hook in session_hooks() {
        if let Some(plan) = hook.handle_extended_parse_query(statement, &scratch, client).await {
            return plan;
        }
    }
    Ok(LogicalPlan::EmptyRelation(EmptyRelation {
        produce_one_row: false,
        schema: Arc::new(DFSchema::empty()),
    }))
}
