//! The dashboard library's one error type: what can go wrong talking to the
//! server, in terms the UI can act on (retry, ask for a key, point at a
//! position in the SQL).

/// Why a request to the Voxlake service did not produce a result.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("cannot reach the server at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("the server refused the API key (HTTP {status})")]
    Unauthorised { status: u16 },
    /// The server answered with its JSON error body.
    #[error("{message}")]
    Server { status: u16, code: String, message: String },
    #[error("the server's result could not be read: {0}")]
    Decode(String),
    #[error("cancelled")]
    Cancelled,
    #[error("too many queries waiting; try again")]
    Busy,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Whether the server is down or the URL is wrong (as opposed to a bad query).
    pub fn is_connection(&self) -> bool {
        matches!(self, Self::Unreachable { .. } | Self::Unauthorised { .. })
    }

    /// Whether the query failed because `name` (a function or column) does not
    /// exist on this server: the feature behind it is not deployed there yet.
    pub fn is_missing(&self, name: &str) -> bool {
        let Self::Server { message, .. } = self else {
            return false;
        };
        let message = message.to_lowercase();
        let name = name.to_lowercase();
        message.contains(&name) && (message.contains("not found") || message.contains("no field named"))
    }

    /// The 1-based (line, column) that an SQL error message points at, if any
    /// (DataFusion's parser says `… at Line: 1, Column: 8`).
    pub fn position(&self) -> Option<(usize, usize)> {
        let Self::Server { message, .. } = self else {
            return None;
        };
        let line = number_after(message, "Line: ")?;
        let column = number_after(message, "Column: ")?;
        Some((line, column))
    }
}

fn number_after(text: &str, marker: &str) -> Option<usize> {
    let start = text.rfind(marker)? + marker.len();
    let digits: String = text[start..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(message: &str) -> Error {
        Error::Server {
            status: 400,
            code: "sql_error".into(),
            message: message.into(),
        }
    }

    #[test]
    fn position_is_read_from_parser_messages() {
        let e = server("SQL error: ParserError(\"Expected: an SQL statement, found: SELEC at Line: 2, Column: 14\")");
        assert_eq!(e.position(), Some((2, 14)));
        assert_eq!(server("Schema error: No field named x").position(), None);
    }

    #[test]
    fn missing_features_are_recognised() {
        assert!(server("Error during planning: table function 'top_issues' not found").is_missing("top_issues"));
        assert!(server("Schema error: No field named sentiment_score.").is_missing("sentiment_score"));
        assert!(!server("Division by zero").is_missing("top_issues"));
    }
}
