//! HTTP client of the Voxlake service: `POST /v1/sql` with an Arrow IPC
//! result, `GET /healthz`, the API key as a bearer token, and the mapping of
//! every failure onto [`Error`]. Blocking (ureq): it runs on worker threads,
//! never on the UI thread.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use arrow_ipc::reader::StreamReader;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::table::Table;

/// Results past this many rows are cut off (and marked truncated).
pub const MAX_RESULT_ROWS: usize = 1_000_000;
const MAX_RESULT_BYTES: u64 = 1 << 30;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const QUERY_TIMEOUT: Duration = Duration::from_secs(300);

/// Where the server is and how to authenticate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    pub url: String,
    pub api_key: Option<String>,
}

impl Default for Connection {
    fn default() -> Self {
        Self {
            url: crate::DEFAULT_SERVER_URL.to_owned(),
            api_key: None,
        }
    }
}

/// A blocking client of one server.
#[derive(Clone)]
pub struct Client {
    base: String,
    api_key: Option<String>,
    agent: ureq::Agent,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
}

impl Client {
    pub fn new(connection: &Connection) -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(QUERY_TIMEOUT))
            .build();
        Self {
            base: connection.url.trim().trim_end_matches('/').to_owned(),
            api_key: connection.api_key.clone().filter(|k| !k.trim().is_empty()),
            agent: config.into(),
        }
    }

    /// `GET /healthz`.
    pub fn health(&self) -> Result<()> {
        let request = self.authorise(self.agent.get(format!("{}/healthz", self.base)));
        let response = request.call().map_err(|e| self.unreachable(e))?;
        check_status(response).map(drop)
    }

    /// Run `sql`; batches are read until the end, `cancel` is set, or
    /// [`MAX_RESULT_ROWS`] is reached.
    pub fn query(&self, sql: &str, cancel: &AtomicBool) -> Result<Table> {
        let body = serde_json::json!({ "sql": sql, "format": "arrow" }).to_string();
        let request = self
            .authorise(self.agent.post(format!("{}/v1/sql", self.base)))
            .header("accept", "application/vnd.apache.arrow.stream")
            .content_type("application/json");
        let response = request.send(body).map_err(|e| self.unreachable(e))?;
        let reader = check_status(response)?
            .into_body()
            .into_with_config()
            .limit(MAX_RESULT_BYTES)
            .reader();
        read_arrow(reader, cancel)
    }

    fn authorise<B>(&self, request: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        match &self.api_key {
            Some(key) => request.header("authorization", format!("Bearer {}", key.trim())),
            None => request,
        }
    }

    fn unreachable(&self, e: ureq::Error) -> Error {
        Error::Unreachable {
            url: self.base.clone(),
            reason: e.to_string(),
        }
    }
}

/// Pass a 2xx response through; turn anything else into its [`Error`].
fn check_status(response: ureq::http::Response<ureq::Body>) -> Result<ureq::http::Response<ureq::Body>> {
    let status = response.status().as_u16();
    if response.status().is_success() {
        return Ok(response);
    }
    if status == 401 || (status == 403 && !is_json(&response)) {
        return Err(Error::Unauthorised { status });
    }
    let text = response.into_body().read_to_string().unwrap_or_default();
    Err(server_error(status, &text))
}

fn is_json(response: &ureq::http::Response<ureq::Body>) -> bool {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// The server's `{"error": {"code", "message"}}`; 403s other than
/// `read_only` are authorisation failures.
fn server_error(status: u16, text: &str) -> Error {
    match serde_json::from_str::<ErrorBody>(text) {
        Ok(body) if status == 403 && body.error.code != "read_only" => Error::Unauthorised { status },
        Ok(body) => Error::Server {
            status,
            code: body.error.code,
            message: body.error.message,
        },
        Err(_) => Error::Server {
            status,
            code: "http".to_owned(),
            message: format!("HTTP {status}: {}", text.trim()),
        },
    }
}

fn read_arrow(reader: impl Read, cancel: &AtomicBool) -> Result<Table> {
    let stream = StreamReader::try_new(reader, None).map_err(|e| Error::Decode(e.to_string()))?;
    let mut table = Table::empty(stream.schema());
    for batch in stream {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        table.push(batch.map_err(|e| Error::Decode(e.to_string()))?);
        if table.num_rows() >= MAX_RESULT_ROWS {
            table.truncated = true;
            break;
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_keep_code_and_message() {
        let e = server_error(400, r#"{"error":{"code":"sql_error","message":"No field named x"}}"#);
        assert_eq!(
            e,
            Error::Server {
                status: 400,
                code: "sql_error".into(),
                message: "No field named x".into()
            }
        );
    }

    #[test]
    fn forbidden_is_unauthorised_unless_read_only() {
        let read_only = server_error(403, r#"{"error":{"code":"read_only","message":"DDL not allowed"}}"#);
        assert!(matches!(read_only, Error::Server { .. }));
        let forbidden = server_error(403, r#"{"error":{"code":"forbidden","message":"bad key"}}"#);
        assert_eq!(forbidden, Error::Unauthorised { status: 403 });
    }

    #[test]
    fn unreachable_servers_are_connection_errors() {
        let client = Client::new(&Connection {
            url: "http://127.0.0.1:9".into(),
            api_key: None,
        });
        let e = client.query("SELECT 1", &AtomicBool::new(false)).err();
        assert!(e.is_some_and(|e| e.is_connection()));
    }
}
