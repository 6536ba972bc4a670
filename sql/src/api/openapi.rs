//! `GET /openapi.json`: the OpenAPI 3.1 description of this API. The document
//! is written by hand beside the code (`sql/openapi.json`); the integration
//! tests send a request to every path it lists and check the answers against it.

use axum::http::header;
use axum::response::IntoResponse;

use crate::auth::Caller;

pub const DOCUMENT: &str = include_str!("../../openapi.json");

pub async fn get(_caller: Caller) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT)
}
