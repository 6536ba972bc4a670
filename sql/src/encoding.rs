//! Result encodings, written batch by batch so a result is never held whole
//! in memory on the serving path.

use std::sync::Arc;

use bytes::Bytes;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::csv::WriterBuilder as CsvWriterBuilder;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::arrow::ipc::writer::StreamWriter;
use datafusion::arrow::json::writer::{JsonArray, LineDelimited};
use datafusion::arrow::json::{ArrayWriter, LineDelimitedWriter, WriterBuilder as JsonWriterBuilder};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::error::{DataFusionError, Result};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::{Compression, ZstdLevel};
use datafusion::parquet::file::properties::WriterProperties;
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
    /// A zstd-compressed Parquet file, written as row groups fill.
    Parquet,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Ndjson => "application/x-ndjson",
            Self::Csv => "text/csv; charset=utf-8",
            Self::Arrow => "application/vnd.apache.arrow.stream",
            Self::Parquet => "application/vnd.apache.parquet",
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
                "application/vnd.apache.parquet" => Some(Self::Parquet),
                _ => None,
            })
    }

    pub fn encoder(self, schema: SchemaRef) -> Result<Box<dyn Encoder>> {
        Ok(match self {
            Self::Json => Box::new(JsonEncoder {
                schema,
                rows_written: false,
            }),
            Self::Ndjson => Box::new(NdjsonEncoder),
            Self::Csv => Box::new(CsvEncoder { header: true }),
            Self::Arrow => Box::new(ArrowEncoder { schema }),
            Self::Parquet => Box::new(ParquetEncoder::new(schema)?),
        })
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
            writer.write(&flatten_nested(batch)?)?;
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
        let batch = compact_views(batch)?;
        let all = self.with_writer(|w| Ok(w.write(&batch)?))?;
        Ok(all.slice(schema_len..))
    }

    /// The end-of-stream marker.
    fn finish(&mut self) -> Result<Bytes> {
        Ok(Bytes::from_static(&[0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]))
    }
}

/// CSV has no lists or structs (arrow's writer refuses them mid-stream): such
/// columns are written as their display text, e.g. `[退款, 物流]` or
/// `{label: negative, score: -0.8}`.
fn flatten_nested(batch: &RecordBatch) -> Result<RecordBatch> {
    let nested = |t: &DataType| t.is_nested();
    if !batch.schema().fields().iter().any(|f| nested(f.data_type())) {
        return Ok(batch.clone());
    }
    let options = FormatOptions::default().with_null("");
    let mut fields = Vec::with_capacity(batch.num_columns());
    let mut columns = Vec::with_capacity(batch.num_columns());
    for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
        if !nested(field.data_type()) {
            fields.push(Arc::clone(field));
            columns.push(Arc::clone(column));
            continue;
        }
        let formatter = ArrayFormatter::try_new(column.as_ref(), &options)?;
        let text: StringArray = (0..column.len())
            .map(|i| column.is_valid(i).then(|| formatter.value(i).to_string()))
            .collect();
        fields.push(Arc::new(Field::new(field.name(), DataType::Utf8, true)));
        columns.push(Arc::new(text) as ArrayRef);
    }
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)?)
}

/// String views point into the buffers they were decoded from, and IPC sends
/// those buffers whole: 100 rows picked out of a scan would carry megabytes
/// of other rows' text. Copying the viewed strings into fresh buffers first
/// sends only what the rows hold.
fn compact_views(batch: &RecordBatch) -> Result<RecordBatch> {
    let columns = batch
        .columns()
        .iter()
        .map(|column| match column.as_string_view_opt() {
            Some(views) => Arc::new(views.gc()) as ArrayRef,
            None => Arc::clone(column),
        })
        .collect();
    Ok(RecordBatch::try_new(batch.schema(), columns)?)
}

/// Parquet needs its footer before a reader can use it, but the row groups
/// before it are final once written: each is sent as soon as it is flushed, so
/// only one row group is ever held.
struct ParquetEncoder {
    writer: Option<ArrowWriter<Vec<u8>>>,
}

impl ParquetEncoder {
    fn new(schema: SchemaRef) -> Result<Self> {
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .build();
        let writer = ArrowWriter::try_new(Vec::new(), schema, Some(properties))?;
        Ok(Self { writer: Some(writer) })
    }

    fn writer(&mut self) -> Result<&mut ArrowWriter<Vec<u8>>> {
        self.writer
            .as_mut()
            .ok_or_else(|| DataFusionError::Internal("Parquet result already finished".to_owned()))
    }
}

impl Encoder for ParquetEncoder {
    fn start(&mut self) -> Result<Bytes> {
        Ok(Bytes::new())
    }

    /// Taking the written bytes out of the buffer is safe: the writer counts
    /// offsets itself and never reads back what it wrote.
    fn batch(&mut self, batch: &RecordBatch) -> Result<Bytes> {
        let writer = self.writer()?;
        writer.write(batch)?;
        Ok(Bytes::from(std::mem::take(writer.inner_mut())))
    }

    fn finish(&mut self) -> Result<Bytes> {
        let writer = self
            .writer
            .take()
            .ok_or_else(|| DataFusionError::Internal("Parquet result already finished".to_owned()))?;
        Ok(Bytes::from(writer.into_inner()?))
    }
}

/// Run one encoder step on the blocking pool: encoding is CPU work that must
/// not stall the runtime's other requests.
async fn off_runtime(
    mut encoder: Box<dyn Encoder>,
    step: impl FnOnce(&mut dyn Encoder) -> Result<Bytes> + Send + 'static,
) -> (Box<dyn Encoder>, Result<Bytes>) {
    match tokio::task::spawn_blocking(move || {
        let out = step(encoder.as_mut());
        (encoder, out)
    })
    .await
    {
        Ok(done) => done,
        Err(e) => (Box::new(Broken(None)), Err(DataFusionError::External(Box::new(e)))),
    }
}

/// An encoder that could not be created (its first step reports why) or
/// whose step panicked (every further step fails).
struct Broken(Option<DataFusionError>);

impl Encoder for Broken {
    fn start(&mut self) -> Result<Bytes> {
        Err(self
            .0
            .take()
            .unwrap_or_else(|| DataFusionError::Internal("result encoder failed".to_owned())))
    }
    fn batch(&mut self, _: &RecordBatch) -> Result<Bytes> {
        self.start()
    }
    fn finish(&mut self) -> Result<Bytes> {
        self.start()
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
    let encoder: Box<dyn Encoder> = match format.encoder(stream.schema()) {
        Ok(encoder) => encoder,
        Err(e) => Box::new(Broken(Some(e))),
    };
    futures::stream::unfold(
        (Stage::Start, stream, encoder),
        |(stage, mut stream, encoder)| async move {
            match stage {
                Stage::Start => {
                    let (encoder, out) = off_runtime(encoder, |e| e.start()).await;
                    let next = if out.is_ok() { Stage::Batches } else { Stage::Done };
                    Some((out, (next, stream, encoder)))
                }
                Stage::Batches => match stream.next().await {
                    Some(Ok(batch)) => {
                        let (encoder, out) = off_runtime(encoder, move |e| e.batch(&batch)).await;
                        let next = if out.is_ok() { Stage::Batches } else { Stage::Done };
                        Some((out, (next, stream, encoder)))
                    }
                    Some(Err(e)) => Some((Err(e), (Stage::Done, stream, encoder))),
                    None => {
                        let (encoder, out) = off_runtime(encoder, |e| e.finish()).await;
                        Some((out, (Stage::Done, stream, encoder)))
                    }
                },
                Stage::Done => None,
            }
        },
    )
}
