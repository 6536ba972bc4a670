//! `POST /v1/feedback[?channel=NAME]`: one JSON object, an array, or NDJSON.
//!
//! Records are judged one by one: good records are stored even when others in
//! the same request are rejected, and the answer (sent only once the stored
//! records are committed) gives each record's outcome in order. Re-sending a
//! record with the same `(channel, source_id)` answers `duplicate` with the
//! original id and stores nothing.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use voxlake_ingest::Durability;
use voxlake_ingest::read::parse_json_body;
use voxlake_ingest::record::Outcome;

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
    Query(params): Query<Params>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<Answer>)> {
    let body = body?;
    let records = parse_json_body(&body);
    if records.is_empty() {
        return Err(ApiError::bad_request("empty_body", "the body holds no records"));
    }
    let channel = params.channel.as_deref().unwrap_or(DEFAULT_CHANNEL);
    let results = state.ingest.submit(channel, "http", records, Durability::Commit).await?;
    let answer = summarise(results);
    let status = if answer.rejected == answer.results.len() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
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
