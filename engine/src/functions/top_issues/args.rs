//! The arguments of `top_issues(start, end[, k])`: constant expressions
//! (literals, `TIMESTAMP '…'`, `now() - INTERVAL '7 days'`, date strings),
//! folded with the session's clock and cast to UTC microseconds.

use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::catalog::TableFunctionArgs;
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::logical_expr::Expr;
use datafusion::logical_expr::simplify::SimplifyContext;
use datafusion::optimizer::simplify_expressions::ExprSimplifier;

use voxlake_models::topics::IssueWindow;

/// Issues returned when `k` is not given.
const DEFAULT_K: usize = 10;
const MAX_K: i64 = 1000;

const USAGE: &str = "top_issues(start, end[, k]): start and end are timestamps or dates, k a positive integer";

/// What one call asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IssueQuery {
    pub window: IssueWindow,
    pub k: usize,
}

pub(crate) fn parse(args: &TableFunctionArgs) -> Result<IssueQuery> {
    let exprs = args.exprs();
    if !(2..=3).contains(&exprs.len()) {
        return plan_err!("{USAGE}; got {} arguments", exprs.len());
    }
    let context = SimplifyContext::builder()
        .with_query_execution_start_time(args.session().execution_props().query_execution_start_time)
        .build();
    let simplifier = ExprSimplifier::new(context);
    let constant = |e: &Expr| match simplifier.simplify(e.clone())? {
        Expr::Literal(value, _) => Ok(value),
        other => plan_err!("{USAGE}; `{other}` is not a constant"),
    };
    let start = micros(&constant(&exprs[0])?, "start")?;
    let end = micros(&constant(&exprs[1])?, "end")?;
    if end <= start {
        return plan_err!("{USAGE}; end must be after start");
    }
    let k = match exprs.get(2) {
        Some(e) => count(&constant(e)?)?,
        None => DEFAULT_K,
    };
    Ok(IssueQuery {
        window: IssueWindow {
            start_micros: start,
            end_micros: end,
        },
        k,
    })
}

/// A timestamp, date or date string as UTC microseconds.
fn micros(value: &ScalarValue, which: &str) -> Result<i64> {
    let target = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
    match value.cast_to(&target) {
        Ok(ScalarValue::TimestampMicrosecond(Some(us), _)) => Ok(us),
        _ => plan_err!("{USAGE}; {which} `{value}` is not a timestamp"),
    }
}

fn count(value: &ScalarValue) -> Result<usize> {
    match value.cast_to(&DataType::Int64) {
        Ok(ScalarValue::Int64(Some(k))) if (1..=MAX_K).contains(&k) => Ok(k as usize),
        _ => plan_err!("{USAGE}; k `{value}` must be between 1 and {MAX_K}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_strings_and_timestamps_become_utc_micros() {
        let day = 86_400_000_000;
        let expected = 20_339 * day; // 2025-09-08
        assert_eq!(
            micros(&ScalarValue::Utf8(Some("2025-09-08".into())), "start").ok(),
            Some(expected)
        );
        assert_eq!(micros(&ScalarValue::Date32(Some(20_339)), "start").ok(), Some(expected));
        let ts = ScalarValue::TimestampSecond(Some(expected / 1_000_000), Some("UTC".into()));
        assert_eq!(micros(&ts, "start").ok(), Some(expected));
        assert!(micros(&ScalarValue::Utf8(Some("last week".into())), "start").is_err());
        assert!(micros(&ScalarValue::Null, "start").is_err());
    }

    #[test]
    fn k_must_be_a_small_positive_integer() {
        assert_eq!(count(&ScalarValue::Int64(Some(3))).ok(), Some(3));
        assert_eq!(count(&ScalarValue::Int32(Some(1000))).ok(), Some(1000));
        for bad in [
            ScalarValue::Int64(Some(0)),
            ScalarValue::Int64(Some(1001)),
            ScalarValue::Int64(None),
        ] {
            assert!(count(&bad).is_err(), "{bad:?}");
        }
    }
}
