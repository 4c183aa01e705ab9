//! The front-end build tools `npm run build` calls (`vite build`, `react-scripts
//! build`, `webpack`, `tsc`, `next build`): each writes the output folder the real
//! tool writes (`dist/`, `build/`, `.next/`, tsconfig's `outDir`) with the file
//! names it uses (content-hashed bundles, index.html pointing at them) and sizes
//! from the sources and dependencies, and prints its summary, so the classic
//! "build in node, serve with nginx" two-stage Dockerfile has something to copy.
//! Nothing is compiled: every bundle is a placeholder and says so.

use super::super::exec::{Exec, Shell};
use super::super::NoticeKind;
use crate::vfs::blob::Blob;

/// `vite`, `react-scripts`, `webpack`, `tsc`, `next`, called by those names.
pub fn build_tool(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let tool = super::super::exec::base_name(&argv[0]).to_string();
    let sub = argv.get(1).map(String::as_str).unwrap_or("");
    let project = Project::read(sh);
    match (tool.as_str(), sub) {
        ("vite", "build") => vite(sh, &project),
        ("react-scripts", "build") => react_scripts(sh, &project),
        ("next", "build") => next(sh, &project),
        ("webpack", "" | "build") => webpack(sh, &project),
        ("tsc", _) if argv.iter().any(|a| a == "--version" || a == "-v") => {
            sh.out("Version 5.3.3\n")?;
            Ok(0)
        }
        ("tsc", _) if !argv.iter().any(|a| a == "--noEmit") => tsc(sh, &project),
        _ => {
            let path = sh.program_path.clone();
            sh.notice(
                NoticeKind::NotSimulated,
                &tool,
                format!(
                    "`{}` ({path}) is not modelled by layerlab; treated as success",
                    argv.join(" ")
                ),
            );
            Ok(0)
        }
    }
}

/// The project in the working directory: its source files and how much its
/// dependencies weigh in a bundle.
struct Project {
    root: String,
    sources: Vec<(String, u64)>,
    dependency_bytes: u64,
}

impl Project {
    fn read(sh: &Shell<'_>) -> Project {
        let root = super::builtins::normalize(&sh.abs("."));
        let mut sources = Vec::new();
        let top = root.trim_start_matches('/');
        for entry in sh.fs.walk(&root).unwrap_or_default() {
            let rel = entry
                .path
                .strip_prefix(top)
                .unwrap_or(&entry.path)
                .trim_start_matches('/')
                .to_string();
            let skip = ["node_modules/", "dist/", "build/", ".next/", ".git/"];
            if skip.iter().any(|s| rel.starts_with(s)) {
                continue;
            }
            if let crate::vfs::Kind::File(blob) = &entry.stat.kind {
                let source = [
                    ".js", ".jsx", ".ts", ".tsx", ".vue", ".svelte", ".css", ".scss",
                ]
                .iter()
                .any(|ext| rel.ends_with(ext))
                    && !rel.ends_with(".d.ts")
                    && !rel.contains(".config.");
                if source {
                    sources.push((rel, blob.len()));
                }
            }
        }
        // What ends up bundled from node_modules: the runtime libraries the
        // package.json names (react-dom alone is ~130 kB minified).
        let mut dependency_bytes = 0;
        if let Ok(blob) = sh
            .fs
            .read_file(&format!("{}/package.json", root.trim_end_matches('/')))
        {
            if let Ok(pj) = serde_json::from_slice::<serde_json::Value>(&blob.bytes()) {
                for name in pj["dependencies"]
                    .as_object()
                    .into_iter()
                    .flat_map(|m| m.keys())
                {
                    dependency_bytes += match name.as_str() {
                        "react-dom" => 130_000,
                        "react" => 7_000,
                        "vue" => 90_000,
                        "axios" => 30_000,
                        "lodash" => 70_000,
                        _ => 15_000,
                    };
                }
            }
        }
        Project {
            root,
            sources,
            dependency_bytes,
        }
    }

    fn code_bytes(&self, ext: &[&str]) -> u64 {
        self.sources
            .iter()
            .filter(|(p, _)| ext.iter().any(|e| p.ends_with(e)))
            .map(|(_, n)| n)
            .sum()
    }

    fn seed(&self, what: &str) -> u64 {
        let mut parts = vec![what.to_string(), self.root.clone()];
        parts.extend(self.sources.iter().map(|(p, n)| format!("{p}:{n}")));
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        super::super::packages::seed(&refs)
    }

    /// A content hash for a file name, as bundlers put one in (`index-4sK4E3Wk.js`).
    fn hash(&self, what: &str, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        let mut n = self.seed(what);
        (0..len)
            .map(|_| {
                let c = ALPHABET[(n % 64) as usize] as char;
                n = (n / 64) ^ n.rotate_left(17);
                c
            })
            .collect()
    }

    fn path(&self, rel: &str) -> String {
        format!("{}/{rel}", self.root.trim_end_matches('/'))
    }
}

/// Writes `rel` under the project: text, or placeholder text of `size` bytes
/// whose first line says what it stands for (readable in the page's viewer).
fn write(sh: &mut Shell<'_>, project: &Project, rel: &str, text: Option<String>, size: u64) {
    let path = project.path(rel);
    let dir = path.rsplit_once('/').map_or("/", |(d, _)| d).to_string();
    let dir_meta = sh.dir_meta();
    let _ = sh.fs.mkdir_all(&dir, dir_meta);
    let blob = match text {
        Some(t) => Blob::from_bytes(t.into_bytes()),
        None => {
            let head = format!("/* layerlab: simulated bundle {rel}; nothing was compiled */\n");
            Blob::generated_text(
                &head,
                "// layerlab: simulated bundle code, line ",
                size.max(64),
            )
        }
    };
    let meta = sh.file_meta();
    let _ = sh.fs.write_file(&path, blob, meta);
}

fn kb(bytes: u64) -> String {
    format!("{:.2} kB", bytes as f64 / 1000.0)
}

/// The index.html a bundler emits: the project's own (minus its module script)
/// or a minimal one, loading the bundles.
fn index_html(sh: &Shell<'_>, project: &Project, head_tags: &str) -> String {
    let own = sh
        .fs
        .read_file(&project.path("index.html"))
        .or_else(|_| sh.fs.read_file(&project.path("public/index.html")))
        .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
        .unwrap_or_else(|_| "<!doctype html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"UTF-8\" />\n    <title>App</title>\n  </head>\n  <body>\n    <div id=\"root\"></div>\n  </body>\n</html>\n".to_string());
    let kept: Vec<&str> = own
        .lines()
        .filter(|l| !(l.contains("<script") && l.contains("type=\"module\"")))
        .collect();
    let mut text = kept.join("\n");
    text.push('\n');
    match text.find("</head>") {
        Some(at) => text.insert_str(at, head_tags),
        None => text.push_str(head_tags),
    }
    text
}

fn done(sh: &mut Shell<'_>, tool: &str, folder: &str) {
    sh.notice(
        NoticeKind::Simulated,
        tool,
        format!("simulated: {tool} compiled nothing; {folder} holds placeholder bundles of realistic sizes"),
    );
}

fn vite(sh: &mut Shell<'_>, project: &Project) -> Exec {
    let js = 2_000
        + project.dependency_bytes
        + project.code_bytes(&[".js", ".jsx", ".ts", ".tsx", ".vue", ".svelte"]) * 3 / 5;
    let css = project.code_bytes(&[".css", ".scss"]) * 4 / 5;
    let js_name = format!("assets/index-{}.js", project.hash("vite-js", 8));
    let css_name = format!("assets/index-{}.css", project.hash("vite-css", 8));
    let mut tags =
        format!("    <script type=\"module\" crossorigin src=\"/{js_name}\"></script>\n");
    if css > 0 {
        tags.push_str(&format!(
            "    <link rel=\"stylesheet\" crossorigin href=\"/{css_name}\">\n"
        ));
    }
    let html = index_html(sh, project, &tags);
    let html_len = html.len() as u64;
    write(sh, project, &format!("dist/{js_name}"), None, js);
    if css > 0 {
        write(sh, project, &format!("dist/{css_name}"), None, css);
    }
    write(sh, project, "dist/index.html", Some(html), 0);
    let modules = project.sources.len() + if project.dependency_bytes > 0 { 30 } else { 1 };
    let mut text = format!("vite v5.1.3 building for production...\ntransforming...\n✓ {modules} modules transformed.\nrendering chunks...\ncomputing gzip size...\n");
    let mut rows = vec![("dist/index.html".to_string(), html_len)];
    if css > 0 {
        rows.push((format!("dist/{css_name}"), css));
    }
    rows.push((format!("dist/{js_name}"), js));
    let width = rows.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, size) in rows {
        text.push_str(&format!(
            "{name:<width$}  {:>9} │ gzip: {:>8}\n",
            kb(size),
            kb(size * 3 / 10)
        ));
    }
    text.push_str("✓ built in 1.02s\n");
    sh.out(text)?;
    done(sh, "vite", "dist/");
    Ok(0)
}

fn react_scripts(sh: &mut Shell<'_>, project: &Project) -> Exec {
    let js = 45_000
        + project.dependency_bytes
        + project.code_bytes(&[".js", ".jsx", ".ts", ".tsx"]) * 3 / 5;
    let css = project.code_bytes(&[".css", ".scss"]) * 4 / 5 + 500;
    let js_name = format!(
        "static/js/main.{}.js",
        project.hash("cra-js", 8).to_lowercase()
    );
    let css_name = format!(
        "static/css/main.{}.css",
        project.hash("cra-css", 8).to_lowercase()
    );
    let tags = format!("<script defer=\"defer\" src=\"/{js_name}\"></script><link href=\"/{css_name}\" rel=\"stylesheet\">");
    let html = index_html(sh, project, &tags).replace("%PUBLIC_URL%", "");
    write(sh, project, &format!("build/{js_name}"), None, js);
    write(sh, project, &format!("build/{css_name}"), None, css);
    write(sh, project, "build/index.html", Some(html), 0);
    let manifest = format!(
        "{{\n  \"files\": {{\n    \"main.css\": \"/{css_name}\",\n    \"main.js\": \"/{js_name}\",\n    \"index.html\": \"/index.html\"\n  }},\n  \"entrypoints\": [\n    \"{css_name}\",\n    \"{js_name}\"\n  ]\n}}\n"
    );
    write(sh, project, "build/asset-manifest.json", Some(manifest), 0);
    let text = format!(
        "Creating an optimized production build...\nCompiled successfully.\n\nFile sizes after gzip:\n\n  {}  build/{js_name}\n  {}  build/{css_name}\n\nThe project was built assuming it is hosted at /.\nThe build folder is ready to be deployed.\n",
        kb(js * 3 / 10),
        kb(css * 3 / 10)
    );
    sh.out(text)?;
    done(sh, "react-scripts", "build/");
    Ok(0)
}

fn webpack(sh: &mut Shell<'_>, project: &Project) -> Exec {
    let js = 1_200
        + project.dependency_bytes
        + project.code_bytes(&[".js", ".jsx", ".ts", ".tsx"]) * 3 / 5;
    write(sh, project, "dist/main.js", None, js);
    sh.out(format!(
        "asset main.js {} [emitted] [minimized] (name: main)\nwebpack 5.90.1 compiled successfully in 312 ms\n",
        kb(js).replace("kB", "KiB")
    ))?;
    done(sh, "webpack", "dist/");
    Ok(0)
}

fn next(sh: &mut Shell<'_>, project: &Project) -> Exec {
    let id = project.hash("next-build-id", 21);
    write(sh, project, ".next/BUILD_ID", Some(id.clone()), 0);
    let js = 85_000 + project.dependency_bytes;
    write(
        sh,
        project,
        &format!(
            ".next/static/chunks/main-{}.js",
            project.hash("next-main", 16).to_lowercase()
        ),
        None,
        js,
    );
    write(
        sh,
        project,
        &format!(".next/static/{id}/_buildManifest.js"),
        None,
        900,
    );
    write(
        sh,
        project,
        ".next/server/pages-manifest.json",
        Some("{\n  \"/_app\": \"pages/_app.js\"\n}\n".to_string()),
        0,
    );
    write(
        sh,
        project,
        ".next/cache/webpack/client-production/0.pack",
        None,
        4_000_000 + js * 10,
    );
    if standalone(sh, project) {
        write_standalone(sh, project, &id);
    }
    sh.out(format!(
        "  ▲ Next.js 14.1.0\n\n   Creating an optimized production build ...\n ✓ Compiled successfully\n ✓ Generating static pages\n\nFirst Load JS shared by all            {}\n",
        kb(js)
    ))?;
    done(sh, "next", ".next/");
    Ok(0)
}

/// Whether next.config asks for `output: 'standalone'`.
fn standalone(sh: &Shell<'_>, project: &Project) -> bool {
    ["next.config.js", "next.config.mjs", "next.config.ts"]
        .iter()
        .filter_map(|name| sh.fs.read_file(&project.path(name)).ok())
        .any(|b| {
            let text = String::from_utf8_lossy(&b.bytes()).replace(' ', "");
            text.contains("output:'standalone'") || text.contains("output:\"standalone\"")
        })
}

/// `.next/standalone`: the minimal server Next.js traces for `output:
/// 'standalone'` (server.js, the project's package.json, its build, and only the
/// node_modules the server needs), without `public/` and `.next/static`, which
/// the official Dockerfile copies beside it.
fn write_standalone(sh: &mut Shell<'_>, project: &Project, id: &str) {
    write(
        sh,
        project,
        ".next/standalone/server.js",
        Some(format!("const path = require('path')\n\nprocess.env.NODE_ENV = 'production'\nprocess.chdir(__dirname)\n\nconst currentPort = parseInt(process.env.PORT, 10) || 3000\nconst hostname = process.env.HOSTNAME || '0.0.0.0'\n\n// layerlab placeholder of Next.js's standalone server (build {id})\nrequire('next/dist/server/lib/start-server').startServer({{\n  dir: path.join(__dirname),\n  isDev: false,\n  hostname,\n  port: currentPort,\n}})\n")),
        0,
    );
    let manifest = sh
        .fs
        .read_file(&project.path("package.json"))
        .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
        .unwrap_or_default();
    write(
        sh,
        project,
        ".next/standalone/package.json",
        Some(manifest),
        0,
    );
    write(
        sh,
        project,
        ".next/standalone/.next/BUILD_ID",
        Some(id.to_string()),
        0,
    );
    write(
        sh,
        project,
        ".next/standalone/.next/required-server-files.json",
        Some("{\"version\":1,\"config\":{\"output\":\"standalone\"},\"files\":[\".next/routes-manifest.json\",\".next/server/pages-manifest.json\",\".next/BUILD_ID\"]}\n".to_string()),
        0,
    );
    write(
        sh,
        project,
        ".next/standalone/.next/server/pages-manifest.json",
        Some("{\n  \"/_app\": \"pages/_app.js\"\n}\n".to_string()),
        0,
    );
    // The traced packages: Next.js's server runtime, and React when it is used.
    for (package, file, size) in [
        (
            "next",
            "dist/compiled/next-server/server.runtime.prod.js",
            18_000_000,
        ),
        ("react", "index.js", 330_000),
        ("react-dom", "server.node.js", 4_500_000),
        ("@swc/helpers", "package.json", 2_000),
        ("styled-jsx", "index.js", 120_000),
    ] {
        let installed = sh
            .fs
            .exists(&project.path(&format!("node_modules/{package}")));
        if installed || package == "@swc/helpers" || package == "styled-jsx" {
            write(
                sh,
                project,
                &format!(".next/standalone/node_modules/{package}/{file}"),
                None,
                size,
            );
        }
    }
}

/// `tsc`: each TypeScript source becomes a .js under tsconfig's outDir (next to
/// the source without one).
fn tsc(sh: &mut Shell<'_>, project: &Project) -> Exec {
    let config = sh
        .fs
        .read_file(&project.path("tsconfig.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b.bytes()).ok());
    let option = |name: &str| {
        config
            .as_ref()
            .and_then(|c| c["compilerOptions"][name].as_str())
            .map(|s| s.trim_start_matches("./").trim_end_matches('/').to_string())
    };
    let out_dir = option("outDir");
    let root_dir = option("rootDir").unwrap_or_else(|| "src".to_string());
    let sources: Vec<(String, u64)> = project
        .sources
        .iter()
        .filter(|(p, _)| p.ends_with(".ts") || p.ends_with(".tsx"))
        .cloned()
        .collect();
    for (rel, size) in &sources {
        let stem = rel.trim_end_matches(".tsx").trim_end_matches(".ts");
        let target = match &out_dir {
            Some(out) => {
                let inner = stem.strip_prefix(&format!("{root_dir}/")).unwrap_or(stem);
                format!("{out}/{inner}.js")
            }
            None => format!("{stem}.js"),
        };
        write(sh, project, &target, None, size * 9 / 10);
    }
    if !sources.is_empty() {
        let folder = out_dir.map_or("next to the sources".to_string(), |o| format!("{o}/"));
        done(sh, "tsc", &folder);
    }
    Ok(0)
}
