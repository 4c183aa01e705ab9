//! `layerlab history` and `layerlab images` over a `--store` directory, with
//! the exact tables docker prints (`LAYERLAB_NOW` fixes "now").

use std::process::Command;

fn layerlab(args: &[&str], store: &std::path::Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_layerlab"))
        .args(args)
        .arg("--store")
        .arg(store)
        .env("LAYERLAB_NOW", (1_704_067_200 + 5 * 86400).to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "layerlab {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn history_and_images_print_dockers_tables() {
    let dir = crate::support::work_dir("history-cli");
    std::fs::create_dir_all(dir.join("ctx")).unwrap();
    std::fs::write(
        dir.join("ctx/Dockerfile"),
        "FROM scratch\nCOPY data /data\nLABEL purpose=\"a label long enough to be cut at forty-five columns\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("ctx/data"), vec![b'x'; 2_345_678]).unwrap();
    let store = dir.join("store");
    let mut args = vec!["build", "-t", "demo:v1", "--builder", "legacy"];
    let ctx = dir.join("ctx");
    args.push(ctx.to_str().unwrap());
    let out = Command::new(env!("CARGO_BIN_EXE_layerlab"))
        .args(&args)
        .arg("--store")
        .arg(&store)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ids: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split("writing image sha256:").nth(1))
        .map(|rest| rest[..12].to_string())
        .collect();
    assert_eq!(ids.len(), 1);
    let table = layerlab(&["history", "demo:v1"], &store);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert_eq!(
        lines[0],
        "IMAGE          CREATED      CREATED BY                                      SIZE      COMMENT"
    );
    assert_eq!(
        lines[1],
        format!(
            "{}   5 days ago   /bin/sh -c #(nop) LABEL purpose=\"a label lon…   0B        FROM {}",
            ids[0],
            &lines[2][..12]
        )
    );
    let json = layerlab(
        &["history", "--format", "json", "--no-trunc", "demo:v1"],
        &store,
    );
    let rows: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let copy = rows[1]["CreatedBy"].as_str().unwrap();
    let hash = copy
        .strip_prefix("/bin/sh -c #(nop) COPY file:")
        .unwrap_or_else(|| panic!("{copy}"));
    assert_eq!(
        lines[2],
        format!(
            "{}   5 days ago   /bin/sh -c #(nop) COPY file:{}…   2.35MB    FROM scratch",
            &lines[2][..12],
            &hash[..16]
        )
    );
    assert_eq!(rows[1]["Size"], "2.35MB");
    let images = layerlab(&["images"], &store);
    assert_eq!(
        images,
        format!(
            "REPOSITORY   TAG       IMAGE ID       CREATED      SIZE\ndemo         v1        {}   5 days ago   2.35MB\n",
            ids[0]
        )
    );
    let first = &rows[0];
    assert!(first["ID"]
        .as_str()
        .unwrap()
        .starts_with(&format!("sha256:{}", ids[0])));
    assert_eq!(
        first["CreatedBy"],
        "/bin/sh -c #(nop) LABEL purpose=\"a label long enough to be cut at forty-five columns\""
    );
    let _ = std::fs::remove_dir_all(&dir);
}
