use super::*;

#[test]
fn sorts_like_the_standard_library_and_keeps_equal_elements_in_order() {
    // Pairs compared by their first field only: stability shows in the second.
    let mut seed = 7u32;
    for len in [0, 1, 2, 3, 10, 100, 1000] {
        let v: Vec<(u32, usize)> = (0..len)
            .map(|i| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                ((seed >> 16) % 13, i)
            })
            .collect();
        let mut ours = v.clone();
        sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
        let mut std = v.clone();
        std.sort_by_key(|a| a.0);
        assert_eq!(ours, std, "length {len}");
        let mut keyed = v;
        sort_by_key(&mut keyed, |p| p.0);
        assert_eq!(keyed, std);
    }
    let mut words = vec!["pear", "apple", "fig", "apple"];
    sort(&mut words);
    assert_eq!(words, ["apple", "apple", "fig", "pear"]);
}
