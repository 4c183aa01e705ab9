//! Debian's apache2 helpers `a2enmod`, `a2dismod`, `a2enconf`, `a2disconf`,
//! `a2ensite` and `a2dissite`: they manage the relative symlinks in
//! `$APACHE_CONFDIR/{mods,conf,sites}-enabled` that point into `*-available`,
//! with the real messages. For modules they follow the `# Depends:` and
//! `# Conflicts:` lines of the `.load` file as Debian's script does, and every
//! change by hand is recorded under `/var/lib/apache2/<kind>/{enabled,disabled}_by_admin`.

use super::super::exec::{Exec, Flow, Shell};
use crate::vfs::blob::Blob;
use crate::vfs::Meta;

/// What a helper manages.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Module,
    Conf,
    Site,
}

impl Kind {
    /// The directory stem (`mods`, `conf`, `sites`).
    fn dir(self) -> &'static str {
        match self {
            Kind::Module => "mods",
            Kind::Conf => "conf",
            Kind::Site => "sites",
        }
    }

    /// The word in messages (`Module`, `Conf`, `Site`).
    fn word(self) -> &'static str {
        match self {
            Kind::Module => "Module",
            Kind::Conf => "Conf",
            Kind::Site => "Site",
        }
    }

    /// The state directory's name under /var/lib/apache2.
    fn state(self) -> &'static str {
        match self {
            Kind::Module => "module",
            Kind::Conf => "conf",
            Kind::Site => "site",
        }
    }

    /// The file types an item has: modules a `.load` and maybe a `.conf`.
    fn suffixes(self) -> &'static [&'static str] {
        match self {
            Kind::Module => &[".load", ".conf"],
            Kind::Conf | Kind::Site => &[".conf"],
        }
    }
}

struct Helper {
    kind: Kind,
    confdir: String,
    quiet: bool,
    force: bool,
    changed: bool,
}

impl Helper {
    fn available(&self, name: &str) -> String {
        let first = self.kind.suffixes()[0];
        format!(
            "{}/{}-available/{name}{first}",
            self.confdir,
            self.kind.dir()
        )
    }

    fn enabled(&self, name: &str) -> String {
        let first = self.kind.suffixes()[0];
        format!("{}/{}-enabled/{name}{first}", self.confdir, self.kind.dir())
    }

    fn is_enabled(&self, sh: &Shell<'_>, name: &str) -> bool {
        sh.fs.lstat(&self.enabled(name)).is_ok()
    }

    /// The names on a `# Depends:` or `# Conflicts:` line of a module's `.load`.
    fn notes(&self, sh: &Shell<'_>, name: &str, key: &str) -> Vec<String> {
        if self.kind != Kind::Module {
            return Vec::new();
        }
        let text = sh
            .fs
            .read_file(&self.available(name))
            .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
            .unwrap_or_default();
        text.lines()
            .filter_map(|l| l.strip_prefix(&format!("# {key}:")))
            .flat_map(|l| l.split([' ', ',']).filter(|w| !w.is_empty()))
            .map(str::to_string)
            .collect()
    }

    fn say(&self, out: &mut String, line: &str) {
        if !self.quiet {
            out.push_str(line);
            out.push('\n');
        }
    }

    /// Records an admin's choice, as Debian's helpers do for the maintainer scripts.
    fn record(&self, sh: &mut Shell<'_>, name: &str, enabled: bool) {
        let base = format!("/var/lib/apache2/{}", self.kind.state());
        let (set, clear) = if enabled {
            ("enabled_by_admin", "disabled_by_admin")
        } else {
            ("disabled_by_admin", "enabled_by_admin")
        };
        let _ = sh.fs.remove_file(&format!("{base}/{clear}/{name}"));
        let m = Meta::new(0o755).at(sh.ctx.mtime);
        let _ = sh.fs.mkdir_all(&format!("{base}/{set}"), m);
        let m = Meta::new(0o644).at(sh.ctx.mtime);
        let _ = sh
            .fs
            .write_file(&format!("{base}/{set}/{name}"), Blob::empty(), m);
    }

    /// Enables `name` (dependencies first); `Ok(false)` after an error message.
    fn enable(
        &mut self,
        sh: &mut Shell<'_>,
        name: &str,
        out: &mut String,
        err: &mut String,
        depth: u32,
    ) -> Result<bool, Flow> {
        sh.step()?;
        let word = self.kind.word();
        if !sh.fs.exists(&self.available(name)) {
            err.push_str(&format!("ERROR: {word} {name} does not exist!\n"));
            return Ok(false);
        }
        for dep in self.notes(sh, name, "Depends") {
            self.say(out, &format!("Considering dependency {dep} for {name}:"));
            if depth > 8 || !self.enable(sh, &dep, out, err, depth + 1)? {
                err.push_str(&format!(
                    "ERROR: Could not enable dependency {dep} for {name}, aborting\n"
                ));
                return Ok(false);
            }
        }
        for conflict in self.notes(sh, name, "Conflicts") {
            self.say(out, &format!("Considering conflict {conflict} for {name}:"));
            if self.is_enabled(sh, &conflict) {
                err.push_str(&format!("ERROR: Module {conflict} is enabled - cannot proceed due to conflicts. It needs to be disabled first!\n"));
                return Ok(false);
            }
        }
        if self.is_enabled(sh, name) {
            self.say(out, &format!("{word} {name} already enabled"));
            return Ok(true);
        }
        let dir = format!("{}/{}-enabled", self.confdir, self.kind.dir());
        let _ = sh.fs.mkdir_all(&dir, Meta::new(0o755).at(sh.ctx.mtime));
        for suffix in self.kind.suffixes() {
            let file = format!("{name}{suffix}");
            let source = format!("{}/{}-available/{file}", self.confdir, self.kind.dir());
            if sh.fs.exists(&source) {
                let target = format!("../{}-available/{file}", self.kind.dir());
                let m = Meta::new(0o777).at(sh.ctx.mtime);
                let _ = sh.fs.symlink(&target, &format!("{dir}/{file}"), m);
            }
        }
        let what = match self.kind {
            Kind::Module => "module",
            Kind::Conf => "conf",
            Kind::Site => "site",
        };
        self.say(out, &format!("Enabling {what} {name}."));
        if depth == 0 {
            self.record(sh, name, true);
        }
        self.changed = true;
        Ok(true)
    }

    fn disable(
        &mut self,
        sh: &mut Shell<'_>,
        name: &str,
        out: &mut String,
        err: &mut String,
    ) -> Result<bool, Flow> {
        sh.step()?;
        let word = self.kind.word();
        if !self.is_enabled(sh, name) {
            if sh.fs.exists(&self.available(name)) {
                self.say(out, &format!("{word} {name} already disabled"));
                return Ok(true);
            }
            err.push_str(&format!("ERROR: {word} {name} does not exist!\n"));
            return Ok(false);
        }
        if self.kind == Kind::Module && !self.force {
            let dir = format!("{}/mods-enabled", self.confdir);
            let mut dependents: Vec<String> = sh
                .fs
                .read_dir(&dir)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(n, _)| n.strip_suffix(".load").map(str::to_string))
                .filter(|m| self.notes(sh, m, "Depends").iter().any(|d| d == name))
                .collect();
            dependents.sort();
            if !dependents.is_empty() {
                err.push_str(&format!("ERROR: The following modules depend on {name} and need to be disabled first: {}\n", dependents.join(" ")));
                return Ok(false);
            }
        }
        for suffix in self.kind.suffixes() {
            let link = format!(
                "{}/{}-enabled/{name}{suffix}",
                self.confdir,
                self.kind.dir()
            );
            let _ = sh.fs.remove_file(&link);
        }
        self.say(out, &format!("{word} {name} disabled."));
        self.record(sh, name, false);
        self.changed = true;
        Ok(true)
    }
}

/// `a2enmod`/`a2dismod`/`a2enconf`/`a2disconf`/`a2ensite`/`a2dissite [-q] [-f] NAME...`.
pub fn a2enmod(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let called = super::super::exec::base_name(&argv[0]).to_string();
    let (enable, kind) = match called.as_str() {
        "a2dismod" => (false, Kind::Module),
        "a2enconf" => (true, Kind::Conf),
        "a2disconf" => (false, Kind::Conf),
        "a2ensite" => (true, Kind::Site),
        "a2dissite" => (false, Kind::Site),
        _ => (true, Kind::Module),
    };
    let f = super::flags_with_long(argv, "", &[("quiet", 'q'), ("force", 'f'), ("purge", 'p')]);
    let mut helper = Helper {
        kind,
        confdir: sh
            .var("APACHE_CONFDIR")
            .filter(|v| !v.is_empty())
            .unwrap_or("/etc/apache2")
            .trim_end_matches('/')
            .to_string(),
        quiet: f.has('q'),
        force: f.has('f'),
        changed: false,
    };
    let (mut out, mut err) = (String::new(), String::new());
    let mut operands = f.operands.clone();
    if operands.is_empty() {
        // No names: the helpers list the choices and read names from stdin.
        let side = if enable { "available" } else { "enabled" };
        let first = kind.suffixes()[0];
        let dir = format!("{}/{}-{side}", helper.confdir, kind.dir());
        let mut choices: Vec<String> = sh
            .fs
            .read_dir(&dir)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(n, _)| n.strip_suffix(first).map(str::to_string))
            .collect();
        choices.sort();
        let noun = match kind {
            Kind::Module => "module(s)",
            Kind::Conf => "conf(s)",
            Kind::Site => "site(s)",
        };
        let verb = if enable { "enable" } else { "disable" };
        sh.out(format!(
            "Your choices are: {}\nWhich {noun} do you want to {verb} (wildcards ok)?\n",
            choices.join(" ")
        ))?;
        let line = sh.read_stdin_line().unwrap_or_default();
        operands = String::from_utf8_lossy(&line)
            .split_whitespace()
            .map(str::to_string)
            .collect();
    }
    let mut status = 0;
    for operand in &operands {
        let mut name = operand.as_str();
        for suffix in kind.suffixes() {
            name = name.strip_suffix(suffix).unwrap_or(name);
        }
        let ok = if enable {
            helper.enable(sh, name, &mut out, &mut err, 0)?
        } else {
            helper.disable(sh, name, &mut out, &mut err)?
        };
        if !ok {
            status = 1;
        }
    }
    if helper.changed && !helper.quiet {
        let action = if kind == Kind::Module {
            "restart"
        } else {
            "reload"
        };
        let how = if sh.fs.stat("/run/systemd/system").is_ok_and(|s| s.is_dir()) {
            format!("systemctl {action} apache2")
        } else {
            format!("service apache2 {action}")
        };
        out.push_str(&format!(
            "To activate the new configuration, you need to run:\n  {how}\n"
        ));
    }
    sh.out(out)?;
    sh.err(err)?;
    Ok(status)
}
