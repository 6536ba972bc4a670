//! `keywords(text[, k])` → the `k` (default 5, at most 100) best keywords of
//! each text: TF-IDF over jieba tokens with the IDF of the models directory.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature};

use voxlake_models::bundle::Models;

use super::args::{ModelsRef, count_at, evaluate, for_each_text, text_and_optional_count_signature};
use super::lists::{StringLists, string_list_type};

const DEFAULT_K: usize = 5;
const MAX_K: usize = 100;

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct KeywordsUdf {
    models: ModelsRef,
    signature: Signature,
}

impl KeywordsUdf {
    pub fn new(models: Arc<Models>) -> Self {
        Self {
            models: ModelsRef(models),
            signature: text_and_optional_count_signature(),
        }
    }

    fn keywords(&self, arrays: &[ArrayRef]) -> Result<ArrayRef> {
        let mut out = StringLists::with_capacity(arrays[0].len());
        let mut row = 0;
        for_each_text(&arrays[0], |text| {
            let k = count_at(arrays, 1, row, DEFAULT_K, MAX_K);
            out.append(text.zip(k).map(|(t, k)| self.models.keywords.keywords(t, k)));
            row += 1;
        })?;
        Ok(out.finish())
    }
}

impl ScalarUDFImpl for KeywordsUdf {
    fn name(&self) -> &str {
        "keywords"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(string_list_type())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        evaluate(&args, |arrays| self.keywords(arrays))
    }
}
