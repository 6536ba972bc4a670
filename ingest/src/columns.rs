//! Reading query results column by column, whatever string encoding
//! DataFusion chose (it reads Parquet strings as `Utf8View` by default).

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;

use crate::error::Result;

/// `array` as plain UTF-8 strings.
pub fn strings(array: &ArrayRef) -> Result<StringArray> {
    Ok(cast(array, &DataType::Utf8)?.as_string::<i32>().clone())
}

/// The value at `i`, or `None` when null.
pub fn opt_str(array: &StringArray, i: usize) -> Option<&str> {
    array.is_valid(i).then(|| array.value(i))
}
