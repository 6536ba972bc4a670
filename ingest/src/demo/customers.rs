//! Customers: how many there are, who is busy (Zipf–Mandelbrot activity), and
//! their stable attributes (tier, region, contact) derived from a hash of the
//! seed and the customer, so no per-customer table is kept in memory.

use rand::rngs::SmallRng;

use super::noise;
use super::sampling::{WeightedTable, ZipfRanks, mix64, unit};
use super::vocab::{REGIONS, TIERS};

/// The first customer id; ids run `FIRST_CUSTOMER_ID..FIRST_CUSTOMER_ID + count`.
pub(super) const FIRST_CUSTOMER_ID: u64 = 100_000_000;
/// At most a million customers (reached at 10M rows).
pub(super) const MAX_CUSTOMERS: u64 = 1_000_000;

/// One customer as a record sees it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Customer {
    pub id: u64,
    pub tier: &'static str,
    pub region: usize,
    /// Hash the contact is derived from, if the customer left one.
    contact: Option<u64>,
}

impl Customer {
    /// Writes the customer's phone number or e-mail, if any, into `out`.
    pub(super) fn contact_into(&self, out: &mut String) -> bool {
        let Some(h) = self.contact else { return false };
        if h % 4 == 0 {
            noise::email(mix64(h), out);
        } else {
            noise::phone(mix64(h), out);
        }
        true
    }

    pub(super) fn is_gold(&self) -> bool {
        self.tier == TIERS[2]
    }
}

/// Draws customers with Zipf-like activity.
#[derive(Debug)]
pub(super) struct CustomerBase {
    count: u64,
    salt: u64,
    ranks: ZipfRanks,
    /// Bits of the smallest power of two >= `count`, for the rank → index permutation.
    bits: u32,
    regions: WeightedTable,
}

impl CustomerBase {
    /// About one customer per ten rows, between 50 and a million.
    pub(super) fn new(rows: u64, seed: u64) -> Self {
        let count = (rows / 10).clamp(50, MAX_CUSTOMERS);
        let salt = mix64(seed ^ 0xC057_0E45);
        Self {
            count,
            salt,
            ranks: ZipfRanks::new(count, 1.02, 60.0),
            bits: u64::BITS - (count - 1).leading_zeros(),
            regions: WeightedTable::new(REGIONS.iter().map(|r| r.population * r.online)),
        }
    }

    #[cfg(test)]
    pub(super) fn count(&self) -> u64 {
        self.count
    }

    /// Draws the customer of the next record.
    pub(super) fn draw(&self, rng: &mut SmallRng) -> Customer {
        let rank = self.ranks.sample(rng);
        self.customer(self.scatter(rank), rank)
    }

    /// The stable attributes of customer `index` with activity `rank`.
    fn customer(&self, index: u64, rank: u64) -> Customer {
        let h = mix64(self.salt ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let busy = rank < (self.count / 200).max(1);
        let u = unit(h);
        let (gold, silver) = if busy { (0.35, 0.35) } else { (0.07, 0.18) };
        let tier = if u < gold {
            TIERS[2]
        } else if u < gold + silver {
            TIERS[1]
        } else {
            TIERS[0]
        };
        let region = self.regions.pick(unit(mix64(h ^ 1)));
        let contact = (unit(mix64(h ^ 2)) < 0.6).then(|| mix64(h ^ 3));
        Customer {
            id: FIRST_CUSTOMER_ID + index,
            tier,
            region,
            contact,
        }
    }
}

impl CustomerBase {
    /// A seeded bijection of `0..count` that scatters busy customers over the
    /// id range: an invertible mix on `bits`-bit words, cycle-walked into range.
    fn scatter(&self, rank: u64) -> u64 {
        let mut x = rank;
        loop {
            x = self.mix_bits(x);
            if x < self.count {
                return x;
            }
        }
    }

    /// xor-key, odd multiply and xorshift are each invertible modulo 2^bits.
    fn mix_bits(&self, mut x: u64) -> u64 {
        let mask = u64::MAX >> (u64::BITS - self.bits.max(1));
        let shift = (self.bits / 2).max(1);
        for key in [self.salt, self.salt.rotate_left(21)] {
            x = ((x ^ key) & mask).wrapping_mul(0x9E37_79B9_7F4A_7C15) & mask;
            x ^= x >> shift;
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use std::collections::HashMap;

    #[test]
    fn attributes_are_stable_and_activity_is_skewed() {
        let base = CustomerBase::new(200_000, 42);
        assert_eq!(base.count(), 20_000);
        let mut rng = SmallRng::seed_from_u64(1);
        let mut seen: HashMap<u64, (&str, usize, String)> = HashMap::new();
        let mut counts: HashMap<u64, u32> = HashMap::new();
        for _ in 0..200_000 {
            let c = base.draw(&mut rng);
            let mut contact = String::new();
            c.contact_into(&mut contact);
            let entry = seen.entry(c.id).or_insert((c.tier, c.region, contact.clone()));
            assert_eq!(*entry, (c.tier, c.region, contact));
            *counts.entry(c.id).or_default() += 1;
            assert!((FIRST_CUSTOMER_ID..FIRST_CUSTOMER_ID + 20_000).contains(&c.id));
        }
        let max = counts.values().copied().max().unwrap_or(0);
        assert!(max > 200, "busiest customer has {max} records");
        assert!(counts.len() > 8_000, "{} distinct customers", counts.len());
    }

    #[test]
    fn scatter_is_a_bijection() {
        for rows in [500u64, 640, 10_000, 1_234_560] {
            let base = CustomerBase::new(rows, 9);
            let mut seen: Vec<u64> = (0..base.count()).map(|r| base.scatter(r)).collect();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len() as u64, base.count());
            assert!(seen.last().is_some_and(|&m| m < base.count()));
        }
    }
}
