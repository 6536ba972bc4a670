//! Inverted index of topic centroids: for each hash bucket, the topics that
//! weigh it. Scoring a text against every topic then costs one lookup per
//! feature of the text instead of one sparse merge per topic.

/// Centroids as postings lists over `0..buckets`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Postings {
    topics: usize,
    offsets: Vec<u32>,
    entries: Vec<(u32, f32)>,
}

impl Postings {
    pub(crate) fn new<'a>(centroids: impl Iterator<Item = &'a [(u32, f32)]> + Clone, buckets: usize) -> Self {
        let mut offsets = vec![0u32; buckets + 1];
        for c in centroids.clone() {
            c.iter().for_each(|&(b, _)| offsets[b as usize + 1] += 1);
        }
        for b in 0..buckets {
            offsets[b + 1] += offsets[b];
        }
        let mut next = offsets.clone();
        let mut entries = vec![(0u32, 0f32); offsets[buckets] as usize];
        let mut topics = 0;
        for (t, c) in centroids.enumerate() {
            topics = t + 1;
            for &(b, w) in c {
                let at = &mut next[b as usize];
                entries[*at as usize] = (t as u32, w);
                *at += 1;
            }
        }
        Postings {
            topics,
            offsets,
            entries,
        }
    }

    /// Index and dot product of the best centroid for `v` (the first on a tie);
    /// `None` without centroids.
    pub(crate) fn nearest(&self, v: &[(u32, f32)]) -> Option<(usize, f32)> {
        if self.topics == 0 {
            return None;
        }
        let mut scores = vec![0f32; self.topics];
        for &(b, x) in v {
            let Some(range) = self.offsets.get(b as usize..b as usize + 2) else {
                continue;
            };
            for &(t, w) in &self.entries[range[0] as usize..range[1] as usize] {
                scores[t as usize] += x * w;
            }
        }
        scores.iter().enumerate().fold(None, |best, (t, &s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((t, s)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_like_a_dot_product() {
        let a = vec![(1, 0.6), (3, 0.8)];
        let b = vec![(0, 1.0)];
        let index = Postings::new([a.as_slice(), b.as_slice()].into_iter(), 4);
        let (t, s) = index.nearest(&[(3, 1.0)]).unwrap();
        assert_eq!(t, 0);
        assert!((s - 0.8).abs() < 1e-6);
        assert_eq!(index.nearest(&[(0, 0.5), (9, 1.0)]), Some((1, 0.5)));
        // No overlap: every score is 0, the first topic wins the tie.
        assert_eq!(index.nearest(&[(2, 1.0)]), Some((0, 0.0)));
        assert_eq!(Postings::new(std::iter::empty(), 4).nearest(&[(1, 1.0)]), None);
    }
}
