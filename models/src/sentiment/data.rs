//! Labelled review files (`<name>_train.csv` / `<name>_test.csv`) as training and
//! evaluation sets. Columns are found by header name, so any file with a label
//! column (`label`/`sentiment`) and a text column (`review`/`text`/`content`)
//! works; the language of a file is the language of most of its texts.

use std::path::{Path, PathBuf};

use super::error::{Error, Result};
use super::model::SentimentLabel;
use crate::text::lang::{Language, detect_language};

#[derive(Clone, Debug, PartialEq)]
pub struct LabelledText {
    pub text: String,
    pub label: SentimentLabel,
    /// The `cat`/`category` column if present, else the file's name
    /// (`waimai`), so results can be broken down and domains held back.
    pub domain: String,
}

#[derive(Clone, Debug)]
pub struct LabelledFile {
    /// File name without `_train.csv` / `_test.csv`.
    pub name: String,
    pub language: Language,
    pub examples: Vec<LabelledText>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    Train,
    Test,
}

impl Split {
    fn suffix(self) -> &'static str {
        match self {
            Split::Train => "_train.csv",
            Split::Test => "_test.csv",
        }
    }
}

/// Training texts by language, as [`super::train`] takes them.
#[derive(Clone, Debug, Default)]
pub struct TrainingSet {
    pub zh: Vec<LabelledText>,
    pub en: Vec<LabelledText>,
    /// `(file name, language, texts)` of every file read, sorted by name.
    pub files: Vec<(String, Language, usize)>,
}

/// Reads every `*_train.csv` under `dir` into a [`TrainingSet`].
pub fn load_training_dir(dir: &Path) -> Result<TrainingSet> {
    let mut set = TrainingSet::default();
    for file in load_split(dir, Split::Train)? {
        set.files.push((file.name, file.language, file.examples.len()));
        match file.language {
            Language::En => set.en.extend(file.examples),
            _ => set.zh.extend(file.examples),
        }
    }
    Ok(set)
}

/// Reads every `*_train.csv` or `*_test.csv` under `dir` whose header has a label
/// and a text column, sorted by file name; other CSV files are skipped.
pub fn load_split(dir: &Path, split: Split) -> Result<Vec<LabelledFile>> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()).map_err(io))
        .collect::<Result<_>>()?;
    paths.retain(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(split.suffix()))
    });
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        if let Some(examples) = read_if_labelled(&path)? {
            let name = file_stem(&path, split.suffix());
            files.push(LabelledFile {
                language: majority_language(&examples),
                name,
                examples,
            });
        }
    }
    Ok(files)
}

/// Reads one labelled CSV file; an error if it lacks a label or text column.
pub fn load_labelled_csv(path: &Path) -> Result<Vec<LabelledText>> {
    read_if_labelled(path)?.ok_or_else(|| Error::Data {
        path: path.to_path_buf(),
        line: 1,
        message: "no label column (label/sentiment) or no text column (review/text/content)".into(),
    })
}

struct Columns {
    label: usize,
    text: usize,
    domain: Option<usize>,
}

fn read_if_labelled(path: &Path) -> Result<Option<Vec<LabelledText>>> {
    let csv_err = |source| Error::Csv {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(csv_err)?;
    let Some(cols) = find_columns(reader.headers().map_err(csv_err)?) else {
        return Ok(None);
    };
    let default_domain = file_stem(path, ".csv").replace("_train", "").replace("_test", "");
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_err)?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let label = parse_label(field(cols.label)).ok_or_else(|| Error::Data {
            path: path.to_path_buf(),
            line,
            message: format!("unknown label {:?}", field(cols.label)),
        })?;
        let domain = cols
            .domain
            .map_or_else(|| default_domain.clone(), |i| field(i).to_string());
        out.push(LabelledText {
            text: field(cols.text).to_string(),
            label,
            domain,
        });
    }
    Ok(Some(out))
}

fn find_columns(headers: &csv::StringRecord) -> Option<Columns> {
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&h.trim().to_ascii_lowercase().as_str()))
    };
    Some(Columns {
        label: find(&["label", "sentiment"])?,
        text: find(&["review", "text", "content"])?,
        domain: find(&["cat", "category"]),
    })
}

/// `1`/`positive`/`pos`, `0`/`negative`/`neg`, `neutral`/`neu`.
pub(crate) fn parse_label(s: &str) -> Option<SentimentLabel> {
    match s.to_ascii_lowercase().as_str() {
        "1" | "positive" | "pos" => Some(SentimentLabel::Positive),
        "0" | "negative" | "neg" => Some(SentimentLabel::Negative),
        "neutral" | "neu" => Some(SentimentLabel::Neutral),
        _ => None,
    }
}

fn file_stem(path: &Path, suffix: &str) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.strip_suffix(suffix).unwrap_or(name).to_string()
}

/// `en` if most texts are English, else `zh` (the Chinese model also takes the
/// texts of other languages).
fn majority_language(examples: &[LabelledText]) -> Language {
    let en = examples
        .iter()
        .filter(|e| detect_language(&e.text) == Language::En)
        .count();
    if en * 2 > examples.len() {
        Language::En
    } else {
        Language::Zh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_labelled_files_by_header() {
        let dir = std::env::temp_dir().join(format!("vx-sentiment-data-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("shop_train.csv"),
            "cat,label,review\n水果,1,很甜\n水果,0,烂了\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("air_train.csv"),
            "label,reason,text\nneutral,,@united is the flight on time\npositive,,great\n",
        )
        .unwrap();
        std::fs::write(dir.join("other_train.csv"), "a,b\n1,2\n").unwrap();
        let set = load_training_dir(&dir).unwrap();
        assert_eq!(
            set.files,
            vec![("air".into(), Language::En, 2), ("shop".into(), Language::Zh, 2)]
        );
        assert_eq!(
            set.zh[0],
            LabelledText {
                text: "很甜".into(),
                label: SentimentLabel::Positive,
                domain: "水果".into()
            }
        );
        assert_eq!(set.en[0].domain, "air");
        std::fs::write(dir.join("bad_test.csv"), "label,text\nmaybe,hm\n").unwrap();
        let err = load_split(&dir, Split::Test).unwrap_err().to_string();
        assert!(err.contains("bad_test.csv:2") && err.contains("maybe"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
