//! Bodies that declare a length over the limit are refused before they are
//! sent: the 413 goes out without reading a byte, so a client that asked
//! `Expect: 100-continue` (curl does for bodies over 1 MB) never uploads it.
//! Bodies without a declared length are still cut off by axum's
//! `DefaultBodyLimit` as they stream in.

use axum::extract::{Request, State};
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

pub async fn refuse_declared_oversize(State(limit): State<usize>, request: Request, next: Next) -> Response {
    match declared_length(&request) {
        Some(length) if length > limit => ApiError::body_too_large(length, limit).into_response(),
        _ => next.run(request).await,
    }
}

fn declared_length(request: &Request) -> Option<usize> {
    request.headers().get(CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}
