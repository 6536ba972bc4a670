//! Voxlake's HTTP service: ingest, SQL and metadata endpoints on axum.
//!
//! [`router`] builds the whole API from an [`AppState`], with no socket, so
//! tests can drive it directly; [`serve`] runs it on a listener until a
//! shutdown signal, then lets in-flight requests finish.
//!
//! [`pgwire`] serves the same queries, keys, roles and audit log over the
//! Postgres wire protocol on a second port; [`tls`] puts either behind TLS.

pub mod api;
pub mod audit;
pub mod auth;
mod body_limit;
pub mod diagnose;
pub mod encoding;
pub mod error;
mod metered;
pub mod metrics;
pub mod pgwire;
pub mod query;
pub mod state;
pub mod tls;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use axum::serve::Listener;
use tower_http::trace::TraceLayer;

pub use state::AppState;

/// Largest request body accepted; larger ones get 413.
pub const DEFAULT_BODY_LIMIT_BYTES: usize = 32 * 1024 * 1024;

/// Every route of the API, in one place.
pub fn router(state: AppState, body_limit_bytes: usize) -> Router {
    Router::new()
        .route("/healthz", get(api::health::healthz))
        .route("/v1/feedback", post(api::feedback::post))
        .route("/v1/channels", get(api::channels::list))
        .route("/v1/sql", post(api::sql::post).get(api::sql::get))
        .route("/v1/tables", get(api::tables::list))
        .route("/v1/tables/{name}", get(api::tables::get))
        .route("/metrics", get(api::metrics::get))
        .route("/openapi.json", get(api::openapi::get))
        .layer(DefaultBodyLimit::max(body_limit_bytes))
        .layer(middleware::from_fn_with_state(
            body_limit_bytes,
            body_limit::refuse_declared_oversize,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serve `router` on `listener` (a `TcpListener`, or a [`tls::TlsListener`])
/// until `shutdown` completes; requests in flight then get up to `grace` to finish.
pub async fn serve<L>(
    listener: L,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()>
where
    L: Listener,
    L::Addr: std::fmt::Debug,
{
    let (stopped_tx, stopped_rx) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, router).with_graceful_shutdown(async move {
        shutdown.await;
        drop(stopped_tx);
    });
    tokio::select! {
        result = server => result,
        _ = async { stopped_rx.await.ok(); tokio::time::sleep(grace).await } => {
            tracing::warn!("requests still running after the grace period; stopping anyway");
            Ok(())
        }
    }
}
