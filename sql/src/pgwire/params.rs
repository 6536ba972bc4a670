//! Parameters of prepared statements (`$1`, `$2`, …): their types, inferred
//! from the plan when the driver prepares the statement, and their values,
//! decoded from the driver's text or binary encoding when it executes it.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{ParamValues, ScalarValue};
use datafusion::logical_expr::LogicalPlan;
use datafusion_postgres::arrow_pg::datatypes::df::deserialize_parameters_with_server_types;
use datafusion_postgres::arrow_pg::datatypes::into_pg_type;
use datafusion_postgres::pgwire::api::Type;
use datafusion_postgres::pgwire::api::portal::Portal;
use datafusion_postgres::pgwire::error::PgWireResult;

use super::errors::{code, error};

/// The parameters' types, in `$1`, `$2`, … order; `None` where the plan
/// does not tell (the driver's own type, or text, is used then).
pub fn types(plan: &LogicalPlan) -> PgWireResult<Vec<Option<DataType>>> {
    let types = plan
        .get_parameter_types()
        .map_err(|e| error(code::SYNTAX_OR_ACCESS, e.strip_backtrace().to_string()))?;
    let mut numbered: Vec<(u32, Option<DataType>)> = types
        .into_iter()
        .map(|(id, ty)| (id.trim_start_matches('$').parse().unwrap_or(u32::MAX), ty))
        .collect();
    numbered.sort_by_key(|(n, _)| *n);
    Ok(numbered.into_iter().map(|(_, ty)| ty).collect())
}

/// The types announced to the driver in `ParameterDescription`.
pub fn wire_types(types: &[Option<DataType>]) -> PgWireResult<Vec<Type>> {
    types
        .iter()
        .map(|ty| ty.as_ref().map_or(Ok(Type::UNKNOWN), into_pg_type))
        .collect()
}

/// The portal's parameter values, decoded with the types announced for them.
pub fn values<S: Clone>(portal: &Portal<S>, types: &[Option<DataType>]) -> PgWireResult<Vec<ScalarValue>> {
    let inferred: Vec<Option<&DataType>> = types.iter().map(Option::as_ref).collect();
    let wire = wire_types(types)?;
    let wire: Vec<Option<&Type>> = wire.iter().map(Some).collect();
    match deserialize_parameters_with_server_types(portal, &inferred, &wire)? {
        ParamValues::List(values) => Ok(values.into_iter().map(|v| v.value).collect()),
        ParamValues::Map(_) => Err(error(
            code::INVALID_PARAMETER,
            "named parameters are not supported; use $1, $2, …",
        )),
    }
}

#[cfg(test)]
mod tests {
    use datafusion::prelude::SessionContext;

    use super::*;

    #[tokio::test]
    async fn parameter_types_come_in_placeholder_order() {
        let ctx = SessionContext::new();
        let plan = ctx
            .state()
            .create_logical_plan("SELECT $2 + 1 AS a, $1 = 'x' AS b")
            .await
            .expect("plans");
        let types = types(&plan).expect("types");
        assert_eq!(types.len(), 2);
        assert_eq!(types[0], Some(DataType::Utf8));
        assert_eq!(types[1], Some(DataType::Int64));
        assert_eq!(wire_types(&types).expect("wire"), vec![Type::TEXT, Type::INT8]);
    }
}
