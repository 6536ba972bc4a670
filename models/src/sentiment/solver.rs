//! L2-regularised squared-hinge linear SVM (scikit-learn's `LinearSVC` objective)
//! trained by dual coordinate descent (Hsieh, Chang, Lin, Keerthi, Sundararajan,
//! ICML 2008; LIBLINEAR solver 1 without shrinking).
//!
//! Hand-written rather than taken from linfa or smartcore because those solvers
//! take a dense feature matrix; here each row has a few hundred non-zeros out of
//! 2^20 columns and one update touches only those. The dual needs no learning rate
//! and converges in tens of passes; the visiting order is shuffled with a seeded
//! generator so training is deterministic.

/// Rows of L2-normalised sparse feature vectors.
#[derive(Clone, Debug, Default)]
pub(crate) struct Csr {
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
}

impl Csr {
    pub(crate) fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        (&self.indices[a..b], &self.values[a..b])
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct SvmParams {
    pub max_epochs: u32,
    /// Stop when the spread of projected gradients falls below this (LIBLINEAR's eps).
    pub tolerance: f64,
    pub seed: u64,
}

/// Weights over the feature columns plus a bias (a constant feature of value 1).
#[derive(Clone, Debug)]
pub(crate) struct LinearFit {
    pub weights: Vec<f64>,
    pub bias: f64,
    pub epochs: u32,
    pub converged: bool,
}

impl LinearFit {
    pub(crate) fn margin(&self, (idx, val): (&[u32], &[f32])) -> f64 {
        self.bias + dot(&self.weights, idx, val)
    }
}

fn dot(w: &[f64], idx: &[u32], val: &[f32]) -> f64 {
    idx.iter().zip(val).map(|(&j, &v)| w[j as usize] * f64::from(v)).sum()
}

/// Training rows and their targets: row `r` of `x` has label `y[r]` (true = +1) and
/// margin-violation penalty `cost[r]` (the `C` of LinearSVC times a class weight).
pub(crate) struct Problem<'a> {
    pub x: &'a Csr,
    pub columns: usize,
    pub y: &'a [bool],
    pub cost: &'a [f64],
}

/// Fits on the rows listed in `rows` of the problem.
pub(crate) fn fit(pb: &Problem<'_>, rows: &[usize], p: &SvmParams, on_epoch: &mut dyn FnMut(u32, f64)) -> LinearFit {
    let (x, y) = (pb.x, pb.y);
    let mut w = vec![0f64; pb.columns];
    let mut bias = 0f64;
    let mut alpha = vec![0f64; rows.len()];
    let diag: Vec<f64> = rows.iter().map(|&r| 0.5 / pb.cost[r]).collect();
    let qd: Vec<f64> = rows
        .iter()
        .zip(&diag)
        .map(|(&r, d)| sq_norm(x.row(r).1) + 1.0 + d)
        .collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut rng = SplitMix64(p.seed);
    for epoch in 1..=p.max_epochs {
        rng.shuffle(&mut order);
        let (mut pg_max, mut pg_min) = (f64::NEG_INFINITY, f64::INFINITY);
        for &k in &order {
            let (idx, val) = x.row(rows[k]);
            let yk = if y[rows[k]] { 1.0 } else { -1.0 };
            let g = yk * (bias + dot(&w, idx, val)) - 1.0 + diag[k] * alpha[k];
            let pg = if alpha[k] == 0.0 { g.min(0.0) } else { g };
            pg_max = pg_max.max(pg);
            pg_min = pg_min.min(pg);
            if pg.abs() > 1e-12 {
                let old = alpha[k];
                alpha[k] = (old - g / qd[k]).max(0.0);
                let d = (alpha[k] - old) * yk;
                idx.iter()
                    .zip(val)
                    .for_each(|(&j, &v)| w[j as usize] += d * f64::from(v));
                bias += d;
            }
        }
        on_epoch(epoch, pg_max - pg_min);
        if pg_max - pg_min < p.tolerance {
            return LinearFit {
                weights: w,
                bias,
                epochs: epoch,
                converged: true,
            };
        }
    }
    LinearFit {
        weights: w,
        bias,
        epochs: p.max_epochs,
        converged: false,
    }
}

fn sq_norm(v: &[f32]) -> f64 {
    v.iter().map(|&x| f64::from(x) * f64::from(x)).sum()
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, seedable, good enough to shuffle.
pub(crate) struct SplitMix64(pub u64);

impl SplitMix64 {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Fisher-Yates.
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two separable clusters on features 0 and 1, feature 2 is noise.
    fn toy() -> (Csr, Vec<bool>) {
        let mut x = Csr {
            indptr: vec![0],
            ..Csr::default()
        };
        let mut y = Vec::new();
        for i in 0..40 {
            let positive = i % 2 == 0;
            x.indices.extend([if positive { 0 } else { 1 }, 2]);
            x.values.extend([0.8, 0.6]);
            x.indptr.push(x.indices.len());
            y.push(positive);
        }
        (x, y)
    }

    fn params() -> SvmParams {
        SvmParams {
            max_epochs: 200,
            tolerance: 1e-4,
            seed: 7,
        }
    }

    #[test]
    fn separates_toy_data() {
        let (x, y) = toy();
        let rows: Vec<usize> = (0..y.len()).collect();
        let cost = vec![1.0; rows.len()];
        let pb = Problem {
            x: &x,
            columns: 3,
            y: &y,
            cost: &cost,
        };
        let fit = fit(&pb, &rows, &params(), &mut |_, _| {});
        assert!(fit.converged);
        for (r, &label) in y.iter().enumerate() {
            assert_eq!(fit.margin(x.row(r)) > 0.0, label);
        }
        assert!(fit.weights[0] > 0.5 && fit.weights[1] < -0.5);
    }

    #[test]
    fn deterministic_given_seed() {
        let (x, y) = toy();
        let rows: Vec<usize> = (0..y.len()).collect();
        let cost = vec![1.0; rows.len()];
        let pb = Problem {
            x: &x,
            columns: 3,
            y: &y,
            cost: &cost,
        };
        let short = SvmParams {
            max_epochs: 3,
            ..params()
        };
        let a = fit(&pb, &rows, &short, &mut |_, _| {});
        let b = fit(&pb, &rows, &short, &mut |_, _| {});
        assert_eq!(a.weights, b.weights);
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut v: Vec<u32> = (0..100).collect();
        SplitMix64(1).shuffle(&mut v);
        assert_ne!(v, (0..100).collect::<Vec<_>>());
        v.sort_unstable();
        assert_eq!(v, (0..100).collect::<Vec<_>>());
    }
}
