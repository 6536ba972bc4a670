//! What a statement is, before anything runs: a query (planned read-only in
//! a fresh session), one of the session statements every driver sends on its
//! own (answered without touching data), or something that writes, which is
//! refused by name. The engine's read-only planning is still the guard that
//! counts; this only lets clients get a clear answer for statements the
//! engine cannot even plan (COPY FROM STDIN, TRUNCATE, GRANT, …).

use datafusion::sql::sqlparser::ast::Statement;
use datafusion_postgres::datafusion_pg_catalog::sql::PostgresCompatibilityParser;
use datafusion_postgres::pgwire::error::PgWireResult;

use super::errors::{code, error};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Reads tables: SELECT, WITH, VALUES, EXPLAIN, DESCRIBE, SHOW TABLES/COLUMNS.
    Query,
    /// SET, SHOW of a setting, BEGIN, COMMIT, ROLLBACK, DISCARD, DEALLOCATE.
    Session,
    /// Everything else: DDL, DML, COPY, GRANT, …
    Refused,
}

pub fn classify(statement: &Statement) -> Kind {
    use Statement as S;
    match statement {
        S::Query(_)
        | S::Explain { .. }
        | S::ExplainTable { .. }
        | S::ShowTables { .. }
        | S::ShowColumns { .. }
        | S::ShowFunctions { .. } => Kind::Query,
        S::Set(_)
        | S::ShowVariable { .. }
        | S::ShowVariables { .. }
        | S::ShowStatus { .. }
        | S::ShowCatalogs { .. }
        | S::StartTransaction { .. }
        | S::Commit { .. }
        | S::Rollback { .. }
        | S::Discard { .. }
        | S::Deallocate { .. } => Kind::Session,
        _ => Kind::Refused,
    }
}

/// The statement's leading keywords, to name it in a refusal ("COPY", "CREATE TABLE").
pub fn verb(statement: &Statement) -> String {
    let text = statement.to_string();
    let words: Vec<&str> = text.split_whitespace().take(2).collect();
    match words.as_slice() {
        [first, second] if matches!(*first, "CREATE" | "DROP" | "ALTER") => format!("{first} {second}"),
        [first, ..] => (*first).to_owned(),
        [] => "this statement".to_owned(),
    }
}

/// Parse with the Postgres dialect, rewriting the Postgres-only constructs
/// drivers and GUI clients send (`::regclass`, `pg_catalog.` functions, …)
/// into what DataFusion plans.
pub fn parse(sql: &str) -> PgWireResult<Vec<Statement>> {
    PostgresCompatibilityParser::new()
        .parse(sql)
        .map_err(|e| error(code::SYNTAX_ERROR, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(sql: &str) -> Kind {
        let statements = parse(sql).expect("parses");
        classify(&statements[0])
    }

    #[test]
    fn reads_run_session_statements_are_answered_and_the_rest_is_refused() {
        for sql in [
            "SELECT 1",
            "WITH a AS (SELECT 1) SELECT * FROM a",
            "EXPLAIN SELECT 1",
            "SHOW TABLES",
        ] {
            assert_eq!(kind(sql), Kind::Query, "{sql}");
        }
        for sql in [
            "SET search_path = public",
            "SHOW TIME ZONE",
            "BEGIN",
            "COMMIT",
            "ROLLBACK",
        ] {
            assert_eq!(kind(sql), Kind::Session, "{sql}");
        }
        for sql in [
            "CREATE TABLE t (a INT)",
            "DROP TABLE feedback",
            "INSERT INTO feedback (text) VALUES ('x')",
            "UPDATE feedback SET text = 'x'",
            "DELETE FROM feedback",
            "TRUNCATE feedback",
            "COPY feedback FROM STDIN",
            "COPY feedback TO STDOUT",
            "GRANT SELECT ON feedback TO bob",
        ] {
            assert_eq!(kind(sql), Kind::Refused, "{sql}");
        }
    }

    #[test]
    fn refusals_name_the_statement() {
        let statements = parse("create table t (a int); copy feedback to stdout").expect("parses");
        assert_eq!(verb(&statements[0]), "CREATE TABLE");
        assert_eq!(verb(&statements[1]), "COPY");
    }
}
