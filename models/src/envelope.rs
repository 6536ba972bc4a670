//! The envelope every model file shares: magic, format version, header and
//! body lengths, a JSON header, a binary body and an xxh3 checksum, so that a
//! wrong, newer, truncated or damaged file is refused with a clear error.
//!
//! Layout: `magic[8] | version u32 | header_len u32 | body_len u64 | header | body | xxh3 u64`
//! (little-endian). Each model keeps its own magic and version.

use xxhash_rust::xxh3::xxh3_64;

const PREFIX_LEN: usize = 24;
const CHECKSUM_LEN: usize = 8;

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum EnvelopeError {
    BadMagic,
    UnsupportedVersion { found: u32, supported: u32 },
    Truncated { expected: u64, found: u64 },
    ChecksumMismatch { stored: u64, computed: u64 },
    Corrupt(String),
}

/// Wrap `header` and `body` in the envelope.
pub(crate) fn seal(magic: &[u8; 8], version: u32, header: &[u8], body: &[u8]) -> Result<Vec<u8>, EnvelopeError> {
    let header_len = u32::try_from(header.len()).map_err(|_| EnvelopeError::Corrupt("header over 4 GiB".into()))?;
    let mut out = Vec::with_capacity(PREFIX_LEN + header.len() + body.len() + CHECKSUM_LEN);
    out.extend_from_slice(magic);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&header_len.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(header);
    out.extend_from_slice(body);
    out.extend_from_slice(&xxh3_64(&out).to_le_bytes());
    Ok(out)
}

/// Check magic, version, lengths and checksum; return the header and body.
pub(crate) fn open<'a>(magic: &[u8; 8], version: u32, bytes: &'a [u8]) -> Result<(&'a [u8], &'a [u8]), EnvelopeError> {
    if bytes.len() < magic.len() {
        return Err(if magic.starts_with(bytes) {
            truncated(PREFIX_LEN, bytes.len())
        } else {
            EnvelopeError::BadMagic
        });
    }
    if &bytes[..8] != magic {
        return Err(EnvelopeError::BadMagic);
    }
    if bytes.len() < PREFIX_LEN + CHECKSUM_LEN {
        return Err(truncated(PREFIX_LEN + CHECKSUM_LEN, bytes.len()));
    }
    let found = u32::from_le_bytes(le(&bytes[8..12]));
    if found != version {
        return Err(EnvelopeError::UnsupportedVersion {
            found,
            supported: version,
        });
    }
    let header_len = u64::from(u32::from_le_bytes(le(&bytes[12..16])));
    let body_len = u64::from_le_bytes(le(&bytes[16..24]));
    let expected = (PREFIX_LEN as u64 + CHECKSUM_LEN as u64)
        .saturating_add(header_len)
        .saturating_add(body_len);
    let length = bytes.len() as u64;
    if length < expected {
        return Err(EnvelopeError::Truncated {
            expected,
            found: length,
        });
    }
    if length > expected {
        return Err(EnvelopeError::Corrupt(format!(
            "{} bytes after the checksum",
            length - expected
        )));
    }
    let (content, stored) = bytes.split_at(bytes.len() - CHECKSUM_LEN);
    let (stored, computed) = (u64::from_le_bytes(le(stored)), xxh3_64(content));
    if stored != computed {
        return Err(EnvelopeError::ChecksumMismatch { stored, computed });
    }
    let header_end = PREFIX_LEN + header_len as usize;
    Ok((&content[PREFIX_LEN..header_end], &content[header_end..]))
}

fn truncated(expected: usize, found: usize) -> EnvelopeError {
    EnvelopeError::Truncated {
        expected: expected as u64,
        found: found as u64,
    }
}

/// The first N bytes of a slice the caller has already length-checked.
fn le<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&bytes[..N]);
    out
}

/// Map envelope errors onto a model module's own error variants, which all
/// carry the same five cases.
macro_rules! impl_from_envelope {
    ($error:ty) => {
        impl From<crate::envelope::EnvelopeError> for $error {
            fn from(e: crate::envelope::EnvelopeError) -> Self {
                use crate::envelope::EnvelopeError as E;
                match e {
                    E::BadMagic => Self::BadMagic,
                    E::UnsupportedVersion { found, supported } => Self::UnsupportedVersion { found, supported },
                    E::Truncated { expected, found } => Self::Truncated { expected, found },
                    E::ChecksumMismatch { stored, computed } => Self::ChecksumMismatch { stored, computed },
                    E::Corrupt(reason) => Self::Corrupt(reason),
                }
            }
        }
    };
}
pub(crate) use impl_from_envelope;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_every_refusal() {
        let sealed = seal(b"VXLKTEST", 3, b"{}", b"body").expect("seals");
        assert_eq!(open(b"VXLKTEST", 3, &sealed), Ok((&b"{}"[..], &b"body"[..])));
        assert_eq!(open(b"VXLKOTHR", 3, &sealed), Err(EnvelopeError::BadMagic));
        assert!(matches!(
            open(b"VXLKTEST", 4, &sealed),
            Err(EnvelopeError::UnsupportedVersion { found: 3, supported: 4 })
        ));
        assert!(matches!(
            open(b"VXLKTEST", 3, &sealed[..sealed.len() - 1]),
            Err(EnvelopeError::Truncated { .. })
        ));
        let mut longer = sealed.clone();
        longer.push(0);
        assert!(matches!(open(b"VXLKTEST", 3, &longer), Err(EnvelopeError::Corrupt(_))));
        let mut flipped = sealed;
        flipped[26] ^= 1;
        assert!(matches!(
            open(b"VXLKTEST", 3, &flipped),
            Err(EnvelopeError::ChecksumMismatch { .. })
        ));
    }
}
