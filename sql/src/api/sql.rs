//! `POST /v1/sql`: run one read-only query and stream its result.

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;

use crate::encoding::{Format, encode_stream};
use crate::error::{ApiError, ApiResult};
use crate::query::{QueryError, run_query};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct SqlRequest {
    sql: String,
    format: Option<Format>,
}

/// The body is read as JSON whatever its content type, so that a plain
/// `curl -d '{"sql": …}'` works.
pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> ApiResult<Response> {
    let request: SqlRequest = serde_json::from_slice(&body?).map_err(|e| {
        ApiError::bad_request("bad_request", format!("expected {{\"sql\": \"…\", \"format\": \"json|ndjson|csv|arrow\"}}: {e}"))
    })?;
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).and_then(Format::from_accept);
    let format = request.format.or(accept).unwrap_or_default();
    let stream = run_query(&state.engine, &request.sql).await.map_err(query_error)?;
    let body = encode_stream(format, stream);
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, format.content_type())
        .body(Body::from_stream(body))
        .map_err(ApiError::internal)
}

fn query_error(e: QueryError) -> ApiError {
    match e {
        QueryError::NotReadOnly(message) => ApiError::new(StatusCode::FORBIDDEN, "read_only", message),
        QueryError::Plan(message) => ApiError::bad_request("sql_error", message),
        QueryError::Engine(e) => ApiError::internal(e),
    }
}
