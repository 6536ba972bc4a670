//! `GET /v1/channels`: each channel's health.

use axum::Json;
use axum::extract::State;

use voxlake_ingest::health::{ChannelHealth, channel_health};

use crate::error::ApiResult;
use crate::state::AppState;

pub async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<ChannelHealth>>> {
    let health = channel_health(state.store(), state.ingest.channels(), chrono::Utc::now()).await?;
    Ok(Json(health))
}
