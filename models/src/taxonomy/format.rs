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

use super::error::{Error, Result};
use super::linear::{LinearClassifier, UNUSED};
use super::model::TaxonomyModel;
use crate::envelope;
use crate::sentiment::FeatureConfig;
use crate::sentiment::features::Featurizer;

pub const MAGIC: &[u8; 8] = b"VXLKTAXM";
/// Bump when the layout or the feature hashing changes.
pub const FORMAT_VERSION: u32 = 1;

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
        Ok(envelope::seal(MAGIC, FORMAT_VERSION, &header, &body)?)
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
    Ok(envelope::open(MAGIC, FORMAT_VERSION, bytes)?)
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
