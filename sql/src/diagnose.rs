//! Turning DataFusion's planning errors into what an analyst can act on: the
//! line and column at fault, and for an unknown table or column the closest
//! name that does exist.

use datafusion::common::SchemaError;
use datafusion::error::DataFusionError;
use serde::Serialize;

/// A place in the SQL text, both counted from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: u64,
    pub column: u64,
}

/// Why a statement could not be planned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlProblem {
    pub message: String,
    pub position: Option<Position>,
    /// The existing name closest to an unknown table or column.
    pub suggestion: Option<String>,
}

impl std::fmt::Display for SqlProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(p) = self.position {
            write!(f, " (line {}, column {})", p.line, p.column)?;
        }
        Ok(())
    }
}

impl SqlProblem {
    /// A problem with no position, such as "send exactly one statement".
    pub fn plain(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            position: None,
            suggestion: None,
        }
    }

    /// Explain `error`, raised while planning a statement over `tables`.
    pub fn diagnose(error: &DataFusionError, tables: &[String]) -> Self {
        let message = error.strip_backtrace().to_string();
        let position = diagnostic_position(error).or_else(|| parser_position(&message));
        let suggestion = unknown_column(error).or_else(|| unknown_table(&message, tables));
        let message = match &suggestion {
            Some(name) if !message.contains("Did you mean") => format!("{message}. Did you mean `{name}`?"),
            _ => message,
        };
        Self {
            message,
            position,
            suggestion,
        }
    }
}

/// The span DataFusion attached to the error (when spans are collected).
fn diagnostic_position(error: &DataFusionError) -> Option<Position> {
    causes(error)
        .into_iter()
        .filter_map(DataFusionError::diagnostic)
        .find_map(|d| d.span)
        .filter(|span| span.start.line > 0)
        .map(|span| Position {
            line: span.start.line,
            column: span.start.column,
        })
}

/// sqlparser reports syntax errors as "… at Line: 3, Column: 14".
fn parser_position(message: &str) -> Option<Position> {
    let rest = &message[message.rfind("Line: ")? + "Line: ".len()..];
    let (line, rest) = rest.split_once(',')?;
    let column = rest.trim_start().strip_prefix("Column: ")?;
    let digits: String = column.chars().take_while(char::is_ascii_digit).collect();
    Some(Position {
        line: line.trim().parse().ok()?,
        column: digits.parse().ok()?,
    })
}

fn unknown_column(error: &DataFusionError) -> Option<String> {
    causes(error).into_iter().find_map(|e| match e {
        DataFusionError::SchemaError(schema_error, _) => match schema_error.as_ref() {
            SchemaError::FieldNotFound { field, valid_fields } => closest(
                field.name(),
                valid_fields
                    .iter()
                    .map(|c| c.name().to_owned())
                    .collect::<Vec<_>>()
                    .iter(),
            ),
            _ => None,
        },
        _ => None,
    })
}

/// The error and every error it wraps (contexts, diagnostics, collections).
fn causes(error: &DataFusionError) -> Vec<&DataFusionError> {
    let mut all = Vec::new();
    let mut queue = vec![error];
    while let Some(e) = queue.pop() {
        all.push(e);
        match e {
            DataFusionError::Context(_, inner) | DataFusionError::Diagnostic(_, inner) => queue.push(inner),
            DataFusionError::Collection(errors) => queue.extend(errors),
            _ => {}
        }
    }
    all
}

/// DataFusion says "table 'voxlake.public.feedbak' not found".
fn unknown_table(message: &str, tables: &[String]) -> Option<String> {
    let start = message.find("table '")? + "table '".len();
    let quoted = &message[start..];
    let name = &quoted[..quoted.find('\'')?];
    let bare = name.rsplit('.').next().unwrap_or(name);
    closest(bare, tables.iter())
}

/// The candidate within a typo's reach of `name`: at most a third of its
/// letters edited (at least one), best first.
fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a String>) -> Option<String> {
    let name = name.to_lowercase();
    let reach = (name.chars().count() / 3).max(1);
    candidates
        .map(|c| (strsim::levenshtein(&name, &c.to_lowercase()), c))
        .filter(|(distance, _)| (1..=reach).contains(distance))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn parser_positions_are_read_from_the_message() {
        let message = "SQL error: ParserError(\"Expected: end of statement, found: FORM at Line: 2, Column: 10\")";
        assert_eq!(parser_position(message), Some(Position { line: 2, column: 10 }));
        assert_eq!(parser_position("no position here"), None);
    }

    #[test]
    fn a_misspelt_table_gets_the_closest_name() {
        let tables = names(&["feedback", "ingest_rejects", "audit_log"]);
        let message = "Error during planning: table 'voxlake.public.feedbak' not found";
        assert_eq!(unknown_table(message, &tables), Some("feedback".to_owned()));
        let far = "Error during planning: table 'voxlake.public.orders' not found";
        assert_eq!(unknown_table(far, &tables), None);
    }

    #[test]
    fn closest_ignores_exact_and_distant_names() {
        let candidates = names(&["rating", "region", "channel"]);
        assert_eq!(closest("ratng", candidates.iter()), Some("rating".to_owned()));
        assert_eq!(closest("Region", candidates.iter()), None);
        assert_eq!(closest("sentiment", candidates.iter()), None);
    }
}
