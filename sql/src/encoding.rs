//! Result encodings, written batch by batch so a result is never held whole
//! in memory on the serving path.

use std::sync::Arc;

use bytes::Bytes;
use datafusion::arrow::csv::WriterBuilder as CsvWriterBuilder;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::ipc::writer::StreamWriter;
use datafusion::arrow::json::writer::{JsonArray, LineDelimited};
use datafusion::arrow::json::{ArrayWriter, LineDelimitedWriter, WriterBuilder as JsonWriterBuilder};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::error::Result;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `{"columns": [{"name", "type"}], "rows": [{…}, …]}`
    #[default]
    Json,
    Ndjson,
    Csv,
    /// Arrow IPC stream.
    Arrow,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Ndjson => "application/x-ndjson",
            Self::Csv => "text/csv; charset=utf-8",
            Self::Arrow => "application/vnd.apache.arrow.stream",
        }
    }

    /// The format an `Accept` header asks for, if it names one we speak.
    pub fn from_accept(accept: &str) -> Option<Self> {
        accept
            .split(',')
            .map(|part| part.split(';').next().unwrap_or("").trim())
            .find_map(|mime| match mime {
                "application/json" => Some(Self::Json),
                "application/x-ndjson" => Some(Self::Ndjson),
                "text/csv" => Some(Self::Csv),
                "application/vnd.apache.arrow.stream" => Some(Self::Arrow),
                _ => None,
            })
    }

    pub fn encoder(self, schema: SchemaRef) -> Box<dyn Encoder> {
        match self {
            Self::Json => Box::new(JsonEncoder {
                schema,
                rows_written: false,
            }),
            Self::Ndjson => Box::new(NdjsonEncoder),
            Self::Csv => Box::new(CsvEncoder { header: true }),
            Self::Arrow => Box::new(ArrowEncoder { schema }),
        }
    }
}

/// Turns a result into bytes: a prefix, one chunk per batch, a suffix.
pub trait Encoder: Send {
    fn start(&mut self) -> Result<Bytes>;
    fn batch(&mut self, batch: &RecordBatch) -> Result<Bytes>;
    fn finish(&mut self) -> Result<Bytes>;
}

struct JsonEncoder {
    schema: SchemaRef,
    rows_written: bool,
}

#[derive(Serialize)]
struct Column<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    data_type: String,
}

impl Encoder for JsonEncoder {
    fn start(&mut self) -> Result<Bytes> {
        let columns: Vec<Column<'_>> = self
            .schema
            .fields()
            .iter()
            .map(|f| Column {
                name: f.name(),
                data_type: f.data_type().to_string(),
            })
            .collect();
        let header =
            serde_json::to_string(&columns).map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))?;
        Ok(Bytes::from(format!("{{\"columns\":{header},\"rows\":[")))
    }

    fn batch(&mut self, batch: &RecordBatch) -> Result<Bytes> {
        if batch.num_rows() == 0 {
            return Ok(Bytes::new());
        }
        let mut out = Vec::new();
        {
            let mut writer: ArrayWriter<&mut Vec<u8>> = JsonWriterBuilder::new()
                .with_explicit_nulls(true)
                .build::<_, JsonArray>(&mut out);
            writer.write(batch)?;
            writer.finish()?;
        }
        // Each batch comes out as `[…]`: splice its elements into the one array.
        let inner = &out[1..out.len().saturating_sub(1)];
        let mut chunk = Vec::with_capacity(inner.len() + 1);
        if self.rows_written {
            chunk.push(b',');
        }
        chunk.extend_from_slice(inner);
        self.rows_written = true;
        Ok(Bytes::from(chunk))
    }

    fn finish(&mut self) -> Result<Bytes> {
        Ok(Bytes::from_static(b"]}\n"))
    }
}

struct NdjsonEncoder;

impl Encoder for NdjsonEncoder {
    fn start(&mut self) -> Result<Bytes> {
        Ok(Bytes::new())
    }

    fn batch(&mut self, batch: &RecordBatch) -> Result<Bytes> {
        let mut out = Vec::new();
        {
            let mut writer: LineDelimitedWriter<&mut Vec<u8>> = JsonWriterBuilder::new()
                .with_explicit_nulls(true)
                .build::<_, LineDelimited>(&mut out);
            writer.write(batch)?;
            writer.finish()?;
        }
        Ok(Bytes::from(out))
    }

    fn finish(&mut self) -> Result<Bytes> {
        Ok(Bytes::new())
    }
}

struct CsvEncoder {
    header: bool,
}

impl Encoder for CsvEncoder {
    fn start(&mut self) -> Result<Bytes> {
        Ok(Bytes::new())
    }

    fn batch(&mut self, batch: &RecordBatch) -> Result<Bytes> {
        let mut out = Vec::new();
        {
            let mut writer = CsvWriterBuilder::new().with_header(self.header).build(&mut out);
            writer.write(batch)?;
        }
        self.header = false;
        Ok(Bytes::from(out))
    }

    fn finish(&mut self) -> Result<Bytes> {
        Ok(Bytes::new())
    }
}

struct ArrowEncoder {
    schema: SchemaRef,
}

impl ArrowEncoder {
    fn with_writer(&self, f: impl FnOnce(&mut StreamWriter<&mut Vec<u8>>) -> Result<()>) -> Result<Bytes> {
        let mut out = Vec::new();
        let mut writer = StreamWriter::try_new(&mut out, &Arc::clone(&self.schema))?;
        f(&mut writer)?;
        drop(writer);
        Ok(Bytes::from(out))
    }
}

impl Encoder for ArrowEncoder {
    /// The IPC stream's schema message.
    fn start(&mut self) -> Result<Bytes> {
        self.with_writer(|_| Ok(()))
    }

    /// One record-batch message (the writer's own schema prefix is cut off).
    fn batch(&mut self, batch: &RecordBatch) -> Result<Bytes> {
        let schema_len = self.start()?.len();
        let all = self.with_writer(|w| Ok(w.write(batch)?))?;
        Ok(all.slice(schema_len..))
    }

    /// The end-of-stream marker.
    fn finish(&mut self) -> Result<Bytes> {
        Ok(Bytes::from_static(&[0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]))
    }
}

/// Encode a result stream as `format`, batch by batch.
pub fn encode_stream(
    format: Format,
    stream: datafusion::execution::SendableRecordBatchStream,
) -> impl futures::Stream<Item = Result<Bytes>> + Send {
    use futures::StreamExt;
    enum Stage {
        Start,
        Batches,
        Done,
    }
    let encoder = format.encoder(stream.schema());
    futures::stream::unfold(
        (Stage::Start, stream, encoder),
        |(stage, mut stream, mut encoder)| async move {
            match stage {
                Stage::Start => Some((encoder.start(), (Stage::Batches, stream, encoder))),
                Stage::Batches => match stream.next().await {
                    Some(batch) => Some((batch.and_then(|b| encoder.batch(&b)), (Stage::Batches, stream, encoder))),
                    None => Some((encoder.finish(), (Stage::Done, stream, encoder))),
                },
                Stage::Done => None,
            }
        },
    )
}
