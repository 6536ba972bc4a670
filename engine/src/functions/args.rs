//! What every text function shares: its signature, reading the text argument
//! whatever its string encoding, and scalar-in / scalar-out evaluation.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::types::{NativeType, logical_int64, logical_string};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, Signature, TypeSignature, Volatility};
use datafusion::logical_expr_common::signature::{Coercion, TypeSignatureClass};

use voxlake_models::bundle::Models;

/// The models a function was registered with. Two functions are equal when
/// they share the same loaded models (DataFusion compares function instances).
#[derive(Clone, Debug)]
pub(crate) struct ModelsRef(pub Arc<Models>);

impl PartialEq for ModelsRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for ModelsRef {}

impl Hash for ModelsRef {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.version().hash(state);
    }
}

impl std::ops::Deref for ModelsRef {
    type Target = Models;
    fn deref(&self) -> &Models {
        &self.0
    }
}

fn string() -> Coercion {
    Coercion::new_exact(TypeSignatureClass::Native(logical_string()))
}

fn integer() -> Coercion {
    Coercion::new_implicit(
        TypeSignatureClass::Native(logical_int64()),
        vec![TypeSignatureClass::Integer],
        NativeType::Int64,
    )
}

/// `f(text)`: any string type (Utf8, LargeUtf8, Utf8View) or NULL.
pub(crate) fn text_signature() -> Signature {
    Signature::coercible(vec![string()], Volatility::Immutable)
}

/// `f(text)` or `f(text, n)` with an integer `n`.
pub(crate) fn text_and_optional_count_signature() -> Signature {
    Signature::one_of(
        vec![
            TypeSignature::Coercible(vec![string()]),
            TypeSignature::Coercible(vec![string(), integer()]),
        ],
        Volatility::Immutable,
    )
}

/// Calls `f` with each text of `array` (`None` for null), in row order.
pub(crate) fn for_each_text(array: &ArrayRef, mut f: impl FnMut(Option<&str>)) -> Result<()> {
    match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().iter().for_each(f),
        DataType::LargeUtf8 => array.as_string::<i64>().iter().for_each(f),
        DataType::Utf8View => array.as_string_view().iter().for_each(f),
        DataType::Null => (0..array.len()).for_each(|_| f(None)),
        other => return exec_err!("expected a string argument, got {other}"),
    }
    Ok(())
}

/// Evaluates a function row-wise over its arguments as arrays: `build` gets
/// them all at the same length and returns the result column. When every
/// argument is a scalar the work is done once and a scalar is returned.
pub(crate) fn evaluate(
    args: &ScalarFunctionArgs,
    build: impl FnOnce(&[ArrayRef]) -> Result<ArrayRef>,
) -> Result<ColumnarValue> {
    let all_scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
    let rows = if all_scalar { 1 } else { args.number_rows };
    let arrays = args.args.iter().map(|a| a.to_array(rows)).collect::<Result<Vec<_>>>()?;
    let out = build(&arrays)?;
    if all_scalar {
        Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(&out, 0)?))
    } else {
        Ok(ColumnarValue::Array(out))
    }
}

/// The optional count argument at `index` for row `row`, clamped to `0..=max`;
/// `default` when the argument is absent, null for that row when it is null.
pub(crate) fn count_at(arrays: &[ArrayRef], index: usize, row: usize, default: usize, max: usize) -> Option<usize> {
    let Some(array) = arrays.get(index) else {
        return Some(default);
    };
    let counts = array.as_primitive_opt::<datafusion::arrow::datatypes::Int64Type>()?;
    counts
        .is_valid(row)
        .then(|| usize::try_from(counts.value(row).max(0)).unwrap_or(max).min(max))
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{Int64Array, LargeStringArray, NullArray, StringArray, StringViewArray};

    use super::*;

    fn collect(array: ArrayRef) -> Vec<Option<String>> {
        let mut out = Vec::new();
        for_each_text(&array, |t| out.push(t.map(str::to_owned))).expect("a string array");
        out
    }

    #[test]
    fn every_string_encoding_reads_the_same() {
        let want = vec![Some("好".to_owned()), None, Some(String::new())];
        let values = [Some("好"), None, Some("")];
        assert_eq!(collect(Arc::new(StringArray::from(values.to_vec()))), want);
        assert_eq!(collect(Arc::new(LargeStringArray::from(values.to_vec()))), want);
        assert_eq!(collect(Arc::new(StringViewArray::from(values.to_vec()))), want);
        assert_eq!(collect(Arc::new(NullArray::new(2))), vec![None, None]);
        let numbers: ArrayRef = Arc::new(Int64Array::from(vec![1]));
        assert!(for_each_text(&numbers, |_| {}).is_err());
    }

    #[test]
    fn counts_default_clamp_and_null() {
        let counts: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(vec!["a", "b", "c"])),
            Arc::new(Int64Array::from(vec![Some(-3), Some(1000), None])),
        ];
        assert_eq!(count_at(&counts[..1], 1, 0, 5, 100), Some(5), "absent: default");
        assert_eq!(count_at(&counts, 1, 0, 5, 100), Some(0));
        assert_eq!(count_at(&counts, 1, 1, 5, 100), Some(100));
        assert_eq!(count_at(&counts, 1, 2, 5, 100), None);
    }
}
