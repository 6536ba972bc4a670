//! Platt scaling: `P(y = 1 | margin) = sigmoid(a * margin + b)`, fitted by Newton's
//! method with backtracking on held-out margins (Lin, Lin, Weng 2007, "A note on
//! Platt's probabilistic outputs", including its smoothed targets).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Platt {
    pub a: f64,
    pub b: f64,
}

/// Smallest slope kept, so a probability never decreases as the margin grows.
const MIN_SLOPE: f64 = 1e-3;

impl Platt {
    pub(crate) fn probability(&self, margin: f64) -> f64 {
        sigmoid(self.a * margin + self.b)
    }

    /// Fits on `(margin, is_positive)` pairs. With no data, the identity-like
    /// `sigmoid(margin)` is returned.
    pub(crate) fn fit(margins: &[f64], positive: &[bool]) -> Platt {
        let n_pos = positive.iter().filter(|&&p| p).count() as f64;
        let n_neg = positive.len() as f64 - n_pos;
        if margins.is_empty() {
            return Platt { a: 1.0, b: 0.0 };
        }
        let (hi, lo) = ((n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0));
        let t: Vec<f64> = positive.iter().map(|&p| if p { hi } else { lo }).collect();
        // Platt's parametrisation: P = 1 / (1 + exp(A f + B)).
        let (mut a, mut b) = (0.0, ((n_neg + 1.0) / (n_pos + 1.0)).ln());
        let mut fval = nll(margins, &t, a, b);
        for _ in 0..100 {
            let (g1, g2, h11, h22, h21) = gradient_hessian(margins, &t, a, b);
            if g1.abs() < 1e-5 && g2.abs() < 1e-5 {
                break;
            }
            let det = h11 * h22 - h21 * h21;
            let (da, db) = (-(h22 * g1 - h21 * g2) / det, -(-h21 * g1 + h11 * g2) / det);
            let gd = g1 * da + g2 * db;
            let mut step = 1.0;
            while step >= 1e-10 {
                let (na, nb) = (a + step * da, b + step * db);
                let nf = nll(margins, &t, na, nb);
                if nf < fval + 1e-4 * step * gd {
                    (a, b, fval) = (na, nb, nf);
                    break;
                }
                step /= 2.0;
            }
            if step < 1e-10 {
                break;
            }
        }
        Platt {
            a: (-a).max(MIN_SLOPE),
            b: -b,
        }
    }
}

pub(crate) fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        z.exp() / (1.0 + z.exp())
    }
}

fn nll(f: &[f64], t: &[f64], a: f64, b: f64) -> f64 {
    f.iter()
        .zip(t)
        .map(|(&fi, &ti)| {
            let z = fi * a + b;
            if z >= 0.0 {
                ti * z + (-z).exp().ln_1p()
            } else {
                (ti - 1.0) * z + z.exp().ln_1p()
            }
        })
        .sum()
}

fn gradient_hessian(f: &[f64], t: &[f64], a: f64, b: f64) -> (f64, f64, f64, f64, f64) {
    let (mut g1, mut g2, mut h11, mut h22, mut h21) = (0.0, 0.0, 1e-12, 1e-12, 0.0);
    for (&fi, &ti) in f.iter().zip(t) {
        let p = sigmoid(-(fi * a + b));
        let d2 = p * (1.0 - p);
        h11 += fi * fi * d2;
        h22 += d2;
        h21 += fi * d2;
        g1 += fi * (ti - p);
        g2 += ti - p;
    }
    (g1, g2, h11, h22, h21)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentiment::solver::SplitMix64;

    /// Margins drawn so that the true P(positive | m) = sigmoid(2m - 0.5).
    fn sample(n: usize) -> (Vec<f64>, Vec<bool>) {
        let mut rng = SplitMix64(3);
        let uniform = |r: &mut SplitMix64| (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        (0..n)
            .map(|_| {
                let m = uniform(&mut rng) * 6.0 - 3.0;
                (m, uniform(&mut rng) < sigmoid(2.0 * m - 0.5))
            })
            .unzip()
    }

    #[test]
    fn recovers_known_sigmoid() {
        let (m, y) = sample(20_000);
        let p = Platt::fit(&m, &y);
        assert!((p.a - 2.0).abs() < 0.15, "{p:?}");
        assert!((p.b + 0.5).abs() < 0.1, "{p:?}");
    }

    #[test]
    fn monotonic_in_margin() {
        let (m, y) = sample(2_000);
        let p = Platt::fit(&m, &y);
        let probs: Vec<f64> = (-50..=50).map(|i| p.probability(f64::from(i) / 10.0)).collect();
        assert!(probs.windows(2).all(|w| w[0] <= w[1]));
        // Even anti-correlated data cannot make it decreasing.
        let flipped: Vec<bool> = y.iter().map(|b| !b).collect();
        assert!(Platt::fit(&m, &flipped).a > 0.0);
    }

    #[test]
    fn empty_input_is_harmless() {
        assert_eq!(Platt::fit(&[], &[]).probability(0.0), 0.5);
    }
}
