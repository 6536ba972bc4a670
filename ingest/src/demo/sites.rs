//! Where offline and agent-handled feedback comes from: stores per province
//! (`store-GD-007`) and support agents (`agent-017`) with uneven workloads.
//! Built once per process so records can borrow `&'static str` ids.

use std::sync::OnceLock;

use rand::rngs::SmallRng;

use super::sampling::{WeightedTable, choose};
use super::vocab::{AGENT_COUNT, REGIONS};

/// About this many stores nationwide, spread by regional weight.
const STORES: f64 = 300.0;

#[derive(Debug)]
pub(super) struct Sites {
    agents: Vec<&'static str>,
    agent_load: WeightedTable,
    /// Store ids per region, in `REGIONS` order.
    stores: Vec<Vec<&'static str>>,
}

/// The process-wide stores and agents.
pub(super) fn sites() -> &'static Sites {
    static SITES: OnceLock<Sites> = OnceLock::new();
    SITES.get_or_init(build)
}

fn build() -> Sites {
    let agents = (1..=AGENT_COUNT).map(|i| leak(format!("agent-{i:03}"))).collect();
    // Senior agents take more contacts: load falls off gently with the number.
    let agent_load = WeightedTable::new((0..AGENT_COUNT).map(|i| 1.0 / (i as f64 + 8.0).sqrt()));
    let total: f64 = REGIONS.iter().map(|r| r.population * r.online).sum();
    let stores = REGIONS
        .iter()
        .map(|r| {
            let n = ((r.population * r.online / total * STORES).round() as usize).max(1);
            (1..=n).map(|i| leak(format!("store-{}-{i:03}", r.code))).collect()
        })
        .collect();
    Sites {
        agents,
        agent_load,
        stores,
    }
}

impl Sites {
    pub(super) fn agent(&self, rng: &mut SmallRng) -> &'static str {
        self.agents[self.agent_load.sample(rng)]
    }

    /// A store in the customer's region.
    pub(super) fn store(&self, rng: &mut SmallRng, region: usize) -> &'static str {
        choose(rng, &self.stores[region.min(self.stores.len() - 1)])
    }
}

/// Site ids live for the whole process; they are built exactly once.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn every_region_has_a_store_and_agents_are_numbered() {
        let s = sites();
        assert!(s.stores.iter().all(|v| !v.is_empty()));
        assert_eq!(s.agents[16], "agent-017");
        let mut rng = SmallRng::seed_from_u64(1);
        assert!(s.store(&mut rng, 0).starts_with("store-GD-"));
    }
}
