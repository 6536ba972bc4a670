//! `aspect_sentiment(text)` → list of struct {aspect, name, label, score,
//! evidence}: one entry per aspect per clause, in text order. Aspects come
//! from the `[[aspect]]` sections of the taxonomy file.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, Float64Builder, ListArray, StringBuilder, StructArray};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature};

use voxlake_models::aspects::{AspectSentiment, aspect_sentiment};
use voxlake_models::bundle::Models;

use super::args::{ModelsRef, evaluate, for_each_text, text_signature};

static FIELDS: LazyLock<Fields> = LazyLock::new(|| {
    Fields::from(vec![
        Field::new("aspect", DataType::Utf8, false),
        Field::new("name", DataType::Utf8, false),
        Field::new("label", DataType::Utf8, false),
        Field::new("score", DataType::Float64, false),
        Field::new("evidence", DataType::Utf8, false),
    ])
});

/// The list's item: one aspect judgement.
fn item() -> FieldRef {
    Arc::new(Field::new_list_field(DataType::Struct(FIELDS.clone()), true))
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct AspectSentimentUdf {
    models: ModelsRef,
    signature: Signature,
}

impl AspectSentimentUdf {
    pub fn new(models: Arc<Models>) -> Self {
        Self {
            models: ModelsRef(models),
            signature: text_signature(),
        }
    }

    fn aspects(&self, texts: &ArrayRef) -> Result<ArrayRef> {
        let mut items = Items::default();
        let mut lengths = Vec::with_capacity(texts.len());
        let mut valid = Vec::with_capacity(texts.len());
        for_each_text(texts, |text| {
            let found = text.map_or_else(Vec::new, |t| {
                aspect_sentiment(&self.models.taxonomy, &self.models.sentiment, t)
            });
            lengths.push(found.len());
            valid.push(text.is_some());
            found.iter().for_each(|a| items.push(a));
        })?;
        Ok(Arc::new(ListArray::try_new(
            item(),
            OffsetBuffer::from_lengths(lengths),
            items.finish()?,
            Some(NullBuffer::from(valid)),
        )?))
    }
}

/// The flattened entries of every row.
#[derive(Default)]
struct Items {
    aspect: StringBuilder,
    name: StringBuilder,
    label: StringBuilder,
    score: Float64Builder,
    evidence: StringBuilder,
}

impl Items {
    fn push(&mut self, a: &AspectSentiment) {
        self.aspect.append_value(&a.aspect);
        self.name.append_value(&a.name);
        self.label.append_value(a.label.as_str());
        self.score.append_value(f64::from(a.score));
        self.evidence.append_value(&a.evidence);
    }

    fn finish(mut self) -> Result<ArrayRef> {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.aspect.finish()),
            Arc::new(self.name.finish()),
            Arc::new(self.label.finish()),
            Arc::new(self.score.finish()),
            Arc::new(self.evidence.finish()),
        ];
        Ok(Arc::new(StructArray::try_new(FIELDS.clone(), columns, None)?))
    }
}

impl ScalarUDFImpl for AspectSentimentUdf {
    fn name(&self) -> &str {
        "aspect_sentiment"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::List(item()))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        evaluate(&args, |arrays| self.aspects(&arrays[0]))
    }
}
