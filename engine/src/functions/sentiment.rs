//! `sentiment(text)` → struct {label, score, language}: the shipped (or
//! retrained) sentiment model on each text.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, Float64Builder, StringBuilder, StructArray};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature};

use voxlake_models::bundle::Models;

use super::args::{ModelsRef, evaluate, for_each_text, text_signature};

static FIELDS: LazyLock<Fields> = LazyLock::new(|| {
    Fields::from(vec![
        Field::new("label", DataType::Utf8, false),
        Field::new("score", DataType::Float64, false),
        Field::new("language", DataType::Utf8, false),
    ])
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SentimentUdf {
    models: ModelsRef,
    signature: Signature,
}

impl SentimentUdf {
    pub fn new(models: Arc<Models>) -> Self {
        Self {
            models: ModelsRef(models),
            signature: text_signature(),
        }
    }
}

impl ScalarUDFImpl for SentimentUdf {
    fn name(&self) -> &str {
        "sentiment"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Struct(FIELDS.clone()))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        evaluate(&args, |arrays| self.sentiments(&arrays[0]))
    }
}

impl SentimentUdf {
    fn sentiments(&self, texts: &ArrayRef) -> Result<ArrayRef> {
        let n = texts.len();
        let (mut labels, mut scores, mut languages) = (
            StringBuilder::with_capacity(n, n * 8),
            Float64Builder::with_capacity(n),
            StringBuilder::with_capacity(n, n * 2),
        );
        let mut valid = Vec::with_capacity(n);
        for_each_text(texts, |text| {
            // A null row still needs a (hidden) value in each non-nullable child.
            let s = text.map(|t| self.models.sentiment.predict(t));
            labels.append_value(s.map_or("", |s| s.label.as_str()));
            scores.append_value(s.map_or(0.0, |s| f64::from(s.score)));
            languages.append_value(s.map_or("", |s| s.language.as_str()));
            valid.push(text.is_some());
        })?;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(labels.finish()),
            Arc::new(scores.finish()),
            Arc::new(languages.finish()),
        ];
        Ok(Arc::new(StructArray::try_new(
            FIELDS.clone(),
            columns,
            Some(NullBuffer::from(valid)),
        )?))
    }
}
