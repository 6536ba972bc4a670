//! The `.vxm` sentiment model file: versioned, checksummed, compact enough to
//! ship in the git repository (a few MB).
//!
//! ```text
//! offset  size  field
//! 0       8     magic  b"VXLKSENT"
//! 8       4     format version, u32 LE (FORMAT_VERSION)
//! 12      4     header length H, u32 LE
//! 16      8     body length B, u64 LE
//! 24      H     header: JSON — training report and hyperparameters, and per
//!               language its feature config, outputs, biases, Platt parameters,
//!               neutral band and quantisation scales
//! 24+H    B     body: per language (zh, then en) a bitmap of the used hash
//!               buckets (bit j of byte j/8), then for each used bucket in order
//!               its feature scale (idf, times the NB ratio for binary models)
//!               as u16 and one i16 weight per output, little-endian, each
//!               linearly quantised by the step stored in the header
//! 24+H+B  8     xxh3-64 of every byte before it, u64 LE
//! ```
//! Unused buckets (scale 0) carry no weights, so the file is about 2+2k bytes per
//! used bucket. i16 steps are 1/32767 of the largest weight: the round trip moves
//! margins by ~1e-4, far below anything that changes a prediction.
//! Loading checks magic, version, length, checksum, then every size in the header,
//! and returns an [`Error`] for each failure; it never panics.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::calibrate::Platt;
use super::error::{Error, Result};
use super::features::{FeatureConfig, Featurizer};
use super::model::{LanguageModel, MAX_OUTPUTS, SentimentLabel, SentimentModel};
use super::train::TrainReport;
use crate::envelope;

pub const MAGIC: &[u8; 8] = b"VXLKSENT";
/// Bump when the layout or the feature hashing changes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct FileHeader {
    producer: String,
    report: TrainReport,
    zh: LanguageHeader,
    en: LanguageHeader,
}

#[derive(Serialize, Deserialize)]
struct LanguageHeader {
    features: FeatureConfig,
    outputs: Vec<SentimentLabel>,
    bias: Vec<f32>,
    platt: Vec<Platt>,
    neutral_band: f32,
    used_buckets: usize,
    idf_scale: f32,
    weight_scales: Vec<f32>,
}

impl SentimentModel {
    /// Writes the model to `path` atomically (temporary file, then rename).
    pub fn save(&self, path: &Path) -> Result<()> {
        let bytes = self.to_bytes()?;
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let tmp = path.with_extension("vxm.tmp");
        std::fs::write(&tmp, bytes).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    pub fn load(path: &Path) -> Result<SentimentModel> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        SentimentModel::from_bytes(&bytes)
    }

    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let (mut body, zh) = encode_language(&self.zh);
        let (en_body, en) = encode_language(&self.en);
        body.extend(en_body);
        let header = FileHeader {
            producer: format!("voxlake-models {}", env!("CARGO_PKG_VERSION")),
            report: self.report.clone(),
            zh,
            en,
        };
        let header = serde_json::to_vec(&header).map_err(|e| Error::Corrupt(format!("cannot encode header: {e}")))?;
        Ok(envelope::seal(MAGIC, FORMAT_VERSION, &header, &body)?)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<SentimentModel> {
        let (header, body) = check_envelope(bytes)?;
        let header: FileHeader = serde_json::from_slice(header).map_err(|e| Error::Corrupt(format!("header: {e}")))?;
        let mut body = Reader { buf: body, pos: 0 };
        let zh = decode_language(header.zh, &mut body)?;
        let en = decode_language(header.en, &mut body)?;
        if body.pos != body.buf.len() {
            return Err(Error::Corrupt(format!(
                "{} unread bytes after the weights",
                body.buf.len() - body.pos
            )));
        }
        Ok(SentimentModel {
            zh,
            en,
            report: header.report,
        })
    }
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

fn encode_language(m: &LanguageModel) -> (Vec<u8>, LanguageHeader) {
    let (s, n) = (m.stride(), m.outputs.len());
    let rows = || m.table.chunks_exact(s).filter(|r| r[0] > 0.0);
    let idf_scale = scale(rows().map(|r| r[0]), f32::from(u16::MAX));
    let weight_scales: Vec<f32> = (0..n)
        .map(|k| scale(rows().map(|r| r[1 + k].abs()), f32::from(i16::MAX)))
        .collect();
    let buckets = m.table.len() / s;
    let mut body = vec![0u8; buckets.div_ceil(8)];
    let mut used = 0;
    for (j, row) in m.table.chunks_exact(s).enumerate().filter(|(_, r)| r[0] > 0.0) {
        body[j / 8] |= 1 << (j % 8);
        used += 1;
        body.extend_from_slice(&((row[0] / idf_scale).round() as u16).to_le_bytes());
        for k in 0..n {
            body.extend_from_slice(&((row[1 + k] / weight_scales[k]).round() as i16).to_le_bytes());
        }
    }
    let header = LanguageHeader {
        features: m.featurizer.config().clone(),
        outputs: m.outputs.clone(),
        bias: m.bias.clone(),
        platt: m.platt.clone(),
        neutral_band: m.neutral_band,
        used_buckets: used,
        idf_scale,
        weight_scales,
    };
    (body, header)
}

/// Quantisation step so that the largest value maps to `steps`.
fn scale(values: impl Iterator<Item = f32>, steps: f32) -> f32 {
    let max = values.fold(0f32, f32::max);
    if max > 0.0 { max / steps } else { 1.0 }
}

fn decode_language(h: LanguageHeader, body: &mut Reader<'_>) -> Result<LanguageModel> {
    check_header(&h)?;
    let (n, buckets) = (h.outputs.len(), h.features.buckets());
    let stride = 1 + n;
    let bitmap = body.take(buckets.div_ceil(8))?;
    let used: usize = bitmap.iter().map(|b| b.count_ones() as usize).sum();
    if used != h.used_buckets {
        return Err(Error::Corrupt(format!(
            "bitmap marks {used} buckets, header says {}",
            h.used_buckets
        )));
    }
    let values = body.take(used * 2 * stride)?;
    let mut table = vec![0f32; buckets * stride];
    let mut cells = values.chunks_exact(2);
    for j in (0..buckets).filter(|j| bitmap[j / 8] & (1 << (j % 8)) != 0) {
        let row = &mut table[j * stride..(j + 1) * stride];
        row[0] = f32::from(u16::from_le_bytes(le(cells.next().unwrap_or(&[0, 0])))) * h.idf_scale;
        for k in 0..n {
            row[1 + k] = f32::from(i16::from_le_bytes(le(cells.next().unwrap_or(&[0, 0])))) * h.weight_scales[k];
        }
    }
    Ok(LanguageModel {
        featurizer: Featurizer::new(h.features),
        outputs: h.outputs,
        table,
        bias: h.bias,
        platt: h.platt,
        neutral_band: h.neutral_band,
    })
}

fn check_header(h: &LanguageHeader) -> Result<()> {
    h.features.check().map_err(Error::Corrupt)?;
    let n = h.outputs.len();
    if !(n == 1 || n == MAX_OUTPUTS) || h.bias.len() != n || h.platt.len() != n || h.weight_scales.len() != n {
        return Err(Error::Corrupt(format!(
            "inconsistent outputs: {n} outputs, {} biases, {} Platt pairs",
            h.bias.len(),
            h.platt.len()
        )));
    }
    if h.used_buckets > h.features.buckets() {
        return Err(Error::Corrupt(format!(
            "{} used buckets of {}",
            h.used_buckets,
            h.features.buckets()
        )));
    }
    Ok(())
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        let end = end.ok_or_else(|| {
            Error::Corrupt(format!(
                "weights section needs {n} bytes at offset {}, body has {}",
                self.pos,
                self.buf.len()
            ))
        })?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentiment::testutil::tiny_model;
    use xxhash_rust::xxh3::xxh3_64;

    const TEXTS: [&str; 4] = ["质量很好", "太差了", "thanks, great crew", "my bag is lost"];

    #[test]
    fn round_trip_keeps_predictions() {
        let model = tiny_model();
        let path = std::env::temp_dir().join(format!("vx-sentiment-{}.vxm", std::process::id()));
        model.save(&path).unwrap();
        let loaded = SentimentModel::load(&path).unwrap();
        for text in TEXTS {
            let (a, b) = (model.predict(text), loaded.predict(text));
            assert_eq!(a.label, b.label, "{text}");
            assert!((a.score - b.score).abs() < 1e-3, "{text}: {a:?} vs {b:?}");
        }
        assert_eq!(loaded.report(), model.report());
        // Quantising is idempotent: a loaded model saves to the same bytes.
        assert_eq!(loaded.to_bytes().unwrap(), std::fs::read(&path).unwrap());
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn missing_file_is_an_io_error() {
        let err = SentimentModel::load(Path::new("/nonexistent/sentiment.vxm")).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err}");
    }

    #[test]
    fn rejects_bad_magic_and_version() {
        let bytes = tiny_model().to_bytes().unwrap();
        let mut bad = bytes.clone();
        bad[0] = b'X';
        assert!(matches!(SentimentModel::from_bytes(&bad), Err(Error::BadMagic)));
        assert!(matches!(
            SentimentModel::from_bytes(b"PK\x03\x04"),
            Err(Error::BadMagic)
        ));
        let mut future = bytes;
        future[8..12].copy_from_slice(&2u32.to_le_bytes());
        assert!(matches!(
            SentimentModel::from_bytes(&future),
            Err(Error::UnsupportedVersion { found: 2, supported: 1 })
        ));
    }

    #[test]
    fn rejects_truncated_files() {
        let bytes = tiny_model().to_bytes().unwrap();
        for len in [0, 3, 8, 20, 31, bytes.len() / 2, bytes.len() - 1] {
            let err = SentimentModel::from_bytes(&bytes[..len]).unwrap_err();
            assert!(matches!(err, Error::Truncated { .. }), "len {len}: {err}");
        }
    }

    #[test]
    fn rejects_flipped_bits_and_trailing_bytes() {
        let bytes = tiny_model().to_bytes().unwrap();
        for at in [30, bytes.len() / 2, bytes.len() - 9, bytes.len() - 1] {
            let mut bad = bytes.clone();
            bad[at] ^= 0x10;
            let err = SentimentModel::from_bytes(&bad).unwrap_err();
            assert!(matches!(err, Error::ChecksumMismatch { .. }), "byte {at}: {err}");
        }
        let mut longer = bytes;
        longer.push(0);
        assert!(matches!(SentimentModel::from_bytes(&longer), Err(Error::Corrupt(_))));
    }

    #[test]
    fn rejects_inconsistent_header_with_valid_checksum() {
        let bytes = tiny_model().to_bytes().unwrap();
        let header_len = u32::from_le_bytes(le(&bytes[12..16])) as usize;
        let header = String::from_utf8(bytes[24..24 + header_len].to_vec()).unwrap();
        let edited = header.replacen("\"used_buckets\":", "\"used_buckets\":1", 1);
        let mut out = bytes[..12].to_vec();
        out.extend_from_slice(&(edited.len() as u32).to_le_bytes());
        out.extend_from_slice(&bytes[16..24]);
        out.extend_from_slice(edited.as_bytes());
        out.extend_from_slice(&bytes[24 + header_len..bytes.len() - 8]);
        out.extend_from_slice(&xxh3_64(&out).to_le_bytes());
        let err = SentimentModel::from_bytes(&out).unwrap_err();
        assert!(matches!(err, Error::Corrupt(_)), "{err}");
    }
}
