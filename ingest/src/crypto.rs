//! Encryption of the original contact (phone, e-mail) with AES-256-GCM.
//!
//! Only the masked contact is readable in the table; the original is kept
//! encrypted so that an authorised process can still reach the customer. The
//! stored value is `version byte || 96-bit nonce || ciphertext+tag`. The key is
//! never logged: `ContactCipher`'s Debug output hides it.

use aes_gcm::aead::{Aead, AeadInPlace, KeyInit, OsRng};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::error::{Error, Result};

const FORMAT_VERSION: u8 = 1;
const NONCE_BYTES: usize = 12;
const TAG_BYTES: usize = 16;

#[derive(Clone)]
pub struct ContactCipher {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for ContactCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ContactCipher(<key hidden>)")
    }
}

impl ContactCipher {
    /// A cipher from a base64-encoded 32-byte key.
    pub fn from_base64(key: &str) -> Result<Self> {
        let bytes = STANDARD
            .decode(key.trim())
            .map_err(|_| Error::Key("not valid base64".to_owned()))?;
        if bytes.len() != 32 {
            return Err(Error::Key(format!("{} bytes; AES-256 needs 32", bytes.len())));
        }
        Ok(Self {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&bytes)),
        })
    }

    /// A fresh random key, base64-encoded, for `voxlake` to store on first run.
    pub fn generate_key() -> String {
        STANDARD.encode(Aes256Gcm::generate_key(OsRng))
    }

    pub fn encrypt(&self, plaintext: &str) -> Result<Vec<u8>> {
        // A random 96-bit nonce per value from the thread's CSPRNG (ChaCha,
        // seeded from the OS): as safe as OsRng here, without a system call
        // per record on the import path.
        let mut nonce = Nonce::default();
        rand::Rng::fill(&mut rand::rng(), nonce.as_mut_slice());
        // Sealed in place in the stored value: one allocation per value.
        let header = 1 + NONCE_BYTES;
        let mut out = Vec::with_capacity(header + plaintext.len() + TAG_BYTES);
        out.push(FORMAT_VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext.as_bytes());
        let tag = self
            .cipher
            .encrypt_in_place_detached(&nonce, b"", &mut out[header..])
            .map_err(|_| Error::Key("encryption failed".to_owned()))?;
        out.extend_from_slice(&tag);
        Ok(out)
    }

    pub fn decrypt(&self, stored: &[u8]) -> Result<String> {
        let (version, rest) = stored
            .split_first()
            .ok_or_else(|| Error::Key("empty value".to_owned()))?;
        if *version != FORMAT_VERSION || rest.len() < NONCE_BYTES {
            return Err(Error::Key("not an encrypted contact of a known format".to_owned()));
        }
        let (nonce, sealed) = rest.split_at(NONCE_BYTES);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), sealed)
            .map_err(|_| Error::Key("wrong key or tampered value".to_owned()))?;
        String::from_utf8(plain).map_err(|_| Error::Key("decrypted value is not UTF-8".to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_fresh_nonces() {
        let cipher = ContactCipher::from_base64(&ContactCipher::generate_key()).expect("valid key");
        let a = cipher.encrypt("13812345678").expect("encrypts");
        let b = cipher.encrypt("13812345678").expect("encrypts");
        assert_ne!(a, b, "each value gets its own nonce");
        assert_eq!(cipher.decrypt(&a).expect("decrypts"), "13812345678");
    }

    #[test]
    fn wrong_key_and_tampering_are_detected() {
        let one = ContactCipher::from_base64(&ContactCipher::generate_key()).expect("valid key");
        let other = ContactCipher::from_base64(&ContactCipher::generate_key()).expect("valid key");
        let mut sealed = one.encrypt("alice@example.com").expect("encrypts");
        assert!(other.decrypt(&sealed).is_err());
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        assert!(one.decrypt(&sealed).is_err());
    }

    #[test]
    fn bad_keys_are_refused_without_echoing_them() {
        let err = ContactCipher::from_base64("c2hvcnQ=").expect_err("short").to_string();
        assert!(err.contains("5 bytes") && !err.contains("c2hvcnQ"));
        assert!(ContactCipher::from_base64("***").is_err());
        assert!(!format!("{:?}", ContactCipher::from_base64(&ContactCipher::generate_key())).contains('='));
    }
}
