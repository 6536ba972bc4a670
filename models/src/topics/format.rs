//! The `.vxt` topic model file: versioned and checksummed like the sentiment
//! model's `.vxm`, small (idf of the used buckets plus ~1500 entries per topic).
//!
//! ```text
//! offset  size  field
//! 0       8     magic  b"VXLKTOPC"
//! 8       4     format version, u32 LE (FORMAT_VERSION)
//! 12      4     header length H, u32 LE
//! 16      8     body length B, u64 LE
//! 24      H     header: JSON — producer, config, model version, next id, and
//!               per topic its id, terms, size, versions and centroid length
//! 24+H    B     body: the idf as (bucket u32, idf f32) pairs for every used
//!               bucket, then each topic's centroid as (bucket u32, weight f32)
//!               pairs, all little-endian, buckets strictly increasing
//! 24+H+B  8     xxh3-64 of every byte before it, u64 LE
//! ```
//! Loading checks magic, version, lengths and checksum, then the config, the
//! ids and every bucket and value, and returns an [`Error`]; it never panics.
//! Floats are stored exactly, so a loaded model assigns exactly as the saved one.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::config::TopicConfig;
use super::error::{Error, Result};
use super::features::{Sparse, TopicFeaturizer};
use super::model::{Topic, TopicId, TopicModel};
use crate::envelope;
use crate::text::tokenize::Tokenizer;

pub const MAGIC: &[u8; 8] = b"VXLKTOPC";
/// Bump when the layout or the feature hashing changes.
pub const FORMAT_VERSION: u32 = 1;
const PAIR_LEN: usize = 8;

#[derive(Serialize, Deserialize)]
struct Header {
    producer: String,
    config: TopicConfig,
    version: u64,
    next_id: TopicId,
    idf_len: usize,
    topics: Vec<TopicHeader>,
}

#[derive(Serialize, Deserialize)]
struct TopicHeader {
    #[serde(flatten)]
    topic: Topic,
    centroid_len: usize,
}

impl TopicModel {
    /// Writes the model to `path` atomically (temporary file, then rename).
    pub fn save(&self, path: &Path) -> Result<()> {
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let tmp = path.with_extension("vxt.tmp");
        std::fs::write(&tmp, self.to_bytes()?).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    pub fn load(path: &Path, tokenizer: Arc<Tokenizer>) -> Result<TopicModel> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        TopicModel::from_bytes(&bytes, tokenizer)
    }

    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let idf: Sparse = (0..self.idf.len() as u32)
            .map(|b| (b, self.idf[b as usize]))
            .filter(|&(_, v)| v > 0.0)
            .collect();
        let mut body = Vec::new();
        write_pairs(&mut body, &idf);
        self.topics.iter().for_each(|t| write_pairs(&mut body, &t.centroid));
        let header = Header {
            producer: format!("voxlake-models {}", env!("CARGO_PKG_VERSION")),
            config: self.config.clone(),
            version: self.version,
            next_id: self.next_id,
            idf_len: idf.len(),
            topics: self
                .topics
                .iter()
                .map(|t| TopicHeader {
                    topic: t.clone(),
                    centroid_len: t.centroid.len(),
                })
                .collect(),
        };
        let header = serde_json::to_vec(&header).map_err(|e| Error::Corrupt(format!("cannot encode header: {e}")))?;
        Ok(envelope::seal(MAGIC, FORMAT_VERSION, &header, &body)?)
    }

    pub fn from_bytes(bytes: &[u8], tokenizer: Arc<Tokenizer>) -> Result<TopicModel> {
        let (header, body) = check_envelope(bytes)?;
        let header: Header = serde_json::from_slice(header).map_err(|e| Error::Corrupt(format!("header: {e}")))?;
        header.config.check().map_err(|e| Error::Corrupt(e.to_string()))?;
        let buckets = header.config.features.buckets();
        let mut body = Reader { buf: body, pos: 0 };
        let mut idf = vec![0f32; buckets];
        for (b, v) in body.pairs(header.idf_len, buckets)? {
            idf[b as usize] = v;
        }
        let mut topics = Vec::with_capacity(header.topics.len());
        for t in header.topics {
            let mut topic = t.topic;
            topic.centroid = body.pairs(t.centroid_len, buckets)?;
            topics.push(topic);
        }
        if body.pos != body.buf.len() {
            return Err(Error::Corrupt(format!(
                "{} unread bytes after the centroids",
                body.buf.len() - body.pos
            )));
        }
        check_ids(&topics, header.next_id)?;
        let featurizer = TopicFeaturizer::new(header.config.features.clone(), tokenizer);
        Ok(TopicModel::from_parts(
            header.config,
            header.version,
            header.next_id,
            idf,
            topics,
            featurizer,
        ))
    }
}

fn write_pairs(out: &mut Vec<u8>, pairs: &[(u32, f32)]) {
    for &(b, v) in pairs {
        out.extend_from_slice(&b.to_le_bytes());
        out.extend_from_slice(&v.to_le_bytes());
    }
}

/// Ids strictly increasing (hence unique) and below `next_id`.
fn check_ids(topics: &[Topic], next_id: TopicId) -> Result<()> {
    let increasing = topics.windows(2).all(|w| w[0].id < w[1].id);
    if !increasing || topics.iter().any(|t| t.id >= next_id) {
        return Err(Error::Corrupt(format!(
            "topic ids not increasing or not below next id {next_id}"
        )));
    }
    Ok(())
}

/// Checks magic, version, length and checksum; returns the header and body bytes.
fn check_envelope(bytes: &[u8]) -> Result<(&[u8], &[u8])> {
    Ok(envelope::open(MAGIC, FORMAT_VERSION, bytes)?)
}

/// Copies a slice of known length into an array (lengths are checked by callers).
fn le<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&b[..N]);
    out
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    /// `n` pairs, buckets strictly increasing and below `buckets`, values finite.
    fn pairs(&mut self, n: usize, buckets: usize) -> Result<Sparse> {
        let len = n
            .checked_mul(PAIR_LEN)
            .ok_or_else(|| Error::Corrupt("pair count overflows".into()))?;
        let end = self
            .pos
            .checked_add(len)
            .filter(|&e| e <= self.buf.len())
            .ok_or_else(|| {
                Error::Corrupt(format!(
                    "body needs {len} bytes at offset {}, has {}",
                    self.pos,
                    self.buf.len()
                ))
            })?;
        let pairs: Sparse = self.buf[self.pos..end]
            .chunks_exact(PAIR_LEN)
            .map(|c| (u32::from_le_bytes(le(&c[..4])), f32::from_le_bytes(le(&c[4..]))))
            .collect();
        self.pos = end;
        let sorted = pairs.windows(2).all(|w| w[0].0 < w[1].0);
        let valid = pairs.iter().all(|&(b, v)| (b as usize) < buckets && v.is_finite());
        if !(sorted && valid) {
            return Err(Error::Corrupt(
                "bucket out of range, unsorted, or value not finite".into(),
            ));
        }
        Ok(pairs)
    }
}
