//! `sentiment_score(text)` → the sentiment score alone, in [-1, 1], for
//! aggregates such as `avg(sentiment_score(text))`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Float64Builder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature};

use voxlake_models::bundle::Models;

use super::args::{ModelsRef, evaluate, for_each_text, text_signature};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SentimentScoreUdf {
    models: ModelsRef,
    signature: Signature,
}

impl SentimentScoreUdf {
    pub fn new(models: Arc<Models>) -> Self {
        Self {
            models: ModelsRef(models),
            signature: text_signature(),
        }
    }

    fn scores(&self, texts: &ArrayRef) -> Result<ArrayRef> {
        let mut scores = Float64Builder::with_capacity(texts.len());
        for_each_text(texts, |text| {
            scores.append_option(text.map(|t| f64::from(self.models.sentiment.predict(t).score)));
        })?;
        Ok(Arc::new(scores.finish()))
    }
}

impl ScalarUDFImpl for SentimentScoreUdf {
    fn name(&self) -> &str {
        "sentiment_score"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        evaluate(&args, |arrays| self.scores(&arrays[0]))
    }
}
