//! `GET /v1/tables` and `GET /v1/tables/{name}`: the tables the caller may
//! query, with schema, row count, partitions, size and latest version, read
//! from the table logs (no data is scanned).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use voxlake_ingest::tables::{TABLES, TableInfo, describe};

use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<TableInfo>>> {
    caller.require(Role::can_query, "list tables")?;
    let mut tables = Vec::new();
    for name in visible(&caller) {
        if let Some(info) = describe(state.store(), name).await? {
            tables.push(info);
        }
    }
    Ok(Json(tables))
}

pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> ApiResult<Json<TableInfo>> {
    caller.require(Role::can_query, "describe tables")?;
    let not_found = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_table",
            format!("no table `{name}`; tables: {}", visible(&caller).join(", ")),
        )
    };
    if !visible(&caller).contains(&name.as_str()) {
        return Err(not_found());
    }
    describe(state.store(), &name).await?.map(Json).ok_or_else(not_found)
}

/// The tables the caller's role may see, in catalogue order.
fn visible(caller: &Caller) -> Vec<&'static str> {
    let Some(access) = caller.role().table_access(caller.key.agent_id.as_deref()) else {
        return Vec::new();
    };
    TABLES.into_iter().filter(|t| access.allows(t)).collect()
}
