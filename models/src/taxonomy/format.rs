//! The `.vxt` taxonomy model file: versioned and checksummed, in the layout of
//! the sentiment model file (`crate::sentiment::format`).
//!
//! ```text
//! offset  size  field
//! 0       8     magic  b"VXLKTAXM"
//! 8       4     format version, u32 LE (FORMAT_VERSION)
//! 12      4     header length H, u32 LE
//! 16      8     body length B, u64 LE
//! 24      H     header: JSON — taxonomy version, example count, and per
//!               classifier (level 1, then level 2 if any) its feature config,
//!               classes, biases, temperature and number of used buckets
//! 24+H    B     body: per classifier, the used bucket ids (u32 LE, ascending),
//!               then per used bucket its idf and one weight per class (f32 LE)
//! 24+H+B  8     xxh3-64 of every byte before it, u64 LE
//! ```
//! Weights are stored unquantised: these models are trained from thousands of
//! corrections, not millions of reviews, so the files stay small. Loading
//! checks every length and returns an [`Error`], never panics.

use std::path::Path;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use super::error::{Error, Result};
use super::linear::{LinearClassifier, UNUSED};
use super::model::TaxonomyModel;
use crate::sentiment::FeatureConfig;
use crate::sentiment::features::Featurizer;

pub const MAGIC: &[u8; 8] = b"VXLKTAXM";
/// Bump when the layout or the feature hashing changes.
pub const FORMAT_VERSION: u32 = 1;
const PREFIX_LEN: usize = 24;
const CHECKSUM_LEN: usize = 8;

#[derive(Serialize, Deserialize)]
struct FileHeader {
    producer: String,
    taxonomy_version: String,
    examples: usize,
    l1: ClassifierHeader,
    l2: Option<ClassifierHeader>,
}

#[derive(Serialize, Deserialize)]
struct ClassifierHeader {
    features: FeatureConfig,
    classes: Vec<String>,
    bias: Vec<f32>,
    temperature: f32,
    used_buckets: usize,
}

impl TaxonomyModel {
    /// Writes the model atomically (temporary file, then rename).
    pub fn save(&self, path: &Path) -> Result<()> {
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let tmp = path.with_extension("vxt.tmp");
        std::fs::write(&tmp, self.to_bytes()?).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    pub fn load(path: &Path) -> Result<TaxonomyModel> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        TaxonomyModel::from_bytes(&bytes)
    }

    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut body = Vec::new();
        let l1 = encode(&self.l1, &mut body);
        let l2 = self.l2.as_ref().map(|c| encode(c, &mut body));
        let header = FileHeader {
            producer: format!("voxlake-models {}", env!("CARGO_PKG_VERSION")),
            taxonomy_version: self.taxonomy_version.clone(),
            examples: self.examples,
            l1,
            l2,
        };
        let header = serde_json::to_vec(&header).map_err(|e| Error::Corrupt(e.to_string()))?;
        let header_len = u32::try_from(header.len()).map_err(|_| Error::Corrupt("header over 4 GiB".into()))?;
        let mut out = Vec::with_capacity(PREFIX_LEN + header.len() + body.len() + CHECKSUM_LEN);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&header_len.to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(&body);
        out.extend_from_slice(&xxh3_64(&out).to_le_bytes());
        Ok(out)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<TaxonomyModel> {
        let (header, body) = check_envelope(bytes)?;
        let header: FileHeader = serde_json::from_slice(header).map_err(|e| Error::Corrupt(format!("header: {e}")))?;
        let mut body = Reader { buf: body, pos: 0 };
        let l1 = decode(header.l1, &mut body)?;
        let l2 = header.l2.map(|h| decode(h, &mut body)).transpose()?;
        if body.pos != body.buf.len() {
            return Err(Error::Corrupt("unread bytes after the weights".into()));
        }
        Ok(TaxonomyModel {
            taxonomy_version: header.taxonomy_version,
            l1,
            l2,
            examples: header.examples,
        })
    }
}

fn encode(c: &LinearClassifier, body: &mut Vec<u8>) -> ClassifierHeader {
    let used: Vec<u32> = (0..c.index.len() as u32)
        .filter(|&j| c.index[j as usize] != UNUSED)
        .collect();
    used.iter().for_each(|j| body.extend_from_slice(&j.to_le_bytes()));
    c.rows.iter().for_each(|v| body.extend_from_slice(&v.to_le_bytes()));
    ClassifierHeader {
        features: c.featurizer.config().clone(),
        classes: c.classes.clone(),
        bias: c.bias.clone(),
        temperature: c.temperature,
        used_buckets: used.len(),
    }
}

fn decode(h: ClassifierHeader, body: &mut Reader<'_>) -> Result<LinearClassifier> {
    h.features.check().map_err(Error::Corrupt)?;
    let (n, buckets) = (h.classes.len(), h.features.buckets());
    if n < 2 || h.bias.len() != n || h.used_buckets > buckets {
        return Err(Error::Corrupt(format!(
            "{n} classes, {} biases, {} used buckets of {buckets}",
            h.bias.len(),
            h.used_buckets
        )));
    }
    let mut index = vec![UNUSED; buckets];
    for (row, id) in body.take(h.used_buckets * 4)?.chunks_exact(4).enumerate() {
        let id = u32::from_le_bytes([id[0], id[1], id[2], id[3]]) as usize;
        let slot = index
            .get_mut(id)
            .ok_or_else(|| Error::Corrupt(format!("bucket {id} out of range")))?;
        *slot = row as u32;
    }
    let rows = body
        .take(h.used_buckets * (1 + n) * 4)?
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Ok(LinearClassifier {
        featurizer: Featurizer::new(h.features),
        classes: h.classes,
        index,
        rows,
        bias: h.bias,
        temperature: h.temperature,
    })
}

/// Checks magic, version, length and checksum; returns the header and body.
fn check_envelope(bytes: &[u8]) -> Result<(&[u8], &[u8])> {
    if !MAGIC.starts_with(&bytes[..bytes.len().min(MAGIC.len())]) {
        return Err(Error::BadMagic);
    }
    let short = |expected: u64| Error::Truncated {
        expected,
        found: bytes.len() as u64,
    };
    if bytes.len() < PREFIX_LEN + CHECKSUM_LEN {
        return Err(short((PREFIX_LEN + CHECKSUM_LEN) as u64));
    }
    let u32_at = |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let version = u32_at(8);
    if version != FORMAT_VERSION {
        return Err(Error::UnsupportedVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let header_len = u64::from(u32_at(12));
    let body_len = u64::from(u32_at(16)) | (u64::from(u32_at(20)) << 32);
    let expected = ((PREFIX_LEN + CHECKSUM_LEN) as u64)
        .saturating_add(header_len)
        .saturating_add(body_len);
    if (bytes.len() as u64) < expected {
        return Err(short(expected));
    }
    if (bytes.len() as u64) > expected {
        return Err(Error::Corrupt("bytes after the checksum".into()));
    }
    let content = &bytes[..bytes.len() - CHECKSUM_LEN];
    let stored = u64::from(u32_at(content.len())) | (u64::from(u32_at(content.len() + 4)) << 32);
    let computed = xxh3_64(content);
    if stored != computed {
        return Err(Error::ChecksumMismatch { stored, computed });
    }
    let header_end = PREFIX_LEN + header_len as usize;
    Ok((&content[PREFIX_LEN..header_end], &content[header_end..]))
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        let end = end.ok_or_else(|| Error::Corrupt(format!("weights need {n} bytes at offset {}", self.pos)))?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }
}
