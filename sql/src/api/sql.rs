//! `POST /v1/sql`: run one read-only query and stream its result.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use datafusion::common::ScalarValue;
use serde::Deserialize;
use sha2::Digest;

use crate::audit::AuditEvent;
use crate::auth::{Caller, Role};
use crate::encoding::{Format, encode_stream};
use crate::error::{ApiError, ApiResult};
use crate::metered::{MeteredBody, Report, count_rows};
use crate::query::{QueryError, QueryOptions, start_query};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct SqlRequest {
    sql: String,
    format: Option<Format>,
    /// Values for `$1`, `$2`, … in `sql`.
    #[serde(default)]
    params: Vec<serde_json::Value>,
}

/// The body is read as JSON whatever its content type, so that a plain
/// `curl -d '{"sql": …}'` works.
pub async fn post(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    caller.require(Role::can_query, "run queries")?;
    let request: SqlRequest = serde_json::from_slice(&body?).map_err(|e| {
        ApiError::bad_request(
            "bad_request",
            format!("expected {{\"sql\": \"…\", \"format\": \"json|ndjson|csv|arrow|parquet\", \"params\": […]}}: {e}"),
        )
    })?;
    let params = scalar_params(&request.params)?;
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .and_then(Format::from_accept);
    let format = request.format.or(accept).unwrap_or_default();
    respond(&state, &caller, &request.sql, params, format).await
}

/// JSON values as SQL parameters: strings, numbers, booleans and null.
fn scalar_params(values: &[serde_json::Value]) -> ApiResult<Vec<ScalarValue>> {
    use serde_json::Value;
    values
        .iter()
        .enumerate()
        .map(|(i, value)| match value {
            Value::Null => Ok(ScalarValue::Null),
            Value::Bool(b) => Ok(ScalarValue::Boolean(Some(*b))),
            Value::String(s) => Ok(ScalarValue::Utf8(Some(s.clone()))),
            Value::Number(n) => n
                .as_i64()
                .map(|v| ScalarValue::Int64(Some(v)))
                .or_else(|| n.as_f64().map(|v| ScalarValue::Float64(Some(v))))
                .ok_or_else(|| bad_param(i, "a number out of range")),
            Value::Array(_) | Value::Object(_) => Err(bad_param(i, "an array or object")),
        })
        .collect()
}

fn bad_param(index: usize, what: &str) -> ApiError {
    ApiError::bad_request(
        "bad_param",
        format!(
            "params[{index}] (${}) is {what}; use a string, number, boolean or null",
            index + 1
        ),
    )
}

#[derive(Deserialize)]
pub struct GetParams {
    q: String,
    format: Option<Format>,
}

/// `GET /v1/sql?q=…`: the same query as a cacheable read. The ETag names the
/// query, the caller's view, the version of every table and of the models,
/// so it changes exactly when the answer may; `If-None-Match` with it gets 304.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(params): Query<GetParams>,
) -> ApiResult<Response> {
    caller.require(Role::can_query, "run queries")?;
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .and_then(Format::from_accept);
    let format = params.format.or(accept).unwrap_or_default();
    let etag = etag(&state, &caller, &params.q, format).await?;
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    if matches {
        return Response::builder()
            .status(StatusCode::NOT_MODIFIED)
            .header(header::ETAG, &etag)
            .body(Body::empty())
            .map_err(ApiError::internal);
    }
    let mut response = respond(&state, &caller, &params.q, Vec::new(), format).await?;
    if let Ok(value) = etag.parse() {
        response.headers_mut().insert(header::ETAG, value);
    }
    Ok(response)
}

async fn etag(state: &AppState, caller: &Caller, sql: &str, format: Format) -> ApiResult<String> {
    let mut key = format!(
        "{sql}\0{:?}\0{}\0{:?}",
        format,
        caller.role().as_str(),
        caller.key.agent_id
    );
    let (tables, models) = state.engine.versions().await.map_err(ApiError::internal)?;
    for (name, version) in tables {
        key.push_str(&format!("\0{name}={version:?}"));
    }
    key.push_str(&format!("\0models={models}"));
    let digest = sha2::Sha256::digest(key.as_bytes());
    Ok(format!("\"{}\"", hex::encode(&digest[..16])))
}

/// Run `sql` for `caller` and stream the result as `format`, audited.
pub async fn respond(
    state: &AppState,
    caller: &Caller,
    sql: &str,
    params: Vec<ScalarValue>,
    format: Format,
) -> ApiResult<Response> {
    let started = Instant::now();
    let limits = caller.role().limits();
    let access = caller
        .role()
        .table_access(caller.key.agent_id.as_deref())
        .ok_or_else(|| ApiError::new(StatusCode::FORBIDDEN, "forbidden", "this key may not query"))?;
    let options = QueryOptions {
        access,
        max_rows: Some(limits.max_rows),
    };
    let mut event = AuditEvent {
        at: chrono::Utc::now(),
        key_name: Some(caller.name().to_owned()),
        role: Some(caller.role().as_str()),
        action: "query",
        target: "/v1/sql".to_owned(),
        detail: Some(sql.to_owned()),
        status: 200,
        rows: None,
        bytes: None,
        duration: started.elapsed(),
        error: None,
    };
    let running = match start_query(&state.engine, sql, params, &options).await {
        Ok(running) => running,
        Err(e) => {
            let error = query_error(e);
            event.status = error.status.as_u16();
            event.error = Some(error.message.clone());
            event.duration = started.elapsed();
            state.audit.record(event);
            return Err(error);
        }
    };
    let rows = Arc::new(AtomicU64::new(0));
    let encoded = encode_stream(format, count_rows(running.stream, Arc::clone(&rows)));
    let report = Report {
        audit: state.audit.clone(),
        event,
        metrics: Arc::clone(&state.metrics),
        plan: running.plan,
    };
    let body = MeteredBody::new(encoded, rows, limits.timeout, report);
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, format.content_type())
        .header("x-voxlake-row-limit", limits.max_rows)
        .body(Body::from_stream(body))
        .map_err(ApiError::internal)
}

fn query_error(e: QueryError) -> ApiError {
    match e {
        QueryError::NotReadOnly(message) => ApiError::new(StatusCode::FORBIDDEN, "read_only", message),
        QueryError::Plan(problem) => ApiError::sql(problem),
        QueryError::Engine(e) => ApiError::internal(e),
    }
}
