//! From bucket counts to the L2-normalised rows the solver sees: each bucket gets a
//! *scale* — its idf, optionally times the naive-Bayes log-count ratio — and a
//! text's value for it is `(1 + ln tf) * scale`. The scale is all inference needs
//! per bucket besides the weights, so the model file stores it in place of an idf.

use rayon::prelude::*;

use super::data::LabelledText;
use super::features::{FeatureConfig, Featurizer, tf_weight};
use super::solver::Csr;
use crate::text::normalize::normalize;

/// Per text, its `(bucket, count)` pairs sorted by bucket.
pub(crate) type CountRows = Vec<Vec<(u32, u32)>>;

pub(crate) fn count_rows(featurizer: &Featurizer, data: &[LabelledText]) -> CountRows {
    count_texts(featurizer, data.par_iter().map(|d| d.text.as_str()))
}

/// [`count_rows`] over plain texts (the taxonomy's supervised classifier).
pub(crate) fn count_texts<'a>(
    featurizer: &Featurizer,
    texts: impl IndexedParallelIterator<Item = &'a str>,
) -> CountRows {
    texts
        .map_init(Vec::new, |raw, text| {
            raw.clear();
            featurizer.extract(&normalize(text), raw);
            raw.sort_unstable();
            raw.chunk_by(|a, b| a == b)
                .map(|run| (run[0], run.len() as u32))
                .collect()
        })
        .collect()
}

/// Smoothed idf as scikit-learn, `ln((1 + n) / (1 + df)) + 1`, and 0 for buckets
/// in fewer than `min_df` texts. Uses no labels, so all training texts count.
pub(crate) fn idf(rows: &CountRows, config: &FeatureConfig) -> Vec<f32> {
    let mut df = vec![0u32; config.buckets()];
    rows.iter().flatten().for_each(|&(j, _)| df[j as usize] += 1);
    let n = rows.len() as f64;
    df.iter()
        .map(|&d| {
            if d == 0 || d < config.min_df {
                0.0
            } else {
                (((1.0 + n) / (1.0 + f64::from(d))).ln() + 1.0) as f32
            }
        })
        .collect()
}

/// `idf * |r|^power` where `r = ln((p / |p|_1) / (q / |q|_1))` and `p`, `q` are the
/// add-one-smoothed numbers of positive and negative texts (among `rows`)
/// containing the bucket (Wang & Manning 2012, NBSVM). Buckets that tell the
/// classes apart are stretched, those that do not are shrunk towards zero, which
/// acts as a per-feature prior for the SVM. `power = 0` returns the idf.
pub(crate) fn nb_scale(idf: &[f32], counts: &CountRows, positive: &[bool], rows: &[usize], power: f32) -> Vec<f32> {
    if power == 0.0 {
        return idf.to_vec();
    }
    let (mut p, mut q) = (vec![1f64; idf.len()], vec![1f64; idf.len()]);
    for &r in rows {
        let side = if positive[r] { &mut p } else { &mut q };
        counts[r].iter().for_each(|&(j, _)| side[j as usize] += 1.0);
    }
    let (sp, sq): (f64, f64) = (p.iter().sum(), q.iter().sum());
    idf.iter()
        .zip(p.iter().zip(&q))
        .map(|(&g, (&pj, &qj))| {
            if g > 0.0 {
                g * (((pj / sp) / (qj / sq)).ln().abs() as f32).powf(power)
            } else {
                0.0
            }
        })
        .collect()
}

/// Rows of `(1 + ln tf) * scale`, L2-normalised, buckets with scale 0 dropped.
pub(crate) fn build_rows(counts: &CountRows, scale: &[f32]) -> Csr {
    let mut x = Csr {
        indptr: Vec::with_capacity(counts.len() + 1),
        ..Csr::default()
    };
    x.indptr.push(0);
    for row in counts {
        let start = x.indices.len();
        for &(j, count) in row.iter().filter(|(j, _)| scale[*j as usize] > 0.0) {
            x.indices.push(j);
            x.values.push(tf_weight(count) * scale[j as usize]);
        }
        let norm = x.values[start..].iter().map(|v| v * v).sum::<f32>().sqrt();
        x.values[start..]
            .iter_mut()
            .for_each(|v| *v /= norm.max(f32::MIN_POSITIVE));
        x.indptr.push(x.indices.len());
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> FeatureConfig {
        FeatureConfig {
            hash_bits: 10,
            min_df: 2,
            ..FeatureConfig::chinese()
        }
    }

    #[test]
    fn idf_matches_sklearn_and_min_df() {
        let rows: CountRows = vec![vec![(1, 1), (2, 3)], vec![(1, 2)], vec![(1, 1)]];
        let idf = idf(&rows, &config());
        assert!((idf[1] - 1.0).abs() < 1e-6);
        assert_eq!(idf[2], 0.0, "df 1 < min_df 2");
        assert_eq!(idf[3], 0.0);
    }

    #[test]
    fn rows_are_unit_length() {
        let rows: CountRows = vec![vec![(1, 1), (2, 3), (5, 1)], vec![(5, 1)]];
        let mut scale = vec![0f32; 8];
        scale[1] = 2.0;
        scale[2] = 1.0;
        let x = build_rows(&rows, &scale);
        let (idx, val) = x.row(0);
        assert_eq!(idx, &[1, 2]);
        assert!((val.iter().map(|v| v * v).sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(x.row(1).0.is_empty());
    }

    #[test]
    fn nb_scale_favours_telling_buckets() {
        // Bucket 1 only in positives, bucket 2 in both.
        let counts: CountRows = vec![vec![(1, 1), (2, 1)], vec![(1, 1), (2, 1)], vec![(2, 1)], vec![(2, 1)]];
        let idf = vec![1f32; 4];
        let s = nb_scale(&idf, &counts, &[true, true, false, false], &[0, 1, 2, 3], 1.0);
        // r1 = ln((3/8)/(1/6)) = 0.81, |r2| = |ln((3/8)/(3/6))| = 0.29.
        assert!(
            (s[1] - 2.25f32.ln()).abs() < 1e-5 && (s[2] - 0.75f32.ln().abs()).abs() < 1e-5,
            "{s:?}"
        );
        assert_eq!(nb_scale(&idf, &counts, &[true; 4], &[0], 0.0), idf);
    }
}
