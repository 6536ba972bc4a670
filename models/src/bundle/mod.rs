//! The models a running Voxlake uses, loaded together: sentiment, taxonomy
//! (with its supervised part when trained), keyword IDF, an optional saved
//! topic model and the shared tokenizer.
//!
//! # Why a bundle
//! The SQL functions, ingest enrichment and `voxlake reenrich` must agree on
//! the models and record which ones produced a row (`model_version`). So
//! they are loaded once per process, as one immutable [`Models`] behind an
//! `Arc`, from a models directory whose files override the shipped defaults
//! one by one ([`MODEL_FILES`]); a missing directory or a bad file is an
//! error at start-up. [`LiveModels`] re-reads the directory when a file
//! changes, so a taxonomy edit takes effect without a rebuild or restart.

mod enrich;
mod error;
mod live;

use std::path::Path;
use std::sync::Arc;

use xxhash_rust::xxh3::xxh3_64;

use crate::keywords::{Idf, KeywordExtractor, SHIPPED_IDF};
use crate::sentiment::SentimentModel;
use crate::taxonomy::{DEFAULT_TAXONOMY, Taxonomy, TaxonomyModel};
use crate::text::tokenize::Tokenizer;
use crate::topics::TopicModel;

pub use enrich::{ENRICH_KEYWORDS, Enrichment};
pub use error::{Error, Result};
pub use live::LiveModels;

/// The sentiment model file (`voxlake train sentiment` writes it).
pub const SENTIMENT_FILE: &str = "sentiment.vxm";
/// The company's taxonomy (edited by hand).
pub const TAXONOMY_FILE: &str = "taxonomy.toml";
/// The supervised part of the taxonomy (`voxlake train taxonomy` writes it).
pub const TAXONOMY_MODEL_FILE: &str = "taxonomy.vxm";
/// Keyword IDF learned from the company's feedback.
pub const IDF_FILE: &str = "idf.tsv";
/// A saved topic model: stable topic ids for `top_issues`.
pub const TOPICS_FILE: &str = "topics.vxm";
/// Every file a models directory may hold; absent ones fall back to the shipped defaults.
pub const MODEL_FILES: [&str; 5] = [
    SENTIMENT_FILE,
    TAXONOMY_FILE,
    TAXONOMY_MODEL_FILE,
    IDF_FILE,
    TOPICS_FILE,
];

/// The shipped sentiment model, compiled in so a binary works without its source tree.
const SHIPPED_SENTIMENT: &[u8] = include_bytes!("../../sentiment.vxm");

/// One consistent set of models. Immutable and `Send + Sync`: share it behind an `Arc`.
#[derive(Clone)]
pub struct Models {
    pub tokenizer: Arc<Tokenizer>,
    pub sentiment: Arc<SentimentModel>,
    pub taxonomy: Arc<Taxonomy>,
    pub keywords: KeywordExtractor,
    pub topics: Option<Arc<TopicModel>>,
    version: String,
}

impl std::fmt::Debug for Models {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Models")
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl Models {
    /// The models that ship with Voxlake.
    pub fn shipped() -> Result<Models> {
        let parts = Parts {
            sentiment: shipped_sentiment()?,
            taxonomy: (shipped_taxonomy()?, None),
            idf: shipped_idf()?,
            topics: None,
        };
        Ok(parts.assemble(Arc::new(Tokenizer::new())))
    }

    /// The models of directory `dir`: each file of [`MODEL_FILES`] present
    /// there replaces the shipped one; a file that is present but bad is an error.
    pub fn load(dir: &Path) -> Result<Models> {
        if !dir.is_dir() {
            return Err(Error::MissingDir(dir.to_path_buf()));
        }
        let tokenizer = Arc::new(Tokenizer::new());
        let parts = Parts {
            sentiment: load_sentiment(dir)?,
            taxonomy: load_taxonomy(dir)?,
            idf: load_idf(dir)?,
            topics: load_topics(dir, &tokenizer)?,
        };
        Ok(parts.assemble(tokenizer))
    }

    /// Which models these are, recorded with every enriched row: hashes of
    /// the sentiment, supervised-taxonomy and IDF files, and the taxonomy's version.
    pub fn version(&self) -> &str {
        &self.version
    }
}

/// What [`Models`] is assembled from, each model with the hash of its file.
struct Parts {
    sentiment: (SentimentModel, u64),
    taxonomy: (Taxonomy, Option<u64>),
    idf: (Idf, u64),
    topics: Option<TopicModel>,
}

impl Parts {
    fn assemble(self, tokenizer: Arc<Tokenizer>) -> Models {
        let (taxonomy, supervised) = self.taxonomy;
        let supervised = supervised.map_or(String::new(), |h| format!("+{:08x}", h as u32));
        let version = format!(
            "sentiment:{:08x} taxonomy:{}{supervised} idf:{:08x}",
            self.sentiment.1 as u32,
            taxonomy.version(),
            self.idf.1 as u32
        );
        Models {
            keywords: KeywordExtractor::new(Arc::clone(&tokenizer), Arc::new(self.idf.0)),
            tokenizer,
            sentiment: Arc::new(self.sentiment.0),
            taxonomy: Arc::new(taxonomy),
            topics: self.topics.map(Arc::new),
            version,
        }
    }
}

/// The bytes of `path`, or `None` when it does not exist.
fn read_optional(path: &Path) -> Result<Option<(std::path::PathBuf, Vec<u8>)>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some((path.to_path_buf(), bytes))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::file(path, e)),
    }
}

fn shipped_error(what: &'static str) -> impl Fn(&dyn std::fmt::Display) -> Error {
    move |e| Error::Shipped {
        what,
        message: e.to_string(),
    }
}

fn shipped_sentiment() -> Result<(SentimentModel, u64)> {
    let model = SentimentModel::from_bytes(SHIPPED_SENTIMENT).map_err(|e| shipped_error("sentiment model")(&e))?;
    Ok((model, xxh3_64(SHIPPED_SENTIMENT)))
}

fn shipped_taxonomy() -> Result<Taxonomy> {
    Taxonomy::from_toml(DEFAULT_TAXONOMY).map_err(|e| shipped_error("taxonomy")(&e))
}

fn shipped_idf() -> Result<(Idf, u64)> {
    let idf = Idf::shipped().map_err(|e| shipped_error("IDF")(&e))?;
    Ok((idf, xxh3_64(SHIPPED_IDF.as_bytes())))
}

fn load_sentiment(dir: &Path) -> Result<(SentimentModel, u64)> {
    match read_optional(&dir.join(SENTIMENT_FILE))? {
        Some((path, bytes)) => {
            let model = SentimentModel::from_bytes(&bytes).map_err(|e| Error::file(&path, e))?;
            Ok((model, xxh3_64(&bytes)))
        }
        None => shipped_sentiment(),
    }
}

/// The taxonomy file (or the shipped one) with the supervised model attached
/// when one was trained, and the hash of that model's file.
fn load_taxonomy(dir: &Path) -> Result<(Taxonomy, Option<u64>)> {
    let taxonomy = match read_optional(&dir.join(TAXONOMY_FILE))? {
        Some((path, bytes)) => {
            let text = String::from_utf8(bytes).map_err(|e| Error::file(&path, e))?;
            Taxonomy::from_toml(&text).map_err(|e| Error::file(&path, e))?
        }
        None => shipped_taxonomy()?,
    };
    match read_optional(&dir.join(TAXONOMY_MODEL_FILE))? {
        Some((path, bytes)) => {
            let model = TaxonomyModel::from_bytes(&bytes).map_err(|e| Error::file(&path, e))?;
            Ok((taxonomy.with_model(model), Some(xxh3_64(&bytes))))
        }
        None => Ok((taxonomy, None)),
    }
}

fn load_idf(dir: &Path) -> Result<(Idf, u64)> {
    match read_optional(&dir.join(IDF_FILE))? {
        Some((path, bytes)) => {
            let text = String::from_utf8(bytes).map_err(|e| Error::file(&path, e))?;
            let idf = Idf::from_text(&text).map_err(|e| Error::file(&path, e))?;
            Ok((idf, xxh3_64(text.as_bytes())))
        }
        None => shipped_idf(),
    }
}

fn load_topics(dir: &Path, tokenizer: &Arc<Tokenizer>) -> Result<Option<TopicModel>> {
    let Some((path, bytes)) = read_optional(&dir.join(TOPICS_FILE))? else {
        return Ok(None);
    };
    TopicModel::from_bytes(&bytes, Arc::clone(tokenizer))
        .map(Some)
        .map_err(|e| Error::file(&path, e))
}

#[cfg(test)]
mod tests;
