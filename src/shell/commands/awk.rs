//! `awk`, only its most common one-liners: `[/REGEX/ | NR==N] { print FIELD, ... }`
//! with `-F SEP`, where a field is `$N`, `$NF`, `$(NF-N)`, `$0`, `NR`, `NF` or a
//! string. Dockerfiles use these to pick a column (`dpkg --print-architecture |
//! awk -F- '{ print $NF }'`); other programs run in the awk language interpreter
//! (`awk_lang`), and what that lacks is reported as not simulated.

use super::super::exec::{Exec, Shell};
use super::super::posix_regex::{self, Regex};
use super::super::NoticeKind;

enum Pattern {
    All,
    Regex(Regex),
    Line(usize),
}

enum Item {
    Field(i64, bool),
    Text(String),
    LineNumber,
    FieldCount,
}

fn parse_program(text: &str) -> Option<(Pattern, Vec<Item>)> {
    let t = text.trim();
    let (pattern, rest) = if let Some(r) = t.strip_prefix('/') {
        let end = r.find('/')?;
        (
            Pattern::Regex(posix_regex::compile(&r[..end], true, false).ok()?),
            r[end + 1..].trim(),
        )
    } else if let Some(r) = t.strip_prefix("NR==") {
        let end = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
        (Pattern::Line(r[..end].parse().ok()?), r[end..].trim())
    } else {
        (Pattern::All, t)
    };
    if rest.is_empty() {
        return Some((pattern, vec![Item::Field(0, false)]));
    }
    let body = rest
        .strip_prefix('{')?
        .strip_suffix('}')?
        .trim()
        .trim_end_matches(';')
        .trim();
    let args = body.strip_prefix("print")?.trim();
    if args.is_empty() {
        return Some((pattern, vec![Item::Field(0, false)]));
    }
    let mut items = Vec::new();
    for a in args.split(',') {
        let a = a.trim();
        items.push(match a {
            "NR" => Item::LineNumber,
            "NF" => Item::FieldCount,
            "$NF" => Item::Field(0, true),
            _ if a.starts_with("$(NF-") && a.ends_with(')') => {
                Item::Field(-a[5..a.len() - 1].parse::<i64>().ok()?, true)
            }
            _ if a.starts_with('$') => Item::Field(a[1..].parse().ok()?, false),
            _ if a.starts_with('"') && a.ends_with('"') && a.len() >= 2 => {
                Item::Text(a[1..a.len() - 1].replace("\\t", "\t").replace("\\n", "\n"))
            }
            _ => return None,
        });
    }
    Some((pattern, items))
}

/// Runs `awk`.
pub fn awk(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut sep: Option<String> = None;
    let mut assigns: Vec<(String, String)> = Vec::new();
    let mut i = 1;
    while i < argv.len() && argv[i].starts_with('-') && argv[i].len() > 1 {
        if argv[i] == "--" {
            i += 1;
            break;
        }
        if argv[i] == "-F" {
            sep = argv.get(i + 1).cloned();
            i += 2;
        } else if let Some(s) = argv[i].strip_prefix("-F") {
            sep = Some(s.to_string());
            i += 1;
        } else if argv[i] == "-v" || argv[i].starts_with("-v") {
            let spec = if argv[i] == "-v" {
                i += 1;
                argv.get(i).cloned().unwrap_or_default()
            } else {
                argv[i][2..].to_string()
            };
            if let Some((k, v)) = spec.split_once('=') {
                assigns.push((k.to_string(), v.to_string()));
            }
            i += 1;
        } else {
            i += 1;
        }
    }
    let Some(program) = argv.get(i) else {
        sh.err("usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]\n")?;
        return Ok(2);
    };
    let one_liner = if assigns.is_empty() {
        parse_program(program)
    } else {
        None
    };
    let Some((pattern, items)) = one_liner else {
        // Beyond a print one-liner: the awk language interpreter.
        if let Some(prog) = super::awk_lang::parse(program) {
            let files = &argv[i + 1..];
            let (inputs, status) = super::read_inputs(sh, "awk", files)?;
            let named: Vec<(String, Vec<u8>)> = if inputs.len() == files.len() {
                files.iter().cloned().zip(inputs).collect()
            } else {
                inputs.into_iter().map(|d| (String::new(), d)).collect()
            };
            let code = super::awk_lang::run(sh, &prog, sep.as_deref(), &assigns, &named)?;
            return Ok(if code == 0 { status } else { code });
        }
        sh.notice(NoticeKind::NotSimulated, "awk", format!("not simulated: the awk program `{program}` uses what layerlab's awk lacks (user functions, getline, output redirection, ranges); it printed nothing"));
        let _ = sh.read_stdin();
        return Ok(0);
    };
    let (inputs, status) = super::read_inputs(sh, "awk", &argv[i + 1..])?;
    let data = inputs.concat();
    let text = String::from_utf8_lossy(&data);
    let mut out = String::new();
    for (n, line) in text.lines().enumerate() {
        let selected = match &pattern {
            Pattern::All => true,
            Pattern::Regex(re) => re.is_match(line.as_bytes()),
            Pattern::Line(l) => *l == n + 1,
        };
        if !selected {
            continue;
        }
        let fields: Vec<&str> = match &sep {
            Some(s) if !s.is_empty() && s != " " => line.split(s.as_str()).collect(),
            _ => line.split_whitespace().collect(),
        };
        let parts: Vec<String> = items
            .iter()
            .map(|it| match it {
                Item::Text(t) => t.clone(),
                Item::LineNumber => (n + 1).to_string(),
                Item::FieldCount => fields.len().to_string(),
                Item::Field(0, false) => line.to_string(),
                Item::Field(k, from_end) => {
                    let idx = if *from_end {
                        fields.len() as i64 + k
                    } else {
                        *k
                    };
                    usize::try_from(idx - 1)
                        .ok()
                        .and_then(|x| fields.get(x))
                        .map_or(String::new(), |f| f.to_string())
                }
            })
            .collect();
        out.push_str(&parts.join(" "));
        out.push('\n');
    }
    sh.out(out)?;
    Ok(status)
}
