//! `classify(text)` → struct {l1, l2, confidence, taxonomy_version}: where a
//! text falls in the company's two-level taxonomy (keywords and patterns,
//! blended with the supervised model when one was trained).

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
        Field::new("l1", DataType::Utf8, false),
        Field::new("l2", DataType::Utf8, true),
        Field::new("confidence", DataType::Float64, false),
        Field::new("taxonomy_version", DataType::Utf8, false),
    ])
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ClassifyUdf {
    models: ModelsRef,
    signature: Signature,
}

impl ClassifyUdf {
    pub fn new(models: Arc<Models>) -> Self {
        Self {
            models: ModelsRef(models),
            signature: text_signature(),
        }
    }

    fn classify(&self, texts: &ArrayRef) -> Result<ArrayRef> {
        let n = texts.len();
        let mut l1 = StringBuilder::with_capacity(n, n * 12);
        let mut l2 = StringBuilder::with_capacity(n, n * 20);
        let mut confidence = Float64Builder::with_capacity(n);
        let mut version = StringBuilder::with_capacity(n, n * 16);
        let mut valid = Vec::with_capacity(n);
        for_each_text(texts, |text| {
            let c = text.map(|t| self.models.taxonomy.classify(t));
            // Null rows get hidden placeholder values in the non-nullable children.
            l1.append_value(c.as_ref().map_or("", |c| &c.l1));
            l2.append_option(c.as_ref().and_then(|c| c.l2.as_deref()));
            confidence.append_value(c.as_ref().map_or(0.0, |c| f64::from(c.confidence)));
            version.append_value(c.as_ref().map_or("", |c| &c.taxonomy_version));
            valid.push(c.is_some());
        })?;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(l1.finish()),
            Arc::new(l2.finish()),
            Arc::new(confidence.finish()),
            Arc::new(version.finish()),
        ];
        Ok(Arc::new(StructArray::try_new(
            FIELDS.clone(),
            columns,
            Some(NullBuffer::from(valid)),
        )?))
    }
}

impl ScalarUDFImpl for ClassifyUdf {
    fn name(&self) -> &str {
        "classify"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Struct(FIELDS.clone()))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        evaluate(&args, |arrays| self.classify(&arrays[0]))
    }
}
