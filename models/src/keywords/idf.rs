//! Inverse document frequency of words, learned from a company's own feedback.
//!
//! What is rare is what is telling, but rare *where*: "闪退" is rare in a
//! general corpus and common in an app company's feedback. So the IDF is
//! trainable ([`train_idf`]) and saved as a small text file; the default one
//! ships in `models/assets/idf.tsv`, trained on the `*_train.csv` files of
//! `../shared/data/reviews` (see [`Idf::shipped`]).
//!
//! File format (UTF-8, one record per line, tab-separated):
//! ```text
//! voxlake-idf  1  docs=<texts>  terms=<lines that follow>  xxh3=<hex of those lines>
//! <term>  <document frequency>
//! ```
//! Terms are sorted by document frequency, descending, then by term, so the
//! same texts always give the same file.

use std::collections::HashMap;
use std::path::Path;

use xxhash_rust::xxh3::xxh3_64;

use super::candidates;
use super::error::{Error, Result};
use crate::text::tokenize::Tokenizer;

const MAGIC: &str = "voxlake-idf";
const FORMAT_VERSION: u32 = 1;
pub(crate) const SHIPPED: &str = include_str!("../../assets/idf.tsv");

/// Document frequencies of terms over `docs` texts.
#[derive(Clone, Debug, PartialEq)]
pub struct Idf {
    docs: u64,
    /// `(term, document frequency)`, sorted by frequency desc, then term.
    terms: Vec<(String, u32)>,
    idf: HashMap<String, f32>,
    unknown: f32,
}

/// [`train_idf_with`] using a fresh default [`Tokenizer`].
pub fn train_idf<'a>(texts: impl IntoIterator<Item = &'a str>) -> Idf {
    train_idf_with(&Tokenizer::new(), texts)
}

/// Counts, for every candidate keyword, the texts it occurs in.
pub fn train_idf_with<'a>(tokenizer: &Tokenizer, texts: impl IntoIterator<Item = &'a str>) -> Idf {
    let mut df: HashMap<String, u32> = HashMap::new();
    let mut docs = 0u64;
    for text in texts {
        docs += 1;
        let mut terms = candidates(tokenizer, text);
        terms.sort_unstable();
        terms.dedup();
        terms.into_iter().for_each(|t| *df.entry(t).or_default() += 1);
    }
    Idf::new(docs, df.into_iter().collect())
}

impl Idf {
    fn new(docs: u64, mut terms: Vec<(String, u32)>) -> Idf {
        terms.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let value = |df: u32| (((1 + docs) as f64 / (1.0 + f64::from(df))).ln() + 1.0) as f32;
        let idf: HashMap<String, f32> = terms.iter().map(|(t, df)| (t.clone(), value(*df))).collect();
        // Unseen terms get the median idf, as jieba's extract_tags does.
        let unknown = terms.get(terms.len() / 2).map_or(1.0, |(_, df)| value(*df));
        Idf {
            docs,
            terms,
            idf,
            unknown,
        }
    }

    /// The default IDF shipped with the crate (`models/assets/idf.tsv`).
    pub fn shipped() -> Result<Idf> {
        Idf::from_text(SHIPPED)
    }

    /// The `max_terms` most frequent terms, dropping those seen in fewer than
    /// `min_df` texts (keeps the shipped file small).
    pub fn top(self, max_terms: usize, min_df: u32) -> Idf {
        let terms = self
            .terms
            .into_iter()
            .filter(|(_, df)| *df >= min_df)
            .take(max_terms)
            .collect();
        Idf::new(self.docs, terms)
    }

    /// `ln((1 + docs) / (1 + df)) + 1`; the median idf for unseen terms.
    pub fn idf(&self, term: &str) -> f32 {
        self.idf.get(term).copied().unwrap_or(self.unknown)
    }

    pub fn docs(&self) -> u64 {
        self.docs
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn to_text(&self) -> String {
        let body: String = self.terms.iter().map(|(t, df)| format!("{t}\t{df}\n")).collect();
        format!(
            "{MAGIC}\t{FORMAT_VERSION}\tdocs={}\tterms={}\txxh3={:016x}\n{body}",
            self.docs,
            self.terms.len(),
            xxh3_64(body.as_bytes())
        )
    }

    pub fn from_text(text: &str) -> Result<Idf> {
        let (head, body) = text.split_once('\n').unwrap_or((text, ""));
        let fields: Vec<&str> = head.split('\t').collect();
        let [magic, version, docs, terms, hash] = fields[..] else {
            return Err(Error::Format("bad header line".into()));
        };
        if magic != MAGIC {
            return Err(Error::Format("not a Voxlake IDF file".into()));
        }
        if version != FORMAT_VERSION.to_string() {
            return Err(Error::Format(format!("unsupported version {version}")));
        }
        if field(hash, "xxh3=")? != format!("{:016x}", xxh3_64(body.as_bytes())) {
            return Err(Error::Format("checksum mismatch".into()));
        }
        let parsed = body.lines().enumerate().map(|(i, l)| term_line(i + 2, l));
        let parsed: Vec<(String, u32)> = parsed.collect::<Result<_>>()?;
        if parsed.len().to_string() != field(terms, "terms=")? {
            return Err(Error::Format("term count does not match the header".into()));
        }
        let docs = field(docs, "docs=")?
            .parse()
            .map_err(|_| Error::Format("bad docs".into()))?;
        Ok(Idf::new(docs, parsed))
    }

    /// Writes atomically (temporary file, then rename).
    pub fn save(&self, path: &Path) -> Result<()> {
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let tmp = path.with_extension("tsv.tmp");
        std::fs::write(&tmp, self.to_text()).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    pub fn load(path: &Path) -> Result<Idf> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Idf::from_text(&text)
    }
}

fn field<'a>(value: &'a str, key: &str) -> Result<&'a str> {
    value
        .strip_prefix(key)
        .ok_or_else(|| Error::Format(format!("header lacks `{key}`")))
}

fn term_line(line: usize, text: &str) -> Result<(String, u32)> {
    let bad = || Error::Format(format!("line {line}: expected `term<TAB>count`"));
    let (term, df) = text.split_once('\t').ok_or_else(bad)?;
    let df = df.parse().map_err(|_| bad())?;
    if term.is_empty() {
        return Err(bad());
    }
    Ok((term.to_owned(), df))
}
