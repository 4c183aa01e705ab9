//! `docs/personalities.md` prints exactly the list the engine exports to the page
//! (`builder::differences::DIFFERENCES`), so the two never drift apart.
//! `LAYERLAB_BLESS=1 cargo test personalities` rewrites the generated part.

use layerlab::builder::differences::DIFFERENCES;
use std::path::Path;

const BEGIN: &str = "<!-- generated from src/builder/differences.rs: begin -->\n";
const END: &str = "<!-- generated: end -->\n";

fn render() -> String {
    let mut out = String::new();
    for d in DIFFERENCES {
        out.push_str(&format!(
            "\n### {}\n\n- **buildkit**: {}\n- **legacy**: {}\n- *source*: {}\n",
            d.topic, d.buildkit, d.legacy, d.source
        ));
    }
    out.push('\n');
    out
}

#[test]
fn the_personalities_doc_lists_every_difference() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/personalities.md");
    let text = std::fs::read_to_string(&path).expect("docs/personalities.md");
    let (head, rest) = text.split_once(BEGIN).expect("the begin marker");
    let (_, tail) = rest.split_once(END).expect("the end marker");
    let expected = format!("{head}{BEGIN}{}{END}{tail}", render());
    if std::env::var_os("LAYERLAB_BLESS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    assert!(
        text == expected,
        "docs/personalities.md is out of date: run `LAYERLAB_BLESS=1 cargo test --test it personalities`"
    );
    let topics: std::collections::BTreeSet<&str> = DIFFERENCES.iter().map(|d| d.topic).collect();
    assert_eq!(topics.len(), DIFFERENCES.len(), "topics are unique");
}
