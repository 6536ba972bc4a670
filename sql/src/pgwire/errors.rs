//! Errors as Postgres clients expect them: a SQLSTATE code they can branch
//! on and a message for the person. Mapped here, in one place, from the
//! service's own errors; internal failures are logged and hidden.

use datafusion_postgres::pgwire::api::{ClientInfo, ErrorHandler};
use datafusion_postgres::pgwire::error::{ErrorInfo, PgWireError};

use crate::query::QueryError;

/// SQLSTATE codes used by the Postgres port.
pub mod code {
    pub const INSUFFICIENT_PRIVILEGE: &str = "42501";
    pub const SYNTAX_ERROR: &str = "42601";
    pub const UNDEFINED_TABLE: &str = "42P01";
    pub const UNDEFINED_COLUMN: &str = "42703";
    pub const SYNTAX_OR_ACCESS: &str = "42000";
    pub const QUERY_CANCELED: &str = "57014";
    pub const INVALID_PARAMETER: &str = "22023";
    pub const DATA_EXCEPTION: &str = "22000";
    pub const DIVISION_BY_ZERO: &str = "22012";
    pub const OUT_OF_MEMORY: &str = "53200";
    pub const INTERNAL: &str = "XX000";
}

/// An `ERROR` (the connection stays usable) with `code`.
pub fn error(code: &str, message: impl Into<String>) -> PgWireError {
    PgWireError::UserError(Box::new(ErrorInfo::new("ERROR".into(), code.into(), message.into())))
}

/// A `FATAL` error: the server closes the connection after sending it.
pub fn fatal(code: &str, message: impl Into<String>) -> PgWireError {
    PgWireError::UserError(Box::new(ErrorInfo::new("FATAL".into(), code.into(), message.into())))
}

/// DDL, DML, COPY and the like: SQL over the Postgres port is read-only.
pub fn refused(what: &str) -> PgWireError {
    error(
        code::INSUFFICIENT_PRIVILEGE,
        format!(
            "{what} is not allowed: Voxlake SQL is read-only (SELECT, WITH, EXPLAIN, SHOW and DESCRIBE); \
             feedback is written through ingest"
        ),
    )
}

pub fn from_query(e: QueryError) -> PgWireError {
    match e {
        QueryError::NotReadOnly(message) => error(code::INSUFFICIENT_PRIVILEGE, message),
        QueryError::Plan(problem) => {
            let message = problem.to_string();
            let mut info = ErrorInfo::new("ERROR".into(), plan_error_code(&message).into(), message);
            info.hint = problem.suggestion.map(|name| format!("did you mean \"{name}\"?"));
            PgWireError::UserError(Box::new(info))
        }
        QueryError::Engine(e) => internal(e),
    }
}

/// A query that failed while running (its rows were already on their way):
/// bad data for a cast or a division, or the memory limit.
pub fn execution(message: String) -> PgWireError {
    let code = if message.contains("Resources exhausted") {
        code::OUT_OF_MEMORY
    } else if message.contains("Divide by zero") {
        code::DIVISION_BY_ZERO
    } else {
        code::DATA_EXCEPTION
    };
    error(code, message)
}

/// A server-side failure: the client gets a generic message, the log the cause.
pub fn internal(cause: impl std::fmt::Display) -> PgWireError {
    tracing::error!(error = %cause, "internal error on the Postgres port");
    error(code::INTERNAL, "internal error; see the server log")
}

/// The SQLSTATE class of a planning error, from DataFusion's message (it has
/// no codes of its own); clients mostly show the message, some branch on these.
fn plan_error_code(message: &str) -> &'static str {
    if message.contains("ParserError") || message.contains("sql parser error") {
        code::SYNTAX_ERROR
    } else if message.contains("table") && message.contains("not found") {
        code::UNDEFINED_TABLE
    } else if message.contains("No field named") {
        code::UNDEFINED_COLUMN
    } else if message.contains("Divide by zero") {
        // Constant expressions are folded, and fail, while planning.
        code::DIVISION_BY_ZERO
    } else {
        code::SYNTAX_OR_ACCESS
    }
}

/// The SQLSTATE of an error about to be sent, for the audit log.
pub fn sqlstate(error: &PgWireError) -> String {
    match error {
        PgWireError::UserError(info) => info.code.clone(),
        PgWireError::QueryCanceled => code::QUERY_CANCELED.to_owned(),
        _ => code::INTERNAL.to_owned(),
    }
}

/// The message a person reads, without the wrapper's prefix.
pub fn message(error: &PgWireError) -> String {
    match error {
        PgWireError::UserError(info) => info.message.clone(),
        other => other.to_string(),
    }
}

/// The HTTP status the same failure would have had, so that the audit log
/// reads the same whichever port a query came through.
pub fn audit_status(sqlstate: &str) -> u16 {
    match sqlstate {
        code::INSUFFICIENT_PRIVILEGE => 403,
        code::QUERY_CANCELED => 408,
        code::INTERNAL => 500,
        _ => 400,
    }
}

/// Logs what is sent to clients, at debug level: these are the clients'
/// errors (bad SQL, refused statements), already audited where they matter.
pub struct LogErrors;

impl ErrorHandler for LogErrors {
    fn on_error<C: ClientInfo>(&self, client: &C, error: &mut PgWireError) {
        tracing::debug!(peer = %client.socket_addr(), %error, "error sent to a Postgres client");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::SqlProblem;

    #[test]
    fn planning_errors_get_the_closest_sqlstate() {
        let cases = [
            ("SQL error: ParserError(\"Expected: end of statement\")", "42601"),
            ("Error during planning: table 'voxlake.public.nope' not found", "42P01"),
            ("Schema error: No field named nope.", "42703"),
            (
                "Optimizer rule 'simplify_expressions' failed: Arrow error: Divide by zero error",
                "22012",
            ),
            ("Error during planning: something else", "42000"),
        ];
        for (message, expected) in cases {
            let e = from_query(QueryError::Plan(SqlProblem::plain(message.to_owned())));
            assert_eq!(sqlstate(&e), expected, "{message}");
        }
    }

    #[test]
    fn execution_errors_are_data_exceptions_or_out_of_memory() {
        let code_of = |m: &str| sqlstate(&execution(m.to_owned()));
        assert_eq!(code_of("Arrow error: Divide by zero error"), "22012");
        assert_eq!(code_of("Resources exhausted: Failed to allocate"), "53200");
        assert_eq!(code_of("Arrow error: Cast error: Cannot cast string 'x'"), "22000");
    }

    #[test]
    fn refusals_are_insufficient_privilege_and_say_why() {
        let e = refused("CREATE TABLE");
        assert_eq!(sqlstate(&e), "42501");
        assert!(
            message(&e).starts_with("CREATE TABLE is not allowed"),
            "{}",
            message(&e)
        );
        assert_eq!(audit_status("42501"), 403);
        assert_eq!(audit_status("42601"), 400);
    }
}
