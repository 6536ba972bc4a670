//! Truncated SVD of the sparse TF-IDF matrix by randomized subspace iteration
//! (Halko, Martinsson & Tropp 2011, algorithms 4.3/5.1; what scikit-learn's
//! `TruncatedSVD` runs by default).
//!
//! Why by hand: the input is a hashed sparse matrix (50k texts x ~10^5 used
//! columns, ~100 non-zeros a row); linfa-reduction's PCA and random projections
//! take dense `ndarray` inputs (50k x 2^18 dense is 50 GB), and there is no
//! sparse SVD among the maintained Rust crates that does not bring a BLAS.
//! Randomized SVD only needs sparse x thin-dense products (already parallel in
//! [`super::matrix`]), a Cholesky QR of an `n x l` matrix and the eigenvectors
//! of one `l x l` matrix (`l` = rank + 10), both a few dozen lines.
//!
//! Only the document side is computed: the reduced vectors `U Σ` (= `A V`) are
//! what clustering needs, and stored topics live in the term space (see
//! `model`), so `V` is never formed.

use rayon::prelude::*;

use super::matrix::{Csr, Dense, dot};
use super::rng::SplitMix64;

const OVERSAMPLE: usize = 10;

/// The `rank`-dimensional LSA vectors `U Σ` of the rows of `a`.
pub(crate) fn reduce(a: &Csr, rank: usize, power_iters: usize, seed: u64) -> Dense {
    let l = (rank + OVERSAMPLE).min(a.rows()).min(a.cols);
    let rank = rank.min(l);
    if rank == 0 {
        return Dense::zeros(a.rows(), 0);
    }
    let at = a.transpose();
    let mut rng = SplitMix64::new(seed);
    let omega = Dense {
        rows: a.cols,
        cols: l,
        data: (0..a.cols * l).map(|_| rng.symmetric()).collect(),
    };
    // One Cholesky QR pass keeps the iterates well conditioned; the last
    // basis gets two so that it is orthonormal to working precision.
    let mut q = orthonormalize(a.mul_dense(&omega), 1);
    for i in 0..power_iters {
        let passes = if i + 1 == power_iters { 2 } else { 1 };
        q = orthonormalize(a.mul_dense(&at.mul_dense(&q)), passes);
    }
    if power_iters == 0 {
        q = orthonormalize(q, 1);
    }
    // B = Qᵀ A = Zᵀ; B Bᵀ = Zᵀ Z = W Λ Wᵀ; the left singular vectors are Q W.
    let (values, vectors) = symmetric_eigen(gram(&at.mul_dense(&q), None));
    project(&q, &values, &vectors, rank)
}

/// `U Σ = Q W √Λ`, keeping the `rank` largest eigenvalues.
fn project(q: &Dense, values: &[f64], vectors: &[f64], rank: usize) -> Dense {
    let l = q.cols;
    let mut order: Vec<usize> = (0..l).collect();
    order.sort_by(|&i, &j| values[j].total_cmp(&values[i]));
    order.truncate(rank);
    let basis: Vec<f32> = order
        .iter()
        .flat_map(|&j| {
            let sigma = values[j].max(0.0).sqrt();
            (0..l).map(move |i| (vectors[i * l + j] * sigma) as f32)
        })
        .collect();
    let mut out = Dense::zeros(q.rows, rank);
    out.data.par_chunks_mut(rank).enumerate().for_each(|(i, row)| {
        for (k, col) in basis.chunks_exact(l).enumerate() {
            row[k] = dot(q.row(i), col);
        }
    });
    out
}

/// `xᵀ y` (or `xᵀ x`), `l x l`, accumulated in f64, row-major, symmetrised.
fn gram(x: &Dense, y: Option<&Dense>) -> Vec<f64> {
    let l = x.cols;
    let partial = |range: std::ops::Range<usize>| {
        let mut g = vec![0f64; l * l];
        let (mut xi, mut yi) = (vec![0f64; l], vec![0f64; l]);
        for i in range {
            xi.iter_mut().zip(x.row(i)).for_each(|(d, &s)| *d = f64::from(s));
            let yi = match y {
                Some(y) => {
                    yi.iter_mut().zip(y.row(i)).for_each(|(d, &s)| *d = f64::from(s));
                    &yi
                }
                None => &xi,
            };
            // Upper triangle only when symmetric by construction.
            for a in 0..l {
                let from = if y.is_none() { a } else { 0 };
                let (xa, row) = (xi[a], &mut g[a * l + from..(a + 1) * l]);
                row.iter_mut().zip(&yi[from..]).for_each(|(g, &yb)| *g += xa * yb);
            }
        }
        g
    };
    let chunk = 1024;
    let mut g = (0..x.rows.div_ceil(chunk))
        .into_par_iter()
        .map(|c| partial(c * chunk..((c + 1) * chunk).min(x.rows)))
        .reduce(
            || vec![0f64; l * l],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
                a
            },
        );
    for a in 0..l {
        for b in 0..a {
            let m = match y {
                Some(_) => 0.5 * (g[a * l + b] + g[b * l + a]),
                None => g[b * l + a],
            };
            g[a * l + b] = m;
            g[b * l + a] = m;
        }
    }
    g
}

/// Orthonormal columns spanning `y`'s, by Cholesky QR (`passes` = 2 is
/// CholeskyQR2, Fukaya et al. 2014: as accurate as Householder QR); it only
/// needs `yᵀy` and a triangular solve per row, both parallel over rows.
fn orthonormalize(mut y: Dense, passes: usize) -> Dense {
    for _ in 0..passes {
        let lower = transpose(&cholesky_upper(gram(&y, None), y.cols), y.cols);
        y.data
            .par_chunks_mut(y.cols.max(1))
            .for_each_init(|| vec![0f64; y.cols], |x, row| solve_lower(&lower, row, x));
    }
    y
}

fn transpose(m: &[f64], l: usize) -> Vec<f64> {
    (0..l * l).map(|i| m[(i % l) * l + i / l]).collect()
}

/// Upper `R` with `Rᵀ R = g`; a rank-deficient `g` (fewer independent columns
/// than `l`) gets a tiny diagonal shift instead of failing.
fn cholesky_upper(mut g: Vec<f64>, l: usize) -> Vec<f64> {
    let trace: f64 = (0..l).map(|i| g[i * l + i]).sum();
    let shift = 1e-10 * (trace / l.max(1) as f64).max(f64::MIN_POSITIVE);
    for i in 0..l {
        g[i * l + i] += shift;
    }
    let mut r = vec![0f64; l * l];
    for j in 0..l {
        let s: f64 = (0..j).map(|k| r[k * l + j] * r[k * l + j]).sum();
        let d = (g[j * l + j] - s).max(shift).sqrt();
        r[j * l + j] = d;
        for i in j + 1..l {
            let s: f64 = (0..j).map(|k| r[k * l + j] * r[k * l + i]).sum();
            r[j * l + i] = (g[j * l + i] - s) / d;
        }
    }
    r
}

/// `row <- row R⁻¹`, i.e. forward substitution with `L = Rᵀ` (row-major, so
/// the inner loop is contiguous); `x` is scratch of the row's length.
fn solve_lower(lower: &[f64], row: &mut [f32], x: &mut [f64]) {
    let l = row.len();
    for j in 0..l {
        let s: f64 = lower[j * l..j * l + j].iter().zip(&x[..j]).map(|(a, b)| a * b).sum();
        x[j] = (f64::from(row[j]) - s) / lower[j * l + j];
    }
    row.iter_mut().zip(x.iter()).for_each(|(o, &v)| *o = v as f32);
}

/// Eigenvalues and eigenvectors (columns of the row-major result) of a small
/// symmetric matrix, by cyclic Jacobi rotations.
fn symmetric_eigen(mut a: Vec<f64>) -> (Vec<f64>, Vec<f64>) {
    let n = (a.len() as f64).sqrt() as usize;
    let mut v = vec![0f64; n * n];
    (0..n).for_each(|i| v[i * n + i] = 1.0);
    let norm: f64 = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    for _sweep in 0..60 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * n + j] * a[i * n + j])
            .sum::<f64>()
            .sqrt();
        if off <= 1e-13 * norm.max(f64::MIN_POSITIVE) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                rotate(&mut a, &mut v, n, p, q);
            }
        }
    }
    ((0..n).map(|i| a[i * n + i]).collect(), v)
}

/// One Jacobi rotation zeroing `a[p][q]`.
fn rotate(a: &mut [f64], v: &mut [f64], n: usize, p: usize, q: usize) {
    let apq = a[p * n + q];
    if apq.abs() < 1e-300 {
        return;
    }
    let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
    let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
    let t = if theta == 0.0 { 1.0 } else { t };
    let c = 1.0 / (t * t + 1.0).sqrt();
    let s = t * c;
    for k in 0..n {
        let (akp, akq) = (a[k * n + p], a[k * n + q]);
        a[k * n + p] = c * akp - s * akq;
        a[k * n + q] = s * akp + c * akq;
    }
    for k in 0..n {
        let (apk, aqk) = (a[p * n + k], a[q * n + k]);
        a[p * n + k] = c * apk - s * aqk;
        a[q * n + k] = s * apk + c * aqk;
    }
    for k in 0..n {
        let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
        v[k * n + p] = c * vkp - s * vkq;
        v[k * n + q] = s * vkp + c * vkq;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_diagonalises() {
        let (vals, vecs) = symmetric_eigen(vec![2.0, 1.0, 1.0, 2.0]);
        let mut sorted = vals.clone();
        sorted.sort_by(f64::total_cmp);
        assert!((sorted[0] - 1.0).abs() < 1e-12 && (sorted[1] - 3.0).abs() < 1e-12);
        // A v = λ v for each column.
        for j in 0..2 {
            let (x, y) = (vecs[j], vecs[2 + j]);
            assert!((2.0 * x + y - vals[j] * x).abs() < 1e-12);
        }
    }

    #[test]
    fn orthonormalize_gives_orthonormal_columns() {
        let mut rng = SplitMix64::new(3);
        let y = Dense {
            rows: 50,
            cols: 6,
            data: (0..300).map(|_| rng.symmetric()).collect(),
        };
        let q = orthonormalize(y, 2);
        let g = gram(&q, None);
        for a in 0..6 {
            for b in 0..6 {
                let want = if a == b { 1.0 } else { 0.0 };
                assert!((g[a * 6 + b] - want).abs() < 1e-5, "{a},{b}: {}", g[a * 6 + b]);
            }
        }
    }

    #[test]
    fn recovers_singular_values_of_a_diagonal_matrix() {
        // rows e_i * (i+1): singular values 1..=8, LSA vectors are the rows.
        let rows: Vec<Vec<(u32, f32)>> = (0..8).map(|i| vec![(i as u32, (i + 1) as f32)]).collect();
        let a = Csr::from_rows(8, rows.iter().map(Vec::as_slice));
        let us = reduce(&a, 3, 2, 1);
        assert_eq!((us.rows, us.cols), (8, 3));
        // The top 3 components keep rows 8, 7, 6 at full length, the rest at ~0.
        let norms: Vec<f32> = (0..8).map(|i| dot(us.row(i), us.row(i)).sqrt()).collect();
        for (i, n) in norms.iter().enumerate() {
            let want = if i >= 5 { (i + 1) as f32 } else { 0.0 };
            assert!((n - want).abs() < 1e-3, "row {i}: {n} vs {want}");
        }
    }
}
