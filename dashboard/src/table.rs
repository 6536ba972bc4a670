//! A query result as it arrived: Arrow record batches, with cell accessors by
//! column name and global row index for the pages, and display formatting
//! for the grids. Batches are kept as they are (no copy into rows), so a
//! 100k-row result costs what its Arrow buffers cost.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type, UInt32Type,
    UInt64Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{DataType, SchemaRef, TimeUnit};
use chrono::{DateTime, Utc};

/// A decoded result.
#[derive(Clone, Debug)]
pub struct Table {
    pub schema: SchemaRef,
    batches: Vec<RecordBatch>,
    /// Row index at which each batch starts.
    starts: Vec<usize>,
    rows: usize,
    /// The server had more rows than the client kept.
    pub truncated: bool,
}

impl Table {
    pub fn empty(schema: SchemaRef) -> Self {
        Self {
            schema,
            batches: Vec::new(),
            starts: Vec::new(),
            rows: 0,
            truncated: false,
        }
    }

    pub fn push(&mut self, batch: RecordBatch) {
        if batch.num_rows() == 0 {
            return;
        }
        self.starts.push(self.rows);
        self.rows += batch.num_rows();
        self.batches.push(batch);
    }

    pub fn num_rows(&self) -> usize {
        self.rows
    }

    pub fn batches(&self) -> &[RecordBatch] {
        &self.batches
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.schema.index_of(name).ok()
    }

    /// The array and offset in it that hold `row` of column `column`.
    fn cell(&self, column: usize, row: usize) -> Option<(&ArrayRef, usize)> {
        let batch = self.starts.partition_point(|&start| start <= row).checked_sub(1)?;
        let array = self.batches.get(batch)?.columns().get(column)?;
        let offset = row - self.starts[batch];
        (offset < array.len() && array.is_valid(offset)).then_some((array, offset))
    }

    /// A number, whatever its integer or float type; `None` for NULL.
    pub fn f64(&self, name: &str, row: usize) -> Option<f64> {
        let (array, i) = self.cell(self.column_index(name)?, row)?;
        number(array, i)
    }

    pub fn i64(&self, name: &str, row: usize) -> Option<i64> {
        self.f64(name, row).map(|v| v as i64)
    }

    /// Text as shown to users: strings as they are, anything else formatted.
    pub fn text(&self, name: &str, row: usize) -> Option<String> {
        self.display(self.column_index(name)?, row)
    }

    /// The cell formatted for display; `None` for NULL.
    pub fn display(&self, column: usize, row: usize) -> Option<String> {
        let (array, i) = self.cell(column, row)?;
        if let Some(strings) = array.as_string_opt::<i32>() {
            return Some(strings.value(i).to_owned());
        }
        if let Some(strings) = array.as_string_view_opt() {
            return Some(strings.value(i).to_owned());
        }
        if let DataType::Timestamp(..) = array.data_type() {
            return timestamp_micros(array, i)
                .and_then(DateTime::from_timestamp_micros)
                .map(|t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string());
        }
        let options = FormatOptions::default();
        ArrayFormatter::try_new(array.as_ref(), &options)
            .ok()
            .map(|f| f.value(i).to_string())
    }

    /// A timestamp (any unit) as UTC.
    pub fn timestamp(&self, name: &str, row: usize) -> Option<DateTime<Utc>> {
        let (array, i) = self.cell(self.column_index(name)?, row)?;
        DateTime::from_timestamp_micros(timestamp_micros(array, i)?)
    }

    /// Whether column `name` is NULL in every row (or absent).
    pub fn all_null(&self, name: &str) -> bool {
        let Some(column) = self.column_index(name) else {
            return true;
        };
        self.batches
            .iter()
            .all(|b| b.column(column).null_count() == b.num_rows())
    }
}

/// Microseconds since the epoch of a timestamp of any unit (shown in UTC:
/// formatting named zones would need the tz database in the client).
fn timestamp_micros(array: &ArrayRef, i: usize) -> Option<i64> {
    Some(match array.data_type() {
        DataType::Timestamp(TimeUnit::Second, _) => array.as_primitive::<TimestampSecondType>().value(i) * 1_000_000,
        DataType::Timestamp(TimeUnit::Millisecond, _) => {
            array.as_primitive::<TimestampMillisecondType>().value(i) * 1_000
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => array.as_primitive::<TimestampMicrosecondType>().value(i),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            array.as_primitive::<TimestampNanosecondType>().value(i) / 1_000
        }
        _ => return None,
    })
}

fn number(array: &ArrayRef, i: usize) -> Option<f64> {
    Some(match array.data_type() {
        DataType::Float64 => array.as_primitive::<Float64Type>().value(i),
        DataType::Float32 => f64::from(array.as_primitive::<Float32Type>().value(i)),
        DataType::Int64 => array.as_primitive::<Int64Type>().value(i) as f64,
        DataType::Int32 => f64::from(array.as_primitive::<Int32Type>().value(i)),
        DataType::Int16 => f64::from(array.as_primitive::<Int16Type>().value(i)),
        DataType::Int8 => f64::from(array.as_primitive::<Int8Type>().value(i)),
        DataType::UInt64 => array.as_primitive::<UInt64Type>().value(i) as f64,
        DataType::UInt32 => f64::from(array.as_primitive::<UInt32Type>().value(i)),
        DataType::UInt16 => f64::from(array.as_primitive::<UInt16Type>().value(i)),
        DataType::UInt8 => f64::from(array.as_primitive::<UInt8Type>().value(i)),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{Float64Array, Int64Array, StringArray};
    use arrow_schema::{Field, Schema};

    use super::*;

    fn table() -> Table {
        let schema = Arc::new(Schema::new(vec![
            Field::new("n", DataType::Int64, true),
            Field::new("s", DataType::Utf8, true),
            Field::new("x", DataType::Float64, true),
        ]));
        let mut table = Table::empty(Arc::clone(&schema));
        for (n, s) in [(vec![Some(1), None], vec!["a", "b"]), (vec![Some(3)], vec!["c"])] {
            let len = n.len();
            let columns: Vec<ArrayRef> = vec![
                Arc::new(Int64Array::from(n)),
                Arc::new(StringArray::from(s)),
                Arc::new(Float64Array::from(vec![None::<f64>; len])),
            ];
            table.push(RecordBatch::try_new(Arc::clone(&schema), columns).expect("batch"));
        }
        table
    }

    #[test]
    fn cells_are_found_across_batches() {
        let t = table();
        assert_eq!(t.num_rows(), 3);
        assert_eq!(t.i64("n", 0), Some(1));
        assert_eq!(t.i64("n", 1), None);
        assert_eq!(t.i64("n", 2), Some(3));
        assert_eq!(t.text("s", 2).as_deref(), Some("c"));
        assert_eq!(t.text("s", 3), None);
        assert_eq!(t.display(0, 2).as_deref(), Some("3"));
    }

    #[test]
    fn null_columns_are_recognised() {
        let t = table();
        assert!(t.all_null("x"));
        assert!(!t.all_null("n"));
        assert!(t.all_null("absent"));
    }
}
