//! `GET /v1/channels`: each channel's health.

use axum::Json;
use axum::extract::State;

use voxlake_ingest::health::{ChannelHealth, channel_health};

use crate::auth::{Caller, Role};
use crate::error::ApiResult;
use crate::state::AppState;

pub async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<ChannelHealth>>> {
    caller.require(
        |r| matches!(r, Role::Admin | Role::Analyst | Role::Manager),
        "read channel health",
    )?;
    let health = channel_health(state.store(), state.ingest.channels(), chrono::Utc::now()).await?;
    Ok(Json(health))
}
