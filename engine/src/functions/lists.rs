//! Building `List<Utf8>` results (keywords, tokens) row by row.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, ListBuilder, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field};

/// The type of a list of strings as these functions return it.
pub(crate) fn string_list_type() -> DataType {
    DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)))
}

/// Appends rows of strings; `None` is a null row.
pub(crate) struct StringLists(ListBuilder<StringBuilder>);

impl StringLists {
    pub fn with_capacity(rows: usize) -> Self {
        Self(ListBuilder::with_capacity(StringBuilder::new(), rows))
    }

    pub fn append(&mut self, row: Option<Vec<String>>) {
        match row {
            Some(items) => {
                items.iter().for_each(|s| self.0.values().append_value(s));
                self.0.append(true);
            }
            None => self.0.append(false),
        }
    }

    pub fn finish(mut self) -> ArrayRef {
        Arc::new(self.0.finish())
    }
}
