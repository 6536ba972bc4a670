//! The two matrix shapes clustering needs: a row-major dense matrix (the
//! reduced document vectors, the SVD's thin factors) and a compressed sparse
//! row matrix (the TF-IDF documents). Products are parallel over rows with
//! rayon; nothing else is needed, so no linear-algebra crate is pulled in.

use rayon::prelude::*;

/// Row-major `rows x cols` matrix of `f32`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Dense {
    pub(crate) rows: usize,
    pub(crate) cols: usize,
    pub(crate) data: Vec<f32>,
}

impl Dense {
    pub(crate) fn zeros(rows: usize, cols: usize) -> Self {
        Dense {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    pub(crate) fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    pub(crate) fn row_mut(&mut self, i: usize) -> &mut [f32] {
        &mut self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Scales every non-zero row to unit length.
    pub(crate) fn normalize_rows(&mut self) {
        self.data.par_chunks_mut(self.cols.max(1)).for_each(normalize);
    }
}

/// Scales `v` to unit length (leaves a zero vector alone).
pub(crate) fn normalize(v: &mut [f32]) {
    let norm = dot(v, v).sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

#[inline]
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    // Four accumulators let the compiler vectorise without -ffast-math.
    let mut acc = [0f32; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for j in 0..4 {
            acc[j] += x[j] * y[j];
        }
    }
    let tail: f32 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    acc.iter().sum::<f32>() + tail
}

#[inline]
fn axpy(alpha: f32, x: &[f32], y: &mut [f32]) {
    y.iter_mut().zip(x).for_each(|(y, x)| *y += alpha * x);
}

/// Compressed sparse rows: row `i` holds `indices[indptr[i]..indptr[i+1]]`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Csr {
    pub(crate) cols: usize,
    pub(crate) indptr: Vec<usize>,
    pub(crate) indices: Vec<u32>,
    pub(crate) values: Vec<f32>,
}

impl Csr {
    pub(crate) fn from_rows<'a>(cols: usize, rows: impl Iterator<Item = &'a [(u32, f32)]>) -> Self {
        let mut m = Csr {
            cols,
            indptr: vec![0],
            ..Csr::default()
        };
        for row in rows {
            m.indices.extend(row.iter().map(|&(c, _)| c));
            m.values.extend(row.iter().map(|&(_, v)| v));
            m.indptr.push(m.indices.len());
        }
        m
    }

    pub(crate) fn rows(&self) -> usize {
        self.indptr.len() - 1
    }

    pub(crate) fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let r = self.indptr[i]..self.indptr[i + 1];
        (&self.indices[r.clone()], &self.values[r])
    }

    /// `self * x` for a dense `x` with `self.cols` rows.
    pub(crate) fn mul_dense(&self, x: &Dense) -> Dense {
        debug_assert_eq!(self.cols, x.rows);
        let mut out = Dense::zeros(self.rows(), x.cols);
        out.data
            .par_chunks_mut(x.cols.max(1))
            .enumerate()
            .for_each(|(i, out_row)| {
                let (idx, val) = self.row(i);
                for (&c, &v) in idx.iter().zip(val) {
                    axpy(v, x.row(c as usize), out_row);
                }
            });
        out
    }

    /// The transpose, so that `transpose().mul_dense(y)` is `selfᵀ y` in parallel.
    pub(crate) fn transpose(&self) -> Csr {
        let mut counts = vec![0usize; self.cols + 1];
        for &c in &self.indices {
            counts[c as usize + 1] += 1;
        }
        for j in 0..self.cols {
            counts[j + 1] += counts[j];
        }
        let mut next = counts.clone();
        let (mut indices, mut values) = (vec![0u32; self.indices.len()], vec![0f32; self.values.len()]);
        for i in 0..self.rows() {
            let (idx, val) = self.row(i);
            for (&c, &v) in idx.iter().zip(val) {
                let at = &mut next[c as usize];
                indices[*at] = i as u32;
                values[*at] = v;
                *at += 1;
            }
        }
        Csr {
            cols: self.rows(),
            indptr: counts,
            indices,
            values,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Csr {
        // [[1, 0, 2], [0, 3, 0]]
        let rows: [&[(u32, f32)]; 2] = [&[(0, 1.0), (2, 2.0)], &[(1, 3.0)]];
        Csr::from_rows(3, rows.into_iter())
    }

    #[test]
    fn sparse_times_dense() {
        let x = Dense {
            rows: 3,
            cols: 2,
            data: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        };
        let y = small().mul_dense(&x);
        assert_eq!(y.data, vec![11.0, 14.0, 9.0, 12.0]);
    }

    #[test]
    fn transpose_round_trips() {
        let t = small().transpose();
        assert_eq!((t.rows(), t.cols), (3, 2));
        assert_eq!(t.row(0), (&[0u32][..], &[1.0f32][..]));
        assert_eq!(t.row(1), (&[1u32][..], &[3.0f32][..]));
        let back = t.transpose();
        assert_eq!(back.indices, small().indices);
        assert_eq!(back.values, small().values);
    }

    #[test]
    fn dot_and_normalize() {
        let a: Vec<f32> = (1..=7).map(|x| x as f32).collect();
        assert_eq!(dot(&a, &a), 140.0);
        let mut v = vec![3.0, 4.0];
        normalize(&mut v);
        assert_eq!(v, vec![0.6, 0.8]);
        let mut z = vec![0.0; 3];
        normalize(&mut z);
        assert_eq!(z, vec![0.0; 3]);
    }
}
