//! The one error type of the HTTP API, mapped to a status and a JSON body in
//! exactly one place. 5xx responses hide internals; the details are logged.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::diagnose::{Position, SqlProblem};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// Stable, machine-readable: clients branch on this, never on the message.
    pub code: &'static str,
    pub message: String,
    /// Where in the SQL text the problem is, for SQL errors.
    pub position: Option<Position>,
    /// The closest existing name, when a table or column is unknown.
    pub suggestion: Option<String>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Detail<'a>,
}

#[derive(Serialize)]
struct Detail<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'a str>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            position: None,
            suggestion: None,
        }
    }

    /// A statement that could not be planned: 400 with its position and hint.
    pub fn sql(problem: SqlProblem) -> Self {
        Self {
            position: problem.position,
            suggestion: problem.suggestion,
            ..Self::bad_request("sql_error", problem.message)
        }
    }

    /// A body longer than the server accepts.
    pub fn body_too_large(length: usize, limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the body is {length} bytes; the limit is {limit} bytes"),
        )
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// A server-side failure: the client gets a generic message, the log the cause.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; see the server log",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: Detail {
                code: self.code,
                message: &self.message,
                line: self.position.map(|p| p.line),
                column: self.position.map(|p| p.column),
                suggestion: self.suggestion.as_deref(),
            },
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<voxlake_ingest::Error> for ApiError {
    fn from(e: voxlake_ingest::Error) -> Self {
        use voxlake_ingest::Error as E;
        match e {
            E::UnknownChannel { .. } => Self::new(StatusCode::NOT_FOUND, "unknown_channel", e.to_string()),
            E::Commit(_) | E::WriterStopped => {
                tracing::error!(error = %e, "ingest unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "not_stored",
                    "the records were not stored; retry the request",
                )
            }
            other => Self::internal(other),
        }
    }
}

impl From<axum::extract::rejection::BytesRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::BytesRejection) -> Self {
        let status = rejection.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "body_too_large"
        } else {
            "bad_body"
        };
        Self::new(status, code, rejection.body_text())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
