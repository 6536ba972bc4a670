//! TLS for both ports, with rustls: a certificate chain and a private key in
//! PEM files become one [`TlsAcceptor`], shared by the HTTP listener
//! ([`TlsListener`]) and the Postgres port.
//!
//! Two crypto providers (ring and aws-lc-rs) are compiled into the tree by
//! other crates, so rustls cannot pick a process default by itself; the
//! provider is named here explicitly instead of installing a global one.

mod listener;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
pub use tokio_rustls::TlsAcceptor;

pub use listener::TlsListener;

/// Where the certificate chain and its private key are (PEM).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsConfig {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("TLS certificate {path}: {reason}")]
    Certificate { path: PathBuf, reason: String },
    #[error("TLS private key {path}: {reason}")]
    Key { path: PathBuf, reason: String },
    #[error("TLS configuration: {0}")]
    Config(#[from] rustls::Error),
}

impl TlsConfig {
    /// Read the files and build the acceptor; any problem with them is an
    /// error here, at startup, rather than a failed handshake later.
    pub fn acceptor(&self) -> Result<TlsAcceptor, TlsError> {
        let chain = read_chain(&self.cert)?;
        let key = PrivateKeyDer::from_pem_file(&self.key).map_err(|e| TlsError::Key {
            path: self.key.clone(),
            reason: e.to_string(),
        })?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(chain, key)?;
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}

fn read_chain(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let error = |reason: String| TlsError::Certificate {
        path: path.to_owned(),
        reason,
    };
    let chain = CertificateDer::pem_file_iter(path)
        .map_err(|e| error(e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| error(e.to_string()))?;
    if chain.is_empty() {
        return Err(error("no CERTIFICATE block in the file".into()));
    }
    Ok(chain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_or_empty_files_are_reported_with_their_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "").expect("write");
        let config = TlsConfig {
            cert: empty.clone(),
            key: dir.path().join("missing.key"),
        };
        let message = config.acceptor().err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("empty.pem"), "{message}");
    }

    #[test]
    fn a_generated_certificate_loads() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).expect("cert");
        let config = TlsConfig {
            cert: dir.path().join("cert.pem"),
            key: dir.path().join("key.pem"),
        };
        std::fs::write(&config.cert, cert.cert.pem()).expect("write");
        std::fs::write(&config.key, cert.signing_key.serialize_pem()).expect("write");
        assert!(config.acceptor().is_ok());
    }
}
