//! One stable sort for every element type. The standard library's sort is generic,
//! so each element type and comparator got its own copy of driftsort in the wasm
//! (about 4 KB each, 80 KB in all; BENCHMARKS.md, "Shrinking the wasm"). Here only a
//! list of indices is sorted, by a `dyn` comparator, and the elements are then put
//! in that order with swaps: the same result as `slice::sort_by` (stable too).

use std::cmp::Ordering;

/// `v.sort_by(cmp)`: stable, equal elements keep their order.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let order = sorted_indices(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, &order);
}

/// `v.sort()`: stable.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// `v.sort_by_key(key)`: stable.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// The indices `0..n` in the order `cmp` gives them, stably: the only instance of
/// the standard sort this module needs.
fn sorted_indices(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| cmp(*a, *b));
    order
}

/// Moves `v[order[k]]` to position `k` for every `k`, one cycle of the permutation
/// at a time: the element that started a cycle travels along it by swaps.
fn permute<T>(v: &mut [T], order: &[usize]) {
    let mut done = vec![false; order.len()];
    for start in 0..order.len() {
        let mut k = start;
        while !done[k] {
            done[k] = true;
            let from = order[k];
            if from == start {
                break;
            }
            v.swap(k, from);
            k = from;
        }
    }
}

#[cfg(test)]
mod tests;
