//! `date_trunc(granularity, ts)`: DataFusion's function, with a fast path for UTC.
//!
//! DataFusion truncates a timestamp that carries a time zone one value at a
//! time through chrono (to local time, truncate, back to the zone), even when
//! the zone is UTC, where local time is the timestamp itself; a timestamp
//! without a zone is truncated with integer arithmetic, many times faster.
//! Every Voxlake time is UTC (`received_at`, `ingested_at`, …), so every
//! `GROUP BY date_trunc('day', received_at)` paid the slow path on every row
//! (most of the CPU of a dashboard's daily, weekly and monthly aggregates).
//!
//! This replaces the built-in under the same name: a UTC array is handed to
//! it without its zone and the zone is put back on the result — the same
//! answer, as UTC has neither an offset nor daylight saving time. Any other
//! input (other zones, no zone, scalars, times) goes to the built-in as is.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, make_array};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::Result;
use datafusion::functions::datetime::date_trunc::DateTruncFunc;
use datafusion::logical_expr::sort_properties::{ExprProperties, SortProperties};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDFImpl, Signature,
};

#[derive(Debug, Default, PartialEq, Eq, Hash)]
pub struct DateTruncUdf {
    builtin: DateTruncFunc,
}

impl DateTruncUdf {
    pub fn new() -> Self {
        Self::default()
    }
}

impl ScalarUDFImpl for DateTruncUdf {
    fn name(&self) -> &str {
        self.builtin.name()
    }

    fn aliases(&self) -> &[String] {
        self.builtin.aliases()
    }

    fn signature(&self) -> &Signature {
        self.builtin.signature()
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        self.builtin.return_type(arg_types)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        self.builtin.return_field_from_args(args)
    }

    fn output_ordering(&self, input: &[ExprProperties]) -> Result<SortProperties> {
        self.builtin.output_ordering(input)
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.builtin.documentation()
    }

    fn invoke_with_args(&self, mut args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let Some(zone) = utc_array_zone(&args) else {
            return self.builtin.invoke_with_args(args);
        };
        if let ColumnarValue::Array(array) = &args.args[1] {
            args.args[1] = ColumnarValue::Array(with_zone(array, None)?);
        }
        args.arg_fields[1] = without_zone(&args.arg_fields[1]);
        args.return_field = without_zone(&args.return_field);
        Ok(match self.builtin.invoke_with_args(args)? {
            ColumnarValue::Array(truncated) => ColumnarValue::Array(with_zone(&truncated, Some(zone))?),
            scalar => scalar,
        })
    }
}

/// The zone of the timestamp array argument when it is UTC.
fn utc_array_zone(args: &ScalarFunctionArgs) -> Option<Arc<str>> {
    let Some(ColumnarValue::Array(array)) = args.args.get(1) else {
        return None;
    };
    if args.arg_fields.len() != args.args.len() {
        return None;
    }
    match array.data_type() {
        DataType::Timestamp(_, Some(zone)) if is_utc(zone) => Some(Arc::clone(zone)),
        _ => None,
    }
}

/// Names of UTC itself; a named zone such as Europe/London is not UTC all year.
fn is_utc(zone: &str) -> bool {
    matches!(zone, "UTC" | "utc" | "Etc/UTC" | "+00:00" | "+0000" | "+00" | "Z")
}

/// `field` with its timestamp type stripped of the zone.
fn without_zone(field: &FieldRef) -> FieldRef {
    match field.data_type() {
        DataType::Timestamp(unit, Some(_)) => {
            Arc::new(Field::clone(field).with_data_type(DataType::Timestamp(*unit, None)))
        }
        _ => Arc::clone(field),
    }
}

/// The same values relabelled with `zone` (no copy of the data).
fn with_zone(array: &ArrayRef, zone: Option<Arc<str>>) -> Result<ArrayRef> {
    let DataType::Timestamp(unit, _) = array.data_type() else {
        return Ok(Arc::clone(array));
    };
    let relabelled = array
        .to_data()
        .into_builder()
        .data_type(DataType::Timestamp(*unit, zone))
        .build()?;
    Ok(make_array(relabelled))
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{Array, TimestampMicrosecondArray};
    use datafusion::common::ScalarValue;
    use datafusion::common::config::ConfigOptions;

    use super::*;

    fn truncate(udf: &dyn ScalarUDFImpl, granularity: &str, array: ArrayRef) -> ArrayRef {
        let field: FieldRef = Arc::new(Field::new("ts", array.data_type().clone(), true));
        let args = ScalarFunctionArgs {
            args: vec![
                ColumnarValue::Scalar(ScalarValue::Utf8(Some(granularity.into()))),
                ColumnarValue::Array(array),
            ],
            arg_fields: vec![Arc::new(Field::new("g", DataType::Utf8, false)), Arc::clone(&field)],
            number_rows: 4,
            return_field: field,
            config_options: Arc::new(ConfigOptions::default()),
        };
        match udf.invoke_with_args(args).unwrap() {
            ColumnarValue::Array(a) => a,
            ColumnarValue::Scalar(s) => s.to_array().unwrap(),
        }
    }

    #[test]
    fn utc_timestamps_truncate_as_the_builtin_does() {
        // 2024-02-29 23:59:59.999999, 1969-12-31 12:00, 2025-12-31 00:00, null
        let values = vec![
            Some(1_709_251_199_999_999),
            Some(-43_200_000_000),
            Some(1_767_139_200_000_000),
            None,
        ];
        for zone in ["UTC", "+00:00"] {
            let array: ArrayRef = Arc::new(TimestampMicrosecondArray::from(values.clone()).with_timezone(zone));
            for granularity in ["second", "minute", "hour", "day", "week", "month", "quarter", "year"] {
                let fast = truncate(&DateTruncUdf::new(), granularity, Arc::clone(&array));
                let builtin = truncate(&DateTruncFunc::new(), granularity, Arc::clone(&array));
                assert_eq!(fast.data_type(), builtin.data_type(), "{zone} {granularity}");
                assert_eq!(fast.to_data(), builtin.to_data(), "{zone} {granularity}");
            }
        }
    }

    #[test]
    fn other_zones_go_to_the_builtin() {
        let array: ArrayRef =
            Arc::new(TimestampMicrosecondArray::from(vec![Some(1_709_251_199_999_999)]).with_timezone("Asia/Shanghai"));
        let fast = truncate(&DateTruncUdf::new(), "day", Arc::clone(&array));
        let builtin = truncate(&DateTruncFunc::new(), "day", array);
        assert_eq!(fast.to_data(), builtin.to_data());
    }
}
