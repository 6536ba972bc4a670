//! `POST /v1/feedback[?channel=NAME]`: one JSON object, an array, or NDJSON.
//!
//! Records are judged one by one: good records are stored even when others in
//! the same request are rejected, and the answer (sent only once the stored
//! records are committed) gives each record's outcome in order. Re-sending a
//! record with the same `(channel, source_id)` answers `duplicate` with the
//! original id and stores nothing.

use std::time::Instant;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use voxlake_ingest::Durability;
use voxlake_ingest::read::parse_json_body;
use voxlake_ingest::record::Outcome;

use crate::audit::AuditEvent;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The mapping used when a request names none: records carry Voxlake's own
/// field names, each naming its channel.
pub const DEFAULT_CHANNEL: &str = "native";

#[derive(Deserialize)]
pub struct Params {
    channel: Option<String>,
}

#[derive(Serialize)]
pub struct Answer {
    accepted: usize,
    duplicates: usize,
    rejected: usize,
    results: Vec<Outcome>,
}

pub async fn post(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<Params>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<Answer>)> {
    caller.require(Role::can_ingest, "submit feedback")?;
    let started = Instant::now();
    let channel = params.channel.as_deref().unwrap_or(DEFAULT_CHANNEL).to_owned();
    let result = store(&state, &channel, body).await;
    let (status, accepted, error) = match &result {
        Ok((status, Json(answer))) => {
            state.metrics.ingested(&channel, "accepted", answer.accepted);
            state.metrics.ingested(&channel, "duplicate", answer.duplicates);
            state.metrics.ingested(&channel, "rejected", answer.rejected);
            (status.as_u16(), Some(answer.accepted as u64), None)
        }
        Err(e) => (e.status.as_u16(), None, Some(e.message.clone())),
    };
    state.audit.record(AuditEvent {
        at: chrono::Utc::now(),
        key_name: Some(caller.name().to_owned()),
        role: Some(caller.role().as_str()),
        action: "ingest",
        target: "/v1/feedback".to_owned(),
        detail: Some(channel),
        status,
        rows: accepted,
        bytes: None,
        duration: started.elapsed(),
        error,
    });
    result
}

async fn store(
    state: &AppState,
    channel: &str,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<Answer>)> {
    let body = body?;
    // Parsing a large body is CPU work: keep it off the async workers.
    let records = tokio::task::spawn_blocking(move || parse_json_body(&body))
        .await
        .map_err(ApiError::internal)?;
    if records.is_empty() {
        return Err(ApiError::bad_request("empty_body", "the body holds no records"));
    }
    let results = state
        .ingest
        .submit(channel, "http", records, Durability::Commit)
        .await?;
    let answer = summarise(results);
    let status = if answer.rejected == answer.results.len() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Json(answer)))
}

fn summarise(results: Vec<Outcome>) -> Answer {
    let count = |f: fn(&Outcome) -> bool| results.iter().filter(|o| f(o)).count();
    Answer {
        accepted: count(|o| matches!(o, Outcome::Accepted { .. })),
        duplicates: count(|o| matches!(o, Outcome::Duplicate { .. })),
        rejected: count(|o| matches!(o, Outcome::Rejected(_))),
        results,
    }
}
