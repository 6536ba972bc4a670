//! `GET /metrics`: the Prometheus text exposition of the service's metrics.
//! Any valid key may scrape (Prometheus sends it with `authorization:
//! credentials`); the figures are counts, never data.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::auth::Caller;
use crate::state::AppState;

pub async fn get(State(state): State<AppState>, _caller: Caller) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.metrics.render(),
    )
}
