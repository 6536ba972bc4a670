//! The supervised half of classification: level-1 and level-2 classifiers
//! trained from the company's corrected labels (`feedback_labels`) and the
//! taxonomy's own `examples`, and their attachment to a [`Taxonomy`].

use super::error::{Error, Result};
use super::linear::{LinearClassifier, LinearConfig, softmax, train_linear};
use super::{Category, Taxonomy};

/// One labelled feedback text (a row of `feedback_labels`).
#[derive(Clone, Debug, PartialEq)]
pub struct LabelledFeedback {
    pub feedback_id: String,
    pub text: String,
    /// Level-1 category id.
    pub l1: String,
    /// Level-2 category id (a child of `l1`), if the analyst gave one.
    pub l2: Option<String>,
}

/// Level-1 (and, with enough level-2 labels, level-2) classifiers for one
/// taxonomy version. Immutable, `Send + Sync`; save with
/// [`save`](TaxonomyModel::save).
#[derive(Clone, Debug)]
pub struct TaxonomyModel {
    pub(crate) taxonomy_version: String,
    pub(crate) l1: LinearClassifier,
    pub(crate) l2: Option<LinearClassifier>,
    pub(crate) examples: usize,
}

impl TaxonomyModel {
    /// The version of the taxonomy the labels were checked against.
    pub fn taxonomy_version(&self) -> &str {
        &self.taxonomy_version
    }

    pub fn level1(&self) -> &LinearClassifier {
        &self.l1
    }

    pub fn level2(&self) -> Option<&LinearClassifier> {
        self.l2.as_ref()
    }

    /// Number of labelled texts it was trained on.
    pub fn examples(&self) -> usize {
        self.examples
    }
}

/// [`train_taxonomy_model_with`] with [`LinearConfig::default`].
pub fn train_taxonomy_model(taxonomy: &Taxonomy, examples: &[LabelledFeedback]) -> Result<TaxonomyModel> {
    train_taxonomy_model_with(taxonomy, examples, &LinearConfig::default())
}

/// Trains on `examples` plus the `examples` listed in the taxonomy file. Every
/// label must exist in the taxonomy (`l2` a child of `l1`); level 1 needs at
/// least two categories, level 2 is trained when two or more level-2
/// categories are labelled.
pub fn train_taxonomy_model_with(
    taxonomy: &Taxonomy,
    examples: &[LabelledFeedback],
    config: &LinearConfig,
) -> Result<TaxonomyModel> {
    let mut all: Vec<LabelledFeedback> = file_examples(taxonomy.categories());
    all.extend(examples.iter().cloned());
    all.iter().try_for_each(|e| check_labels(taxonomy, e))?;
    let texts: Vec<&str> = all.iter().map(|e| e.text.as_str()).collect();
    let l1_labels: Vec<&str> = all.iter().map(|e| e.l1.as_str()).collect();
    let l1 = train_linear(&texts, &l1_labels, config)?;
    let with_l2: Vec<(&str, &str)> = all
        .iter()
        .filter_map(|e| e.l2.as_deref().map(|l2| (e.text.as_str(), l2)))
        .collect();
    let (l2_texts, l2_labels): (Vec<&str>, Vec<&str>) = with_l2.into_iter().unzip();
    let distinct = {
        let mut v = l2_labels.clone();
        v.sort_unstable();
        v.dedup();
        v.len()
    };
    let l2 = if distinct >= 2 {
        Some(train_linear(&l2_texts, &l2_labels, config)?)
    } else {
        None
    };
    Ok(TaxonomyModel {
        taxonomy_version: taxonomy.version().to_owned(),
        l1,
        l2,
        examples: all.len(),
    })
}

/// The `examples` of the taxonomy file as labelled texts.
fn file_examples(categories: &[Category]) -> Vec<LabelledFeedback> {
    let mut out = Vec::new();
    for c in categories {
        for (n, text) in c.examples.iter().enumerate() {
            out.push(LabelledFeedback {
                feedback_id: format!("taxonomy:{}#{}", c.id, n + 1),
                text: text.clone(),
                l1: c.parent.clone().unwrap_or_else(|| c.id.clone()),
                l2: c.parent.as_ref().map(|_| c.id.clone()),
            });
        }
    }
    out
}

fn check_labels(taxonomy: &Taxonomy, e: &LabelledFeedback) -> Result<()> {
    let fail = |message: String| Error::Example {
        feedback_id: e.feedback_id.clone(),
        message,
    };
    match taxonomy.category(&e.l1) {
        None => return Err(fail(format!("unknown level-1 category `{}`", e.l1))),
        Some(c) if c.parent.is_some() => {
            return Err(fail(format!("`{}` is a level-2 category", e.l1)));
        }
        Some(_) => {}
    }
    if let Some(l2) = &e.l2
        && taxonomy.category(l2).and_then(|c| c.parent.as_deref()) != Some(e.l1.as_str())
    {
        return Err(fail(format!("`{l2}` is not a level-2 category of `{}`", e.l1)));
    }
    Ok(())
}

/// A model mapped onto the categories of the taxonomy it is attached to.
#[derive(Debug)]
pub(crate) struct AttachedModel {
    pub model: TaxonomyModel,
    /// Per model class (level 1, then level 2): the category index, if any.
    l1_map: Vec<Option<usize>>,
    l2_map: Vec<Option<usize>>,
    categories: usize,
}

impl AttachedModel {
    pub(crate) fn new(model: TaxonomyModel, categories: &[Category]) -> AttachedModel {
        let map = |c: &LinearClassifier| {
            c.classes()
                .iter()
                .map(|id| categories.iter().position(|k| &k.id == id))
                .collect()
        };
        AttachedModel {
            l1_map: map(&model.l1),
            l2_map: model.l2.as_ref().map_or_else(Vec::new, map),
            categories: categories.len(),
            model,
        }
    }

    /// Level-1 and level-2 probabilities indexed by category (`None`: no
    /// feature of the text was seen in training).
    pub(crate) fn probabilities(&self, text: &str) -> Option<(Vec<f32>, Vec<f32>)> {
        let l1 = self.spread(&self.model.l1, &self.l1_map, text)?;
        let l2 = match &self.model.l2 {
            Some(c) => self.spread(c, &self.l2_map, text).unwrap_or_default(),
            None => Vec::new(),
        };
        let l2 = if l2.is_empty() { vec![0.0; self.categories] } else { l2 };
        Some((l1, l2))
    }

    fn spread(&self, c: &LinearClassifier, map: &[Option<usize>], text: &str) -> Option<Vec<f32>> {
        let mut margins = vec![0f32; c.classes().len()];
        if !c.margins_of_normalized(text, &mut margins) {
            return None;
        }
        let p = softmax(&margins, c.temperature);
        let mut out = vec![0f32; self.categories];
        map.iter()
            .zip(&p)
            .filter_map(|(k, p)| k.map(|k| (k, p)))
            .for_each(|(k, p)| out[k] += p);
        Some(out)
    }
}
