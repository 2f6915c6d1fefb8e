//! The class pairs a matrix needs and, once traced, each one's outcome index: a dense table of
//! source classes × destination classes (4 bytes a pair: 257 MB for the 100k estate's
//! 4,020 × 16,000 classes). Every row meets every column, so the pairs the cells hold are
//! exactly every source class (interned from the rows) against every destination class
//! (interned from the columns). Memory is bounded by the classes, never by the cells, and pairs
//! are handed to the tracer in chunks so that no more than a chunk of full outcomes is held at
//! once.

/// A pair not traced yet.
const PENDING: u32 = u32::MAX;

/// Every (source class, destination class) pair, and its outcome index once traced.
pub(super) struct PairTable {
    n_src: usize,
    n_dst: usize,
    outcome: Vec<u32>,
}

impl PairTable {
    pub(super) fn new(n_src: usize, n_dst: usize) -> PairTable {
        PairTable { n_src, n_dst, outcome: vec![PENDING; n_src * n_dst] }
    }

    /// How many pairs there are.
    pub(super) fn len(&self) -> usize {
        self.outcome.len()
    }

    /// The pairs in order (source class, then destination class), whole source classes at a
    /// time, in chunks of about `chunk` pairs; `fill` gets each chunk and returns its outcome
    /// indices, in the same order.
    pub(super) fn fill_in_chunks(&mut self, chunk: usize, mut fill: impl FnMut(&[(u32, u32)]) -> Vec<u32>) {
        if self.n_dst == 0 {
            return;
        }
        let rows_per_chunk = (chunk / self.n_dst).max(1);
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(rows_per_chunk * self.n_dst);
        for first in (0..self.n_src).step_by(rows_per_chunk) {
            let last = (first + rows_per_chunk).min(self.n_src);
            pairs.clear();
            pairs.extend((first..last).flat_map(|s| (0..self.n_dst).map(move |d| (s as u32, d as u32))));
            let found = fill(&pairs);
            debug_assert_eq!(found.len(), pairs.len());
            self.outcome[first * self.n_dst..last * self.n_dst].copy_from_slice(&found);
        }
    }

    /// The outcome index of a pair.
    pub(super) fn outcome_of(&self, src: u32, dst: u32) -> u32 {
        let o = self.outcome[src as usize * self.n_dst + dst as usize];
        debug_assert_ne!(o, PENDING, "every pair is traced before cells are made");
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever the chunk size, every pair is handed over exactly once, in (source,
    /// destination) order, and its outcome lands where `outcome_of` finds it.
    #[test]
    fn chunks_cover_every_pair_once_in_order() {
        for (n_src, n_dst) in [(0, 3), (3, 0), (1, 1), (5, 7), (13, 4)] {
            for chunk in [1, 2, 7, 28, 1000] {
                let mut table = PairTable::new(n_src, n_dst);
                let mut seen: Vec<(u32, u32)> = Vec::new();
                table.fill_in_chunks(chunk, |pairs| {
                    seen.extend_from_slice(pairs);
                    pairs.iter().map(|&(s, d)| s * 1000 + d).collect()
                });
                let expected: Vec<(u32, u32)> =
                    (0..n_src as u32).flat_map(|s| (0..n_dst as u32).map(move |d| (s, d))).collect();
                assert_eq!(seen, expected, "{n_src}×{n_dst} in chunks of {chunk}");
                for &(s, d) in &expected {
                    assert_eq!(table.outcome_of(s, d), s * 1000 + d);
                }
            }
        }
    }
}
