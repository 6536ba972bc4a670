//! The Postgres wire protocol on a second port, so that psql, DBeaver,
//! Metabase, Superset and Grafana connect with their stock drivers.
//!
//! It is the HTTP service's twin, not a second engine: the same API keys
//! (sent as the password), the same roles and row filters, the same
//! read-only planning (`query::start_query_in`), the same audit log. What it
//! adds is only what the protocol needs:
//!
//! - [`auth`]: cleartext-password login checked against the key store;
//! - [`statement`]: which statements run, which are answered for client
//!   compatibility (SET, SHOW, BEGIN, COMMIT), which are refused;
//! - [`session`]: a fresh session per query with `pg_catalog` added, so
//!   `\dt` and GUI schema browsers work and every query sees the latest
//!   committed table versions;
//! - [`handler`]: the simple and extended (prepared, `$1`) query protocols;
//! - [`rows`]: results encoded row by row as they stream, audited at the end;
//! - [`server`]: the accept loop, TLS, and a shutdown that lets running
//!   queries finish but does not wait for idle connections.
//!
//! `datafusion-postgres`' own `serve` is not used: it runs every client on
//! one fixed session with no real authentication.

mod auth;
mod catalog;
mod errors;
mod handler;
mod in_flight;
mod params;
mod rows;
mod server;
mod session;
mod statement;

use std::sync::Arc;

use datafusion_postgres::pgwire::api::PgWireServerHandlers;
use datafusion_postgres::pgwire::api::auth::StartupHandler;
use datafusion_postgres::pgwire::api::cancel::{CancelHandler, DefaultCancelHandler};
use datafusion_postgres::pgwire::api::query::{ExtendedQueryHandler, SimpleQueryHandler};
use datafusion_postgres::pgwire::api::{ConnectionManager, ErrorHandler};

use crate::state::AppState;

pub use server::serve;

/// Everything one Postgres port needs, shared by all its connections.
pub struct PgService {
    startup: Arc<auth::ApiKeyStartup>,
    queries: Arc<handler::QueryHandler>,
    cancel: Arc<DefaultCancelHandler>,
    in_flight: in_flight::InFlight,
}

impl PgService {
    pub fn new(state: AppState) -> Self {
        let connections = Arc::new(ConnectionManager::new());
        let in_flight = in_flight::InFlight::default();
        Self {
            startup: Arc::new(auth::ApiKeyStartup::new(
                Arc::clone(&state.keys),
                Arc::clone(&connections),
            )),
            queries: Arc::new(handler::QueryHandler::new(state, in_flight.clone())),
            cancel: Arc::new(DefaultCancelHandler::new(connections)),
            in_flight,
        }
    }
}

impl PgWireServerHandlers for PgService {
    fn simple_query_handler(&self) -> Arc<impl SimpleQueryHandler> {
        Arc::clone(&self.queries)
    }

    fn extended_query_handler(&self) -> Arc<impl ExtendedQueryHandler> {
        Arc::clone(&self.queries)
    }

    fn startup_handler(&self) -> Arc<impl StartupHandler> {
        Arc::clone(&self.startup)
    }

    fn error_handler(&self) -> Arc<impl ErrorHandler> {
        Arc::new(errors::LogErrors)
    }

    fn cancel_handler(&self) -> Arc<impl CancelHandler> {
        Arc::clone(&self.cancel)
    }
}
