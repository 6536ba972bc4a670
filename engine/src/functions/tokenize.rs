//! `tokenize(text)` → the word tokens of each text, lowercase, punctuation
//! dropped: jieba for Chinese (with Voxlake's user dictionary), Unicode word
//! segmentation for English.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature};

use voxlake_models::bundle::Models;

use super::args::{ModelsRef, evaluate, for_each_text, text_signature};
use super::lists::{StringLists, string_list_type};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct TokenizeUdf {
    models: ModelsRef,
    signature: Signature,
}

impl TokenizeUdf {
    pub fn new(models: Arc<Models>) -> Self {
        Self {
            models: ModelsRef(models),
            signature: text_signature(),
        }
    }

    fn tokens(&self, texts: &ArrayRef) -> Result<ArrayRef> {
        let mut out = StringLists::with_capacity(texts.len());
        for_each_text(texts, |text| out.append(text.map(|t| self.models.tokenizer.tokens(t))))?;
        Ok(out.finish())
    }
}

impl ScalarUDFImpl for TokenizeUdf {
    fn name(&self) -> &str {
        "tokenize"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(string_list_type())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        evaluate(&args, |arrays| self.tokens(&arrays[0]))
    }
}
