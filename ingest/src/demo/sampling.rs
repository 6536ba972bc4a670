//! Sampling primitives shared by the demo generator.
//!
//! Everything here is allocation-free per draw: weighted tables are built once
//! (cumulative `f64` weights + binary search), Zipf–Mandelbrot ranks come from a
//! closed-form inverse CDF, and per-customer attributes come from a stateless
//! hash so that a customer looks the same every time it is drawn.

use rand::Rng;
use rand::rngs::SmallRng;

/// A discrete distribution over `0..len` built from non-negative weights.
#[derive(Debug, Clone)]
pub(super) struct WeightedTable {
    /// Cumulative weights normalised so that the last entry is 1.0.
    cumulative: Box<[f64]>,
}

impl WeightedTable {
    /// Builds the table; weights must not all be zero.
    pub(super) fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut total = 0.0;
        let mut cumulative: Vec<f64> = weights
            .into_iter()
            .map(|w| {
                total += w.max(0.0);
                total
            })
            .collect();
        assert!(total > 0.0, "weighted table needs a positive weight");
        cumulative.iter_mut().for_each(|c| *c /= total);
        Self {
            cumulative: cumulative.into_boxed_slice(),
        }
    }

    /// Draws an index with the table's probabilities.
    pub(super) fn sample(&self, rng: &mut SmallRng) -> usize {
        self.pick(rng.random::<f64>())
    }

    /// Maps a uniform `u` in `[0, 1)` to an index (used with hash-derived `u`).
    pub(super) fn pick(&self, u: f64) -> usize {
        let i = self.cumulative.partition_point(|&c| c <= u);
        i.min(self.cumulative.len() - 1)
    }

    /// The probability of index `i`.
    #[cfg(test)]
    pub(super) fn probability(&self, i: usize) -> f64 {
        let prev = if i == 0 { 0.0 } else { self.cumulative[i - 1] };
        self.cumulative[i] - prev
    }
}

/// Zipf–Mandelbrot ranks over `0..n`: `P(rank = r) ∝ (r + 1 + q)^-s`, drawn by
/// inverting the continuous CDF, so a draw costs two `powf` and no table.
#[derive(Debug, Clone, Copy)]
pub(super) struct ZipfRanks {
    n: u64,
    q: f64,
    one_minus_s: f64,
    head: f64,
    span: f64,
}

impl ZipfRanks {
    /// `s` must differ from 1 (the closed form needs `1 - s != 0`).
    pub(super) fn new(n: u64, s: f64, q: f64) -> Self {
        let one_minus_s = 1.0 - s;
        let head = (1.0 + q).powf(one_minus_s);
        let tail = (n as f64 + 1.0 + q).powf(one_minus_s);
        Self {
            n: n.max(1),
            q,
            one_minus_s,
            head,
            span: tail - head,
        }
    }

    /// Draws a rank in `0..n`; rank 0 is the most frequent.
    pub(super) fn sample(&self, rng: &mut SmallRng) -> u64 {
        let u = rng.random::<f64>();
        let x = (self.head + u * self.span).powf(1.0 / self.one_minus_s) - self.q - 1.0;
        (x.max(0.0) as u64).min(self.n - 1)
    }
}

/// SplitMix64 finaliser: a fast, well-mixed stateless hash of one word.
pub(super) fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Turns the top 53 bits of a hash into a uniform `f64` in `[0, 1)`.
pub(super) fn unit(h: u64) -> f64 {
    (h >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Picks one element uniformly.
pub(super) fn choose<T: Copy>(rng: &mut SmallRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// True with probability `p`.
pub(super) fn chance(rng: &mut SmallRng, p: f64) -> bool {
    rng.random::<f64>() < p
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn weighted_table_matches_weights() {
        let table = WeightedTable::new([1.0, 3.0, 0.0, 6.0]);
        let mut rng = SmallRng::seed_from_u64(7);
        let mut counts = [0u32; 4];
        (0..100_000).for_each(|_| counts[table.sample(&mut rng)] += 1);
        assert_eq!(counts[2], 0);
        assert!((counts[3] as f64 / 100_000.0 - 0.6).abs() < 0.01, "{counts:?}");
        assert!((table.probability(1) - 0.3).abs() < 1e-12);
    }

    #[test]
    fn zipf_ranks_are_skewed_and_in_range() {
        let zipf = ZipfRanks::new(1000, 1.1, 2.0);
        let mut rng = SmallRng::seed_from_u64(1);
        let draws: Vec<u64> = (0..50_000).map(|_| zipf.sample(&mut rng)).collect();
        assert!(draws.iter().all(|&r| r < 1000));
        let top = draws.iter().filter(|&&r| r < 10).count();
        let bottom = draws.iter().filter(|&&r| r >= 990).count();
        assert!(top > 20 * bottom.max(1), "top {top} bottom {bottom}");
    }
}
