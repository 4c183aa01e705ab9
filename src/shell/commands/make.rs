//! `make`: GNU make's core, so a Makefile in the build context (or in a simulated
//! source release, see `catalog::release`) runs its recipes through the RUN shell.
//!
//! What it reads: variables (`=`, `:=`, `::=`, `?=`, `+=`, `override`, `export`),
//! explicit rules with prerequisites and tab-indented recipes (`;` recipes too),
//! `%` pattern rules, `.PHONY`, `include`/`-include`, the conditionals `ifeq`,
//! `ifneq`, `ifdef`, `ifndef`, the automatic variables `$@ $< $^ $*`, and the text
//! functions real Makefiles use most (`subst`, `patsubst`, `strip`, `filter`,
//! `filter-out`, `sort`, `dir`, `notdir`, `basename`, `suffix`, `addprefix`,
//! `addsuffix`, `firstword`, `lastword`, `words`, `word`, `wildcard`, `shell`,
//! `if`, `foreach`), and GNU make's built-in variables and rules for C and C++
//! (`CC = cc`, `%.o: %.c`, `%: %.c`...). A recipe line is echoed unless `@` or `-s`, runs as
//! `/bin/sh -c LINE` in the Makefile's directory, and a failure stops make with its
//! message (`make: *** [Makefile:3: all] Error 1`, status 2) unless the line
//! starts with `-`; `-k` is accepted and stops at the first error all the same.
//! A target is remade when it is phony, missing, or older than a prerequisite.
//! Jobs (`-j`) run one after another: the result is the same.

use super::super::exec::{Exec, Flow, Options, Shell};
use std::collections::{BTreeMap, BTreeSet};

/// One rule: its targets' prerequisites and recipe lines (with their line numbers).
#[derive(Clone, Debug, Default)]
struct Rule {
    prereqs: Vec<String>,
    recipe: Vec<(u32, String)>,
}

/// A variable's value and flavour: recursive ones expand when used.
#[derive(Clone, Debug)]
struct Var {
    value: String,
    recursive: bool,
    from_command_line: bool,
}

/// GNU make's built-in variables that C and C++ Makefiles rely on (as `make -p`
/// lists them): below the environment and the Makefile, so `CC ?= gcc` keeps `cc`.
const DEFAULT_VARS: &[(&str, &str)] = &[
    ("AR", "ar"),
    ("ARFLAGS", "rv"),
    ("AS", "as"),
    ("CC", "cc"),
    ("CXX", "g++"),
    ("CPP", "$(CC) -E"),
    ("LD", "ld"),
    ("RM", "rm -f"),
    ("OUTPUT_OPTION", "-o $@"),
    ("COMPILE.c", "$(CC) $(CFLAGS) $(CPPFLAGS) $(TARGET_ARCH) -c"),
    (
        "COMPILE.cc",
        "$(CXX) $(CXXFLAGS) $(CPPFLAGS) $(TARGET_ARCH) -c",
    ),
    ("COMPILE.cpp", "$(COMPILE.cc)"),
    (
        "LINK.c",
        "$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) $(TARGET_ARCH)",
    ),
    (
        "LINK.cc",
        "$(CXX) $(CXXFLAGS) $(CPPFLAGS) $(LDFLAGS) $(TARGET_ARCH)",
    ),
    ("LINK.cpp", "$(LINK.cc)"),
    ("LINK.o", "$(CC) $(LDFLAGS) $(TARGET_ARCH)"),
];

/// GNU make's built-in pattern rules for C and C++ (target, prerequisite,
/// recipe), tried after the Makefile's own: `hello: hello.c` with no recipe
/// runs `cc     hello.c   -o hello`. Their recipes have line 0 (`<builtin>`).
const BUILTIN_RULES: &[(&str, &str, &str)] = &[
    ("%.o", "%.c", "$(COMPILE.c) $(OUTPUT_OPTION) $<"),
    ("%.o", "%.cc", "$(COMPILE.cc) $(OUTPUT_OPTION) $<"),
    ("%.o", "%.cpp", "$(COMPILE.cpp) $(OUTPUT_OPTION) $<"),
    ("%", "%.o", "$(LINK.o) $^ $(LOADLIBES) $(LDLIBS) -o $@"),
    ("%", "%.c", "$(LINK.c) $^ $(LOADLIBES) $(LDLIBS) -o $@"),
    ("%", "%.cc", "$(LINK.cc) $^ $(LOADLIBES) $(LDLIBS) -o $@"),
    ("%", "%.cpp", "$(LINK.cpp) $^ $(LOADLIBES) $(LDLIBS) -o $@"),
];

/// A built-in variable's unexpanded value.
fn default_var(name: &str) -> Option<&'static str> {
    DEFAULT_VARS
        .iter()
        .find_map(|(n, v)| (*n == name).then_some(*v))
}

/// Where a recipe line comes from, as make's error messages say it.
fn origin(file: &str, lineno: u32) -> String {
    if lineno == 0 {
        "<builtin>".to_string()
    } else {
        format!("{file}:{lineno}")
    }
}

/// A parsed Makefile and the state of one make run.
struct Make {
    file: String,
    vars: BTreeMap<String, Var>,
    exported: BTreeSet<String>,
    rules: BTreeMap<String, Rule>,
    patterns: Vec<(String, Rule)>,
    order: Vec<String>,
    phony: BTreeSet<String>,
    dir: String,
    silent: bool,
    made: BTreeMap<String, bool>,
    building: BTreeSet<String>,
    ran_something: bool,
    failed: bool,
}

/// Why make stopped: the message for `make: *** ...  Stop.` or a recipe error.
enum Stop {
    Message(String),
    Flow(Flow),
}

impl From<Flow> for Stop {
    fn from(f: Flow) -> Stop {
        Stop::Flow(f)
    }
}

/// `make [-C DIR] [-f FILE] [-s] [-j[N]] [VAR=VALUE]... [TARGET]...`.
pub fn make(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut dir: Option<String> = None;
    let mut file: Option<String> = None;
    let mut silent = false;
    let mut print_dir = true;
    let mut assigns = Vec::new();
    let mut targets = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        i += 1;
        let mut value = |inline: &str| -> Option<String> {
            if inline.is_empty() {
                i += 1;
                argv.get(i - 1).cloned()
            } else {
                Some(inline.to_string())
            }
        };
        if let Some(rest) = a.strip_prefix("--directory=") {
            dir = Some(rest.to_string());
        } else if let Some(rest) = a.strip_prefix("--file=").or(a.strip_prefix("--makefile=")) {
            file = Some(rest.to_string());
        } else if a == "--silent" || a == "--quiet" {
            silent = true;
        } else if a == "--no-print-directory" {
            print_dir = false;
        } else if a.starts_with("--") {
            // --jobs=N, --load-average, --output-sync...: no effect on the result.
        } else if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
            for (at, c) in flags.char_indices() {
                match c {
                    'C' => {
                        dir = value(&flags[at + 1..]);
                        break;
                    }
                    'f' => {
                        file = value(&flags[at + 1..]);
                        break;
                    }
                    // -j and -l take an optional number: the rest of the word, or
                    // the next word when it is a number.
                    'j' | 'l' => {
                        if flags[at + 1..].is_empty()
                            && argv.get(i).is_some_and(|n| n.parse::<u32>().is_ok())
                        {
                            i += 1;
                        }
                        break;
                    }
                    's' => silent = true,
                    'w' => print_dir = true,
                    _ => {}
                }
            }
        } else if let Some((name, val)) = a.split_once('=') {
            if is_var_name(name.trim_end_matches([':', '+', '?'])) {
                assigns.push((name.to_string(), val.to_string()));
            } else {
                targets.push(a.to_string());
            }
        } else {
            targets.push(a.to_string());
        }
    }
    let base = match &dir {
        Some(d) => {
            let abs = sh.abs(d);
            if !sh.fs.stat(&abs).is_ok_and(|s| s.is_dir()) {
                sh.err(format!(
                    "make: *** {d}: No such file or directory.  Stop.\n"
                ))?;
                return Ok(2);
            }
            sh.fs.canonicalize(&abs).unwrap_or(abs)
        }
        None => sh.state.cwd.clone(),
    };
    let announce = dir.is_some() && print_dir && !silent;
    if announce {
        sh.out(format!("make: Entering directory '{base}'\n"))?;
    }
    let status = sh.subshell(|sh| {
        sh.state.cwd = base.clone();
        run(sh, file, assigns, targets, silent)
    })?;
    if announce {
        sh.out(format!("make: Leaving directory '{base}'\n"))?;
    }
    Ok(status)
}

fn run(
    sh: &mut Shell<'_>,
    file: Option<String>,
    assigns: Vec<(String, String)>,
    targets: Vec<String>,
    silent: bool,
) -> Exec {
    let file = match file {
        Some(f) => Some(f),
        None => ["GNUmakefile", "makefile", "Makefile"]
            .iter()
            .find(|n| sh.fs.stat(&sh.abs(n)).is_ok_and(|s| !s.is_dir()))
            .map(|n| n.to_string()),
    };
    let Some(file) = file else {
        let message = match targets.first() {
            Some(t) => format!("make: *** No rule to make target '{t}'.  Stop.\n"),
            None => "make: *** No targets specified and no makefile found.  Stop.\n".to_string(),
        };
        sh.err(message)?;
        return Ok(2);
    };
    let mut mk = Make {
        file: file.clone(),
        vars: BTreeMap::new(),
        exported: BTreeSet::new(),
        rules: BTreeMap::new(),
        patterns: Vec::new(),
        order: Vec::new(),
        phony: BTreeSet::new(),
        dir: sh.state.cwd.clone(),
        silent,
        made: BTreeMap::new(),
        building: BTreeSet::new(),
        ran_something: false,
        failed: false,
    };
    mk.set("MAKE", "make", false, false);
    mk.set("SHELL", "/bin/sh", false, false);
    mk.set("CURDIR", &mk.dir.clone(), false, false);
    for (name, value) in &assigns {
        let (name, recursive) = match name.strip_suffix(':') {
            Some(n) => (n.trim_end_matches(':'), false),
            None => (name.as_str(), true),
        };
        mk.vars.insert(
            name.to_string(),
            Var {
                value: value.clone(),
                recursive,
                from_command_line: true,
            },
        );
    }
    match mk.read(sh, &file, 0) {
        Ok(()) => {}
        Err(Stop::Message(m)) => {
            sh.err(format!("{m}\n"))?;
            return Ok(2);
        }
        Err(Stop::Flow(f)) => return Err(f),
    }
    let goals = if targets.is_empty() {
        // A target starting with a dot is never the default goal unless it has a
        // slash (GNU make's rule).
        match mk
            .order
            .iter()
            .find(|t| !t.starts_with('.') || t.contains('/'))
        {
            Some(t) => vec![t.clone()],
            None => {
                sh.err("make: *** No targets.  Stop.\n")?;
                return Ok(2);
            }
        }
    } else {
        targets
    };
    for goal in goals {
        mk.ran_something = false;
        match mk.build(sh, &goal, None) {
            Ok(_) => {
                if !mk.ran_something && !mk.failed {
                    let has_recipe = mk.rule_for(&goal).is_some_and(|r| !r.recipe.is_empty());
                    if has_recipe && !mk.phony.contains(&goal) {
                        sh.out(format!("make: '{goal}' is up to date.\n"))?;
                    } else {
                        sh.out(format!("make: Nothing to be done for '{goal}'.\n"))?;
                    }
                }
            }
            Err(Stop::Message(m)) => {
                sh.err(format!("{m}\n"))?;
                return Ok(2);
            }
            Err(Stop::Flow(f)) => return Err(f),
        }
    }
    Ok(if mk.failed { 2 } else { 0 })
}

fn is_var_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

impl Make {
    fn set(&mut self, name: &str, value: &str, recursive: bool, from_command_line: bool) {
        self.vars.insert(
            name.to_string(),
            Var {
                value: value.to_string(),
                recursive,
                from_command_line,
            },
        );
    }

    /// Reads `file` (relative to the make directory), following `include`.
    fn read(&mut self, sh: &mut Shell<'_>, file: &str, depth: u32) -> Result<(), Stop> {
        if depth > 16 {
            return Err(Stop::Message(format!(
                "make: *** {file}: include nesting too deep.  Stop."
            )));
        }
        let path = sh.abs(file);
        let text = match sh.fs.read_file(&path) {
            Ok(b) => String::from_utf8_lossy(&b.bytes()).into_owned(),
            Err(e) => {
                return Err(Stop::Message(format!(
                    "make: {file}: {}\nmake: *** No rule to make target '{file}'.  Stop.",
                    e.kind
                )))
            }
        };
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        let mut current: Option<Vec<String>> = None;
        // Each open conditional: (this branch taken, some branch already taken).
        let mut conds: Vec<(bool, bool)> = Vec::new();
        while i < lines.len() {
            let lineno = i as u32 + 1;
            let mut line = lines[i].to_string();
            i += 1;
            sh.step()?;
            let is_recipe = line.starts_with('\t') && current.is_some();
            while line.ends_with('\\') && i < lines.len() {
                if is_recipe {
                    line.push('\n');
                    line.push_str(lines[i].strip_prefix('\t').unwrap_or(lines[i]));
                } else {
                    line.pop();
                    line.push(' ');
                    line.push_str(lines[i].trim_start());
                }
                i += 1;
            }
            let active = conds.iter().all(|c| c.0);
            if is_recipe {
                if active {
                    let recipe = line[1..].to_string();
                    for t in current.iter().flatten() {
                        self.rule_mut(t).recipe.push((lineno, recipe.clone()));
                    }
                }
                continue;
            }
            let stripped = strip_comment(&line);
            let trimmed = stripped.trim();
            let (word, rest) = trimmed
                .split_once(char::is_whitespace)
                .map_or((trimmed, ""), |(w, r)| (w, r.trim()));
            match word {
                "ifeq" | "ifneq" | "ifdef" | "ifndef" => {
                    let value = active && self.condition(sh, word, rest)?;
                    conds.push((value, value));
                    continue;
                }
                "else" => {
                    let Some(&(_, taken)) = conds.last() else {
                        return Err(self.syntax(lineno, "extraneous 'else'"));
                    };
                    let outer = conds[..conds.len() - 1].iter().all(|c| c.0);
                    let (nested, nested_rest) = rest
                        .split_once(char::is_whitespace)
                        .map_or((rest, ""), |(w, r)| (w, r.trim()));
                    let value = if matches!(nested, "ifeq" | "ifneq" | "ifdef" | "ifndef") {
                        !taken && outer && self.condition(sh, nested, nested_rest)?
                    } else {
                        !taken && outer
                    };
                    if let Some(top) = conds.last_mut() {
                        *top = (value, taken || value);
                    }
                    continue;
                }
                "endif" => {
                    if conds.pop().is_none() {
                        return Err(self.syntax(lineno, "extraneous 'endif'"));
                    }
                    continue;
                }
                _ => {}
            }
            if !active || trimmed.is_empty() {
                continue;
            }
            if matches!(word, "include" | "-include" | "sinclude") {
                let names = self.expand(sh, rest, None)?;
                for name in names.split_whitespace() {
                    let exists = sh.fs.stat(&sh.abs(name)).is_ok();
                    if exists {
                        self.read(sh, name, depth + 1)?;
                    } else if word == "include" {
                        return Err(Stop::Message(format!(
                            "{}:{lineno}: {name}: No such file or directory\nmake: *** No rule to make target '{name}'.  Stop.",
                            self.file
                        )));
                    }
                }
                continue;
            }
            if let Some((name, op, value)) = assignment(trimmed) {
                current = None;
                let (export, name) = match name.strip_prefix("export ") {
                    Some(n) => (true, n.trim()),
                    None => (
                        false,
                        name.strip_prefix("override ").map_or(name, str::trim),
                    ),
                };
                self.assign(sh, name, op, value)?;
                if export {
                    self.exported.insert(name.to_string());
                }
                continue;
            }
            if word == "export" || word == "unexport" {
                let names = self.expand(sh, rest, None)?;
                for n in names.split_whitespace() {
                    if word == "export" {
                        self.exported.insert(n.to_string());
                    } else {
                        self.exported.remove(n);
                    }
                }
                continue;
            }
            let Some(colon) = find_rule_colon(trimmed) else {
                return Err(self.syntax(lineno, "missing separator"));
            };
            let targets_text = self.expand(sh, &trimmed[..colon], None)?;
            let mut after = trimmed[colon + 1..].trim_start_matches(':').to_string();
            let mut inline = None;
            if let Some(semi) = after.find(';') {
                inline = Some(after[semi + 1..].trim_start().to_string());
                after.truncate(semi);
            }
            // `target: VAR = value` (a target-specific variable): set it globally,
            // which is what the single-target Makefiles that use it mean.
            if let Some((name, op, value)) = assignment(after.trim()) {
                self.assign(sh, name, op, value)?;
                current = None;
                continue;
            }
            let prereqs: Vec<String> = self
                .expand(sh, &after, None)?
                .split_whitespace()
                .filter(|p| *p != "|")
                .map(str::to_string)
                .collect();
            let targets: Vec<String> = targets_text
                .split_whitespace()
                .map(str::to_string)
                .collect();
            for t in &targets {
                if t == ".PHONY" {
                    self.phony.extend(prereqs.iter().cloned());
                    continue;
                }
                if special_target(t) {
                    continue;
                }
                if t.contains('%') {
                    self.patterns.push((
                        t.clone(),
                        Rule {
                            prereqs: prereqs.clone(),
                            recipe: Vec::new(),
                        },
                    ));
                } else {
                    if !self.rules.contains_key(t) {
                        self.order.push(t.clone());
                    }
                    self.rule_mut(t).prereqs.extend(prereqs.iter().cloned());
                }
            }
            let real: Vec<String> = targets.into_iter().filter(|t| !special_target(t)).collect();
            if let Some(r) = inline {
                for t in &real {
                    self.rule_mut(t).recipe.push((lineno, r.clone()));
                }
            }
            current = Some(real);
        }
        Ok(())
    }

    fn syntax(&self, line: u32, message: &str) -> Stop {
        Stop::Message(format!("{}:{line}: *** {message}.  Stop.", self.file))
    }

    /// The rule of `t`, for adding to: a pattern target's rule lives in `patterns`.
    fn rule_mut(&mut self, t: &str) -> &mut Rule {
        if t.contains('%') {
            if let Some(i) = self.patterns.iter().rposition(|(p, _)| p == t) {
                return &mut self.patterns[i].1;
            }
        }
        self.rules.entry(t.to_string()).or_default()
    }

    fn assign(
        &mut self,
        sh: &mut Shell<'_>,
        name: &str,
        op: &str,
        value: &str,
    ) -> Result<(), Stop> {
        let name = self.expand(sh, name, None)?.trim().to_string();
        if self.vars.get(&name).is_some_and(|v| v.from_command_line) {
            return Ok(());
        }
        match op {
            "=" => self.set(&name, value, true, false),
            ":=" | "::=" => {
                let v = self.expand(sh, value, None)?;
                self.set(&name, &v, false, false);
            }
            "?=" => {
                if !self.vars.contains_key(&name)
                    && sh.var(&name).is_none()
                    && default_var(&name).is_none()
                {
                    self.set(&name, value, true, false);
                }
            }
            _ => {
                let (old, recursive) = match self.vars.get(&name) {
                    Some(v) => (v.value.clone(), v.recursive),
                    None => (
                        sh.var(&name)
                            .or_else(|| default_var(&name))
                            .unwrap_or_default()
                            .to_string(),
                        true,
                    ),
                };
                let add = if recursive {
                    value.to_string()
                } else {
                    self.expand(sh, value, None)?
                };
                let joined = if old.is_empty() {
                    add
                } else {
                    format!("{old} {add}")
                };
                self.set(&name, &joined, recursive, false);
            }
        }
        Ok(())
    }

    fn condition(&mut self, sh: &mut Shell<'_>, word: &str, rest: &str) -> Result<bool, Stop> {
        match word {
            "ifdef" | "ifndef" => {
                let name = self.expand(sh, rest, None)?;
                let defined = self
                    .lookup(sh, name.trim(), None)?
                    .is_some_and(|v| !v.is_empty());
                Ok(defined == (word == "ifdef"))
            }
            _ => {
                let (a, b) = split_condition(rest);
                let a = self.expand(sh, &a, None)?;
                let b = self.expand(sh, &b, None)?;
                Ok((a.trim() == b.trim()) == (word == "ifeq"))
            }
        }
    }

    /// A variable's value: the Makefile's (expanded if recursive), else the environment's.
    fn lookup(
        &mut self,
        sh: &mut Shell<'_>,
        name: &str,
        auto: Option<&Auto>,
    ) -> Result<Option<String>, Stop> {
        if let Some(auto) = auto {
            let v = match name {
                "@" => Some(auto.target.clone()),
                "<" => Some(auto.prereqs.first().cloned().unwrap_or_default()),
                "^" => {
                    let mut seen = Vec::new();
                    for p in &auto.prereqs {
                        if !seen.contains(p) {
                            seen.push(p.clone());
                        }
                    }
                    Some(seen.join(" "))
                }
                "+" => Some(auto.prereqs.join(" ")),
                "*" => Some(auto.stem.clone()),
                _ => None,
            };
            if v.is_some() {
                return Ok(v);
            }
        }
        match self.vars.get(name).cloned() {
            Some(v) if v.recursive => {
                sh.step()?;
                Ok(Some(self.expand(sh, &v.value, auto)?))
            }
            Some(v) => Ok(Some(v.value)),
            None => match sh.var(name) {
                Some(v) => Ok(Some(v.to_string())),
                None => match default_var(name) {
                    Some(v) => {
                        sh.step()?;
                        Ok(Some(self.expand(sh, v, auto)?))
                    }
                    None => Ok(None),
                },
            },
        }
    }

    /// Expands `$(...)`, `${...}`, `$X` and `$$` in `text`.
    fn expand(
        &mut self,
        sh: &mut Shell<'_>,
        text: &str,
        auto: Option<&Auto>,
    ) -> Result<String, Stop> {
        sh.count_expansion(text.len())?;
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            let mut chars = after.chars();
            match chars.next() {
                None => {
                    rest = "";
                    break;
                }
                Some('$') => {
                    out.push('$');
                    rest = &after[1..];
                }
                Some(open @ ('(' | '{')) => {
                    let close = if open == '(' { ')' } else { '}' };
                    let Some(end) = matching(after, open, close) else {
                        return Err(Stop::Message(format!(
                            "{}: *** unterminated variable reference.  Stop.",
                            self.file
                        )));
                    };
                    let inner = &after[1..end];
                    out.push_str(&self.reference(sh, inner, auto)?);
                    rest = &after[end + 1..];
                }
                Some(c) => {
                    let name = c.to_string();
                    out.push_str(&self.lookup(sh, &name, auto)?.unwrap_or_default());
                    rest = &after[c.len_utf8()..];
                }
            }
        }
        out.push_str(rest);
        Ok(out)
    }

    /// The value of `$(inner)`: a function call or a variable (with `:a=b` suffix
    /// substitution).
    fn reference(
        &mut self,
        sh: &mut Shell<'_>,
        inner: &str,
        auto: Option<&Auto>,
    ) -> Result<String, Stop> {
        if let Some((func, args)) = inner.split_once([' ', '\t']) {
            if let Some(v) = self.function(sh, func, args, auto)? {
                return Ok(v);
            }
        }
        let name = self.expand(sh, inner, auto)?;
        if let Some((var, subst)) = name.split_once(':') {
            if let Some((from, to)) = subst.split_once('=') {
                let value = self.lookup(sh, var, auto)?.unwrap_or_default();
                let (from, to) = if from.contains('%') {
                    (from.to_string(), to.to_string())
                } else {
                    (format!("%{from}"), format!("%{to}"))
                };
                return Ok(patsubst(&from, &to, &value));
            }
        }
        Ok(self.lookup(sh, &name, auto)?.unwrap_or_default())
    }

    fn function(
        &mut self,
        sh: &mut Shell<'_>,
        func: &str,
        args: &str,
        auto: Option<&Auto>,
    ) -> Result<Option<String>, Stop> {
        let split = |n: usize| split_args(args, n);
        let words = |s: &str| -> Vec<String> { s.split_whitespace().map(str::to_string).collect() };
        let v = match func {
            "subst" | "patsubst" => {
                let a = split(3);
                let from = self.expand(sh, &a[0], auto)?;
                let to = self.expand(sh, &a[1], auto)?;
                let text = self.expand(sh, &a[2], auto)?;
                if func == "subst" {
                    if from.is_empty() {
                        text
                    } else {
                        text.replace(&from, &to)
                    }
                } else {
                    patsubst(&from, &to, &text)
                }
            }
            "strip" => words(&self.expand(sh, args, auto)?).join(" "),
            "filter" | "filter-out" => {
                let a = split(2);
                let pats = words(&self.expand(sh, &a[0], auto)?);
                let text = words(&self.expand(sh, &a[1], auto)?);
                let keep = func == "filter";
                text.into_iter()
                    .filter(|w| pats.iter().any(|p| pattern_stem(p, w).is_some()) == keep)
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            "sort" => {
                let set: BTreeSet<String> =
                    words(&self.expand(sh, args, auto)?).into_iter().collect();
                set.into_iter().collect::<Vec<_>>().join(" ")
            }
            "dir" | "notdir" | "basename" | "suffix" => {
                let text = words(&self.expand(sh, args, auto)?);
                text.iter()
                    .filter_map(|w| {
                        let slash = w.rfind('/').map_or(0, |i| i + 1);
                        let dot = w[slash..].rfind('.').map(|i| slash + i);
                        match func {
                            "dir" => Some(if slash == 0 {
                                "./".to_string()
                            } else {
                                w[..slash].to_string()
                            }),
                            "notdir" => Some(w[slash..].to_string()),
                            "basename" => Some(dot.map_or(w.clone(), |d| w[..d].to_string())),
                            _ => dot.map(|d| w[d..].to_string()),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            "addprefix" | "addsuffix" => {
                let a = split(2);
                let fix = self.expand(sh, &a[0], auto)?;
                let text = words(&self.expand(sh, &a[1], auto)?);
                text.iter()
                    .map(|w| {
                        if func == "addprefix" {
                            format!("{fix}{w}")
                        } else {
                            format!("{w}{fix}")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            "firstword" | "lastword" | "words" => {
                let text = words(&self.expand(sh, args, auto)?);
                match func {
                    "firstword" => text.first().cloned().unwrap_or_default(),
                    "lastword" => text.last().cloned().unwrap_or_default(),
                    _ => text.len().to_string(),
                }
            }
            "word" => {
                let a = split(2);
                let n: usize = self.expand(sh, &a[0], auto)?.trim().parse().unwrap_or(0);
                let text = words(&self.expand(sh, &a[1], auto)?);
                n.checked_sub(1)
                    .and_then(|i| text.get(i).cloned())
                    .unwrap_or_default()
            }
            "wildcard" => {
                let pats = words(&self.expand(sh, args, auto)?);
                let mut found = Vec::new();
                for p in pats {
                    let chars: Vec<(char, bool)> = p.chars().map(|c| (c, false)).collect();
                    found.extend(sh.glob(&chars));
                }
                found.join(" ")
            }
            "shell" => {
                let command = self.expand(sh, args, auto)?;
                let (_, out) = sh.capture(None, |sh| {
                    sh.run_process_script("/bin/sh", &[], &command, Options::default())
                })?;
                let text = String::from_utf8_lossy(&out).into_owned();
                text.trim_end_matches('\n').replace('\n', " ")
            }
            "if" => {
                let a = split(3);
                let cond = self.expand(sh, &a[0], auto)?;
                if !cond.trim().is_empty() {
                    self.expand(sh, &a[1], auto)?
                } else {
                    self.expand(sh, &a[2], auto)?
                }
            }
            "foreach" => {
                let a = split(3);
                let var = self.expand(sh, &a[0], auto)?.trim().to_string();
                let list = words(&self.expand(sh, &a[1], auto)?);
                let saved = self.vars.get(&var).cloned();
                let mut out = Vec::new();
                for w in list {
                    self.set(&var, &w, false, false);
                    out.push(self.expand(sh, &a[2], auto)?);
                }
                match saved {
                    Some(v) => {
                        self.vars.insert(var, v);
                    }
                    None => {
                        self.vars.remove(&var);
                    }
                }
                out.join(" ")
            }
            _ => return Ok(None),
        };
        Ok(Some(v))
    }

    /// The explicit rule of `target`, or one made from the first pattern rule whose
    /// prerequisites exist or can be made.
    fn rule_for(&self, target: &str) -> Option<Rule> {
        if let Some(r) = self.rules.get(target) {
            if !r.recipe.is_empty()
                || !self
                    .patterns
                    .iter()
                    .any(|(p, _)| pattern_stem(p, target).is_some())
            {
                return Some(r.clone());
            }
        }
        None
    }

    /// The first pattern rule (the Makefile's, then the built-in ones) whose
    /// prerequisites exist or ought to exist: a target of a rule, or one of
    /// `named`, the target's own explicit prerequisites (GNU make's rule).
    fn pattern_rule(
        &self,
        sh: &Shell<'_>,
        target: &str,
        named: &[String],
    ) -> Option<(Rule, String)> {
        let builtin = BUILTIN_RULES.iter().map(|(t, p, recipe)| {
            (
                t.to_string(),
                Rule {
                    prereqs: vec![p.to_string()],
                    recipe: vec![(0, recipe.to_string())],
                },
            )
        });
        // GNU make searches no implicit rule for a phony target.
        let builtin = builtin.filter(|_| !self.phony.contains(target));
        let own = self.patterns.iter().rev().cloned();
        own.chain(builtin).find_map(|(p, rule)| {
            let stem = pattern_stem(&p, target)?;
            let prereqs: Vec<String> = rule
                .prereqs
                .iter()
                .map(|q| q.replacen('%', &stem, 1))
                .collect();
            let ok = prereqs.iter().all(|q| {
                self.rules.contains_key(q) || named.contains(q) || sh.fs.stat(&sh.abs(q)).is_ok()
            });
            ok.then(|| {
                (
                    Rule {
                        prereqs,
                        recipe: rule.recipe.clone(),
                    },
                    stem,
                )
            })
        })
    }

    /// Makes `target`: its prerequisites first, then its recipe when it is out of
    /// date. Returns whether it was remade.
    fn build(
        &mut self,
        sh: &mut Shell<'_>,
        target: &str,
        parent: Option<&str>,
    ) -> Result<bool, Stop> {
        if let Some(&remade) = self.made.get(target) {
            return Ok(remade);
        }
        if self.building.contains(target) {
            let p = parent.unwrap_or(target);
            sh.err(format!(
                "make: Circular {p} <- {target} dependency dropped.\n"
            ))?;
            return Ok(false);
        }
        sh.step()?;
        let explicit = self.rules.get(target).cloned();
        let (rule, stem) = match explicit {
            Some(r) if !r.recipe.is_empty() => (r, String::new()),
            other => match self.pattern_rule(
                sh,
                target,
                other.as_ref().map_or(&[][..], |r| &r.prereqs[..]),
            ) {
                Some((mut p, stem)) => {
                    if let Some(r) = other {
                        p.prereqs.extend(r.prereqs);
                    }
                    (p, stem)
                }
                None => match other {
                    Some(r) => (r, String::new()),
                    None => {
                        if sh.fs.stat(&sh.abs(target)).is_ok() {
                            self.made.insert(target.to_string(), false);
                            return Ok(false);
                        }
                        return Err(Stop::Message(match parent {
                            Some(p) => format!("make: *** No rule to make target '{target}', needed by '{p}'.  Stop."),
                            None => format!("make: *** No rule to make target '{target}'.  Stop."),
                        }));
                    }
                },
            },
        };
        self.building.insert(target.to_string());
        let mut newer = false;
        let own = sh.fs.stat(&sh.abs(target)).ok().map(|s| s.meta.mtime);
        for p in &rule.prereqs {
            let remade = self.build(sh, p, Some(target))?;
            let theirs = sh.fs.stat(&sh.abs(p)).ok().map(|s| s.meta.mtime);
            if remade || matches!((own, theirs), (Some(a), Some(b)) if b > a) {
                newer = true;
            }
        }
        self.building.remove(target);
        let out_of_date = self.phony.contains(target) || own.is_none() || newer;
        let remade = out_of_date && !rule.recipe.is_empty();
        if remade {
            let auto = Auto {
                target: target.to_string(),
                prereqs: rule.prereqs.clone(),
                stem,
            };
            self.recipe(sh, target, &rule.recipe, &auto)?;
        }
        self.made
            .insert(target.to_string(), remade || (out_of_date && own.is_none()));
        Ok(remade)
    }

    fn recipe(
        &mut self,
        sh: &mut Shell<'_>,
        target: &str,
        lines: &[(u32, String)],
        auto: &Auto,
    ) -> Result<(), Stop> {
        let env: Vec<(String, String)> = {
            let names: Vec<String> = self.exported.iter().cloned().collect();
            let mut env = Vec::new();
            for n in names {
                if let Some(v) = self.lookup(sh, &n, Some(auto))? {
                    env.push((n, v));
                }
            }
            env
        };
        for (lineno, line) in lines {
            let text = self.expand(sh, line, Some(auto))?;
            let mut body = text.trim_start();
            let mut echo = !self.silent;
            let mut ignore = false;
            while let Some(c) = body.chars().next().filter(|c| matches!(c, '@' | '-' | '+')) {
                match c {
                    '@' => echo = false,
                    '-' => ignore = true,
                    _ => {}
                }
                body = body[1..].trim_start();
            }
            if body.is_empty() {
                continue;
            }
            if echo {
                sh.out(format!("{body}\n"))?;
            }
            self.ran_something = true;
            let script = body.to_string();
            let status = sh.subshell(|sh| {
                for (n, v) in &env {
                    sh.export_var(n, Some(v))?;
                }
                sh.run_process_script("/bin/sh", &[], &script, Options::default())
            })?;
            if status == 0 {
                continue;
            }
            if ignore {
                sh.err(format!(
                    "make: [{}: {target}] Error {status} (ignored)\n",
                    origin(&self.file, *lineno)
                ))?;
                continue;
            }
            self.failed = true;
            return Err(Stop::Message(format!(
                "make: *** [{}: {target}] Error {status}",
                origin(&self.file, *lineno)
            )));
        }
        Ok(())
    }
}

/// The automatic variables of one recipe.
struct Auto {
    target: String,
    prereqs: Vec<String>,
    stem: String,
}

/// `line` without its `#` comment (`\#` is a literal `#`).
fn strip_comment(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'#') => {
                out.push('#');
                chars.next();
            }
            '#' => break,
            _ => out.push(c),
        }
    }
    out
}

/// `NAME OP VALUE` when the line is a variable assignment (`=` before any `:` that
/// is not part of `:=`).
fn assignment(line: &str) -> Option<(&str, &str, &str)> {
    let eq = line.find('=')?;
    let before = &line[..eq];
    let (name_end, op) = if before.ends_with("::") {
        (eq - 2, "::=")
    } else if before.ends_with(':') {
        (eq - 1, ":=")
    } else if before.ends_with('?') {
        (eq - 1, "?=")
    } else if before.ends_with('+') {
        (eq - 1, "+=")
    } else {
        (eq, "=")
    };
    let name = line[..name_end].trim();
    if name.is_empty() || name[..].contains(':') && !name.starts_with("export ") {
        return None;
    }
    let plain = name
        .strip_prefix("export ")
        .or(name.strip_prefix("override "))
        .unwrap_or(name);
    if plain.contains(char::is_whitespace) || plain.contains(';') {
        return None;
    }
    Some((name, op, line[eq + 1..].trim_start()))
}

/// The `:` that separates a rule's targets from its prerequisites, skipping `$(...)`.
fn find_rule_colon(line: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in line.char_indices() {
        match c {
            '(' | '{' => depth += 1,
            ')' | '}' => depth -= 1,
            ':' if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// The index of the bracket closing `text[0]`, nesting counted.
fn matching(text: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// The comma-separated arguments of a function, at most `n` (the last takes the rest),
/// commas inside brackets not counted. Missing ones are empty.
fn split_args(args: &str, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in args.char_indices() {
        match c {
            '(' | '{' => depth += 1,
            ')' | '}' => depth -= 1,
            ',' if depth == 0 && out.len() + 1 < n => {
                out.push(args[start..i].to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(args[start..].to_string());
    while out.len() < n {
        out.push(String::new());
    }
    out
}

/// `ifeq (a,b)` or `ifeq "a" "b"` / `'a' 'b'`: the two sides, unexpanded.
fn split_condition(rest: &str) -> (String, String) {
    let rest = rest.trim();
    if let Some(inner) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        let a = split_args(inner, 2);
        return (a[0].clone(), a[1].clone());
    }
    let mut parts = Vec::new();
    let mut chars = rest.chars();
    while let Some(q) = chars.find(|c| *c == '"' || *c == '\'') {
        let s: String = chars.by_ref().take_while(|c| *c != q).collect();
        parts.push(s);
    }
    (
        parts.first().cloned().unwrap_or_default(),
        parts.get(1).cloned().unwrap_or_default(),
    )
}

/// The stem `word` gives pattern `pat` (`%.o` against `main.o` is `main`); a
/// pattern without `%` must equal the word.
/// A special target (`.PHONY`, `.SUFFIXES`, `.DEFAULT`...): a dot and capitals.
/// Other names starting with a dot (`.make-prerequisites`) are ordinary targets
/// that only never become the default goal.
fn special_target(t: &str) -> bool {
    t.len() > 1
        && t.starts_with('.')
        && t.chars()
            .skip(1)
            .all(|c| c.is_ascii_uppercase() || c == '_')
}

fn pattern_stem(pat: &str, word: &str) -> Option<String> {
    match pat.split_once('%') {
        None => (pat == word).then(String::new),
        Some((pre, post)) => {
            let rest = word.strip_prefix(pre)?;
            let stem = rest.strip_suffix(post)?;
            Some(stem.to_string())
        }
    }
}

/// `$(patsubst FROM,TO,TEXT)` word by word.
fn patsubst(from: &str, to: &str, text: &str) -> String {
    text.split_whitespace()
        .map(|w| match pattern_stem(from, w) {
            Some(stem) if from.contains('%') => to.replacen('%', &stem, 1),
            Some(_) => to.to_string(),
            None => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}
