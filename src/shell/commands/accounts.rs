//! User and group management: `useradd`, `groupadd`, `usermod -aG`, and `adduser`/
//! `addgroup` in both their Debian and busybox (Alpine) forms. They edit
//! `/etc/passwd`, `/etc/group`, `/etc/shadow` and `/etc/gshadow` (when present) in
//! place and create home directories, as the real tools do.

use super::super::exec::{Exec, Flow, Shell};
use super::super::users;
use crate::vfs::blob::Blob;
use crate::vfs::Meta;

/// Normal accounts start here; system accounts count down from 999.
const FIRST_UID: u32 = 1000;
const SYSTEM_MAX: u32 = 999;

/// What to create.
#[derive(Default)]
struct NewUser {
    name: String,
    uid: Option<u32>,
    group: Option<String>,
    extra_groups: Vec<String>,
    home: Option<String>,
    shell: Option<String>,
    comment: String,
    system: bool,
    create_home: bool,
    user_group: bool,
    /// adduser's choice of ids (`lowest_free`) rather than useradd's (`next_id`).
    lowest: bool,
}

fn append_line(sh: &mut Shell<'_>, path: &str, line: &str) -> Result<(), Flow> {
    let Ok(blob) = sh.fs.read_file(path) else {
        return Ok(());
    };
    // Reading, rewriting and rehashing the whole file is work: a loop adding
    // accounts grows it, so it is charged by size.
    sh.charge(blob.len() as usize)?;
    let mut text = String::from_utf8_lossy(&blob.bytes()).into_owned();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(line);
    text.push('\n');
    let meta = sh.fs.stat(path).map(|s| s.meta).unwrap_or(Meta::new(0o644));
    let _ = sh
        .fs
        .write_file(path, Blob::from_bytes(text), meta.at(sh.ctx.mtime));
    Ok(())
}

fn rewrite_lines(sh: &mut Shell<'_>, path: &str, mut f: impl FnMut(&str) -> String) {
    let Ok(blob) = sh.fs.read_file(path) else {
        return;
    };
    let text = String::from_utf8_lossy(&blob.bytes()).into_owned();
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(&f(line));
        out.push('\n');
    }
    let meta = sh.fs.stat(path).map(|s| s.meta).unwrap_or(Meta::new(0o644));
    let _ = sh
        .fs
        .write_file(path, Blob::from_bytes(out), meta.at(sh.ctx.mtime));
}

/// The next free id: counting up from 1000, or down from 999 for system accounts.
fn next_id(used: &[u32], system: bool) -> u32 {
    if system {
        (100..=SYSTEM_MAX)
            .rev()
            .find(|id| !used.contains(id))
            .unwrap_or(SYSTEM_MAX)
    } else {
        let max = used
            .iter()
            .copied()
            .filter(|id| (FIRST_UID..60000).contains(id))
            .max();
        max.map_or(FIRST_UID, |m| m + 1)
    }
}

/// What adduser and addgroup (Debian's and BusyBox's) choose: the lowest id of the
/// range (100-999 for system accounts, 1000-59999 otherwise) that is free in
/// `used` and in `also`, the groups' ids when the account gets a group of the
/// same number.
fn lowest_free(used: &[u32], also: &[u32], system: bool) -> u32 {
    let (first, last) = if system {
        (100, SYSTEM_MAX)
    } else {
        (FIRST_UID, 59999)
    };
    (first..=last)
        .find(|id| !used.contains(id) && !also.contains(id))
        .unwrap_or(last)
}

fn days(sh: &Shell<'_>) -> i64 {
    sh.ctx.mtime.div_euclid(86400)
}

fn add_group(
    sh: &mut Shell<'_>,
    prog: &str,
    name: &str,
    gid: Option<u32>,
    system: bool,
    lowest: bool,
) -> Result<Option<u32>, Flow> {
    if users::groups(sh.fs).iter().any(|g| g.name == name) {
        sh.err(format!("{prog}: group '{name}' already exists\n"))?;
        return Ok(None);
    }
    let used: Vec<u32> = users::groups(sh.fs).iter().map(|g| g.gid).collect();
    let gid = gid.unwrap_or_else(|| {
        if lowest {
            lowest_free(&used, &[], system)
        } else {
            next_id(&used, system)
        }
    });
    append_line(sh, "/etc/group", &format!("{name}:x:{gid}:"))?;
    append_line(sh, "/etc/gshadow", &format!("{name}:!::"))?;
    Ok(Some(gid))
}

fn add_to_groups(sh: &mut Shell<'_>, user: &str, groups: &[String]) {
    rewrite_lines(sh, "/etc/group", |line| {
        let mut f: Vec<String> = line.split(':').map(str::to_string).collect();
        if f.len() >= 4 && groups.contains(&f[0]) {
            let mut members: Vec<&str> = f[3].split(',').filter(|m| !m.is_empty()).collect();
            if !members.contains(&user) {
                members.push(user);
            }
            f[3] = members.join(",");
            return f.join(":");
        }
        line.to_string()
    });
}

fn create_user(sh: &mut Shell<'_>, prog: &str, u: NewUser) -> Exec {
    if users::passwd_entry(sh.fs, &u.name).is_some() {
        sh.err(format!("{prog}: user '{}' already exists\n", u.name))?;
        return Ok(9);
    }
    for g in &u.extra_groups {
        if users::lookup_gid(sh.fs, g).is_none() {
            sh.err(format!("{prog}: group '{g}' does not exist\n"))?;
            return Ok(6);
        }
    }
    let used: Vec<u32> = users::passwd(sh.fs).iter().map(|e| e.uid).collect();
    let uid = match u.uid {
        Some(id) if used.contains(&id) => {
            sh.err(format!("{prog}: UID {id} is not unique\n"))?;
            return Ok(4);
        }
        Some(id) => id,
        None if u.lowest => {
            let gids: Vec<u32> = if u.user_group && u.group.is_none() {
                users::groups(sh.fs).iter().map(|g| g.gid).collect()
            } else {
                Vec::new()
            };
            lowest_free(&used, &gids, u.system)
        }
        None => next_id(&used, u.system),
    };
    let gid = match &u.group {
        Some(g) => match users::lookup_gid(sh.fs, g) {
            Some(id) => id,
            None => {
                sh.err(format!("{prog}: group '{g}' does not exist\n"))?;
                return Ok(6);
            }
        },
        None if u.user_group => {
            let taken = users::groups(sh.fs).iter().any(|g| g.gid == uid);
            let want = if taken { None } else { Some(uid) };
            match add_group(sh, prog, &u.name, want, u.system, u.lowest)? {
                Some(gid) => gid,
                None => {
                    sh.err(format!("{prog}: group {} exists - if you want to add this user to that group, use -g.\n", u.name))?;
                    return Ok(9);
                }
            }
        }
        // A system account of adduser's without a group of its own joins nogroup
        // (65534 on Debian, 65533 on Alpine); useradd's joins users (100).
        None if u.system && u.lowest => users::lookup_gid(sh.fs, "nogroup").unwrap_or(65534),
        None => 100,
    };
    let home = u
        .home
        .clone()
        .unwrap_or_else(|| format!("/home/{}", u.name));
    let shell = u.shell.clone().unwrap_or_else(|| "/bin/sh".to_string());
    append_line(
        sh,
        "/etc/passwd",
        &format!("{}:x:{uid}:{gid}:{}:{home}:{shell}", u.name, u.comment),
    )?;
    let d = days(sh);
    append_line(sh, "/etc/shadow", &format!("{}:!:{d}:0:99999:7:::", u.name))?;
    add_to_groups(sh, &u.name, &u.extra_groups);
    if u.create_home && sh.fs.stat(&home).is_err() {
        let meta = Meta::new(0o755).owned(uid, gid).at(sh.ctx.mtime);
        let parent = super::files::parent_of(&home);
        let pmeta = Meta::new(0o755).at(sh.ctx.mtime);
        let _ = sh.fs.mkdir_all(&parent, pmeta);
        if sh.fs.mkdir(&home, meta).is_ok() {
            copy_skel(sh, &home, uid, gid);
        }
    }
    Ok(0)
}

/// Copies `/etc/skel` into a new home, owned by the new user.
fn copy_skel(sh: &mut Shell<'_>, home: &str, uid: u32, gid: u32) {
    let Ok(entries) = sh.fs.walk("/etc/skel") else {
        return;
    };
    for e in entries {
        let rel = e.path.strip_prefix("etc/skel/").unwrap_or(&e.path);
        let target = format!("{home}/{rel}");
        let meta = e.stat.meta.owned(uid, gid).at(sh.ctx.mtime);
        let _ = sh.fs.create(&target, e.stat.kind.clone(), meta);
    }
}

/// `useradd [-m] [-M] [-r] [-u UID] [-g GROUP] [-G G1,G2] [-d HOME] [-s SHELL] [-c TEXT] [-U|-N] NAME`.
pub fn useradd(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = super::flags_with_long(argv, "ugGdsckeKpbf", USERADD_LONG);
    let Some(name) = f.operands.last().cloned() else {
        sh.err("Usage: useradd [options] LOGIN\n")?;
        return Ok(2);
    };
    let u = NewUser {
        name,
        uid: f.value('u').and_then(|v| v.parse().ok()),
        group: f.value('g').map(str::to_string),
        extra_groups: f
            .value('G')
            .map(|g| g.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        home: f.value('d').map(str::to_string),
        shell: f.value('s').map(str::to_string),
        comment: f.value('c').unwrap_or("").to_string(),
        system: f.has('r'),
        create_home: f.has('m') && !f.has('M'),
        user_group: !f.has('N'),
        lowest: false,
    };
    create_user(sh, "useradd", u)
}

/// useradd's long options (shadow-utils) as its short letters.
const USERADD_LONG: &[(&str, char)] = &[
    ("uid", 'u'),
    ("gid", 'g'),
    ("groups", 'G'),
    ("home-dir", 'd'),
    ("home", 'd'),
    ("shell", 's'),
    ("comment", 'c'),
    ("system", 'r'),
    ("create-home", 'm'),
    ("no-create-home", 'M'),
    ("no-user-group", 'N'),
    ("user-group", 'U'),
    ("non-unique", 'o'),
    ("no-log-init", 'l'),
    ("key", 'K'),
    ("password", 'p'),
    ("base-dir", 'b'),
    ("expiredate", 'e'),
    ("inactive", 'f'),
];

/// groupadd's long options as its short letters.
const GROUPADD_LONG: &[(&str, char)] = &[
    ("gid", 'g'),
    ("system", 'r'),
    ("force", 'f'),
    ("non-unique", 'o'),
    ("key", 'K'),
    ("password", 'p'),
];

/// usermod's long options as its short letters.
const USERMOD_LONG: &[(&str, char)] = &[
    ("groups", 'G'),
    ("gid", 'g'),
    ("shell", 's'),
    ("home", 'd'),
    ("login", 'l'),
    ("uid", 'u'),
    ("append", 'a'),
    ("move-home", 'm'),
];

/// `groupadd [-g GID] [-r] [-f] NAME`.
pub fn groupadd(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = super::flags_with_long(argv, "gKp", GROUPADD_LONG);
    let Some(name) = f.operands.last().cloned() else {
        sh.err("Usage: groupadd [options] GROUP\n")?;
        return Ok(2);
    };
    if f.has('f') && users::lookup_gid(sh.fs, &name).is_some() {
        return Ok(0);
    }
    let gid = f.value('g').and_then(|v| v.parse().ok());
    if let Some(g) = gid {
        if users::groups(sh.fs).iter().any(|e| e.gid == g) {
            sh.err(format!("groupadd: GID '{g}' already exists\n"))?;
            return Ok(4);
        }
    }
    Ok(
        match add_group(sh, "groupadd", &name, gid, f.has('r'), false)? {
            Some(_) => 0,
            None => 9,
        },
    )
}

/// `usermod [-aG GROUPS] [-s SHELL] [-d HOME] NAME`.
pub fn usermod(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = super::flags_with_long(argv, "Ggsdlu", USERMOD_LONG);
    let Some(name) = f.operands.last().cloned() else {
        sh.err("Usage: usermod [options] LOGIN\n")?;
        return Ok(2);
    };
    if users::passwd_entry(sh.fs, &name).is_none() {
        sh.err(format!("usermod: user '{name}' does not exist\n"))?;
        return Ok(6);
    }
    if let Some(groups) = f.value('G') {
        let groups: Vec<String> = groups.split(',').map(str::to_string).collect();
        for g in &groups {
            if users::lookup_gid(sh.fs, g).is_none() {
                sh.err(format!("usermod: group '{g}' does not exist\n"))?;
                return Ok(6);
            }
        }
        add_to_groups(sh, &name, &groups);
    }
    let shell = f.value('s').map(str::to_string);
    let home = f.value('d').map(str::to_string);
    let uid = f.value('u').and_then(|u| u.parse::<u32>().ok());
    let gid = f.value('g').and_then(|g| users::lookup_gid(sh.fs, g));
    rewrite_lines(sh, "/etc/passwd", |line| {
        let mut fields: Vec<String> = line.split(':').map(str::to_string).collect();
        if fields.len() >= 7 && fields[0] == name {
            if let Some(s) = &shell {
                fields[6] = s.clone();
            }
            if let Some(h) = &home {
                fields[5] = h.clone();
            }
            if let Some(u) = uid {
                fields[2] = u.to_string();
            }
            if let Some(g) = gid {
                fields[3] = g.to_string();
            }
            return fields.join(":");
        }
        line.to_string()
    });
    Ok(0)
}

/// `adduser`: Debian's (`--system --group --disabled-password --gecos ""`) or
/// busybox's (`-D -S -G GROUP -u UID -h HOME -s SHELL -H`); `adduser USER GROUP`
/// adds an existing user to a group in both.
pub fn adduser(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let busybox = sh.is_busybox();
    let argv = if busybox {
        busybox_long_options(argv)
    } else {
        argv.to_vec()
    };
    let value_flags: &[&str] = if busybox {
        &["-G", "-u", "-h", "-s", "-g", "-k"]
    } else {
        &[
            "--gecos",
            "--home",
            "--shell",
            "--uid",
            "--gid",
            "--ingroup",
            "--firstuid",
            "--lastuid",
            "--comment",
        ]
    };
    let mut opts: Vec<(String, Option<String>)> = Vec::new();
    let mut operands = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        i += 1;
        if value_flags.contains(&a.as_str()) {
            opts.push((a.clone(), argv.get(i).cloned()));
            i += 1;
        } else if let Some((k, v)) = a.split_once('=').filter(|(k, _)| k.starts_with("--")) {
            opts.push((k.to_string(), Some(v.to_string())));
        } else if a.starts_with('-') && busybox && a.len() > 2 {
            for c in a[1..].chars() {
                opts.push((format!("-{c}"), None));
            }
        } else if a.starts_with('-') {
            opts.push((a.clone(), None));
        } else {
            operands.push(a.clone());
        }
    }
    let has = |n: &str| opts.iter().any(|(k, _)| k == n);
    let val = |n: &str| {
        opts.iter()
            .rev()
            .find(|(k, _)| k == n)
            .and_then(|(_, v)| v.clone())
    };
    let report = (!busybox && !has("--quiet") && !has("-q")).then(|| Report::of(sh));
    if operands.len() == 2 {
        let (user, group) = (&operands[0], &operands[1]);
        if users::passwd_entry(sh.fs, user).is_none() {
            sh.err(format!("adduser: The user `{user}' does not exist.\n"))?;
            return Ok(1);
        }
        if users::lookup_gid(sh.fs, group).is_none() {
            sh.err(format!("adduser: The group `{group}' does not exist.\n"))?;
            return Ok(1);
        }
        if let Some(report) = report {
            report.line(sh, &format!("Adding user `{user}' to group `{group}' ..."))?;
            report.line(sh, "Done.")?;
        }
        add_to_groups(sh, user, std::slice::from_ref(group));
        return Ok(0);
    }
    let Some(name) = operands.first().cloned().filter(|_| operands.len() == 1) else {
        sh.err(if busybox {
            "BusyBox v1.37.0 multi-call binary.\n\nUsage: adduser [OPTIONS] USER [GROUP]\n\nCreate new user, or add USER to GROUP\n"
        } else {
            "adduser: Only one or two names allowed.\n"
        })?;
        return Ok(1);
    };
    let u = if busybox {
        NewUser {
            name,
            uid: val("-u").and_then(|v| v.parse().ok()),
            group: val("-G"),
            home: val("-h"),
            // BusyBox: a system account's shell is /bin/false, and the comment
            // defaults to "Linux User,,,".
            shell: val("-s").or(Some(
                if has("-S") { "/bin/false" } else { "/bin/sh" }.to_string(),
            )),
            comment: val("-g").unwrap_or_else(|| "Linux User,,,".to_string()),
            system: has("-S"),
            create_home: !has("-H"),
            user_group: !has("-S"),
            lowest: true,
            ..NewUser::default()
        }
    } else {
        let system = has("--system");
        let home = val("--home").unwrap_or_else(|| {
            if system {
                "/nonexistent".to_string()
            } else {
                format!("/home/{name}")
            }
        });
        let never_created = report.is_some_and(|r| r.era >= Era::Bookworm) && is_nonexistent(&home);
        NewUser {
            name,
            uid: val("--uid").and_then(|v| v.parse().ok()),
            group: val("--ingroup").or_else(|| val("--gid")),
            home: Some(home),
            shell: val("--shell").or(Some(
                if system {
                    "/usr/sbin/nologin"
                } else {
                    "/bin/bash"
                }
                .to_string(),
            )),
            comment: val("--gecos")
                .or_else(|| val("--comment"))
                .unwrap_or_default(),
            system,
            create_home: !has("--no-create-home") && !system && !never_created,
            user_group: !system || has("--group"),
            lowest: true,
            ..NewUser::default()
        }
    };
    let made_group = u.user_group && u.group.is_none();
    let (name, home) = (u.name.clone(), u.home.clone().unwrap_or_default());
    let (system, no_create_home) = (u.system, has("--no-create-home"));
    let home_existed = sh.fs.stat(&home).is_ok();
    let status = create_user(sh, "adduser", u)?;
    if busybox && status == 0 {
        busybox_finish(sh, &name, val("-G").as_deref(), has("-S"), !has("-H"));
    }
    if let (0, Some(report), Some(entry)) = (status, report, users::passwd_entry(sh.fs, &name)) {
        let group = users::groups(sh.fs)
            .into_iter()
            .find(|g| g.gid == entry.gid)
            .map_or_else(|| entry.gid.to_string(), |g| g.name);
        let (uid, gid) = (entry.uid, entry.gid);
        if system {
            report.line(sh, &format!("Adding system user `{name}' (UID {uid}) ..."))?;
            if made_group {
                report.line(sh, &format!("Adding new group `{name}' (GID {gid}) ..."))?;
            }
            report.line(
                sh,
                &format!("Adding new user `{name}' (UID {uid}) with group `{group}' ..."),
            )?;
        } else {
            report.line(sh, &format!("Adding user `{name}' ..."))?;
            if made_group {
                report.line(sh, &format!("Adding new group `{name}' ({gid}) ..."))?;
            }
            let with = if report.era >= Era::Bookworm {
                format!("{group} ({gid})")
            } else {
                group
            };
            report.line(
                sh,
                &format!("Adding new user `{name}' ({uid}) with group `{with}' ..."),
            )?;
        }
        let nonexistent = is_nonexistent(&home);
        if report.era >= Era::Bookworm && nonexistent {
            report.line(sh, &format!("Not creating `{home}'."))?;
        } else if no_create_home || (system && nonexistent) {
            report.line(sh, &format!("Not creating home directory `{home}'."))?;
        } else if home_existed {
            report.line(
                sh,
                &if report.era >= Era::Bookworm {
                    format!("The home directory `{home}' already exists.  Not touching this directory.")
                } else {
                    format!("The home directory `{home}' already exists.  Not copying from `/etc/skel'.")
                },
            )?;
        } else if !system {
            report.line(sh, &format!("Creating home directory `{home}' ..."))?;
            report.line(sh, "Copying files from `/etc/skel' ...")?;
        }
    }
    Ok(if status == 0 { 0 } else { 1 })
}

/// What BusyBox's adduser does after writing the account: it runs `addgroup USER
/// GROUP`, so the user is listed as a member of the group it was given (nogroup
/// for a system account), and it gives the home directory, new or not, to the
/// user with mode 02755.
fn busybox_finish(sh: &mut Shell<'_>, name: &str, group: Option<&str>, system: bool, home: bool) {
    if let Some(group) = group.or(system.then_some("nogroup")) {
        add_to_groups(sh, name, &[group.to_string()]);
    }
    let Some(entry) = users::passwd_entry(sh.fs, name) else {
        return;
    };
    if home && sh.fs.stat(&entry.home).is_ok_and(|s| s.is_dir()) {
        let _ = sh.fs.chown(&entry.home, entry.uid, entry.gid);
        let _ = sh.fs.chmod(&entry.home, 0o2755);
    }
}

/// Debian's adduser never creates `/nonexistent` (from 3.130 on).
fn is_nonexistent(home: &str) -> bool {
    let rest = home.trim_start_matches('/');
    home.starts_with('/') && (rest == "nonexistent" || rest.starts_with("nonexistent/"))
}

/// The wording of Debian's adduser, which changed twice: 3.130 (bookworm) added
/// the group's ID to "with group" and stopped creating `/nonexistent`; 3.136
/// (trixie, Ubuntu 24.04) prefixes each line with its level, `info: `.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Era {
    /// 3.118 (bullseye, Ubuntu 22.04).
    Bullseye,
    /// 3.130 to 3.135 (bookworm's 3.134).
    Bookworm,
    /// 3.136 and later.
    Leveled,
}

/// Debian adduser's progress lines on standard output (what `--quiet` silences),
/// in the wording of the adduser the image has installed.
#[derive(Clone, Copy)]
struct Report {
    era: Era,
}

impl Report {
    fn of(sh: &Shell<'_>) -> Report {
        let minor = crate::shell::packages::installed_version(sh, "adduser").and_then(|v| {
            let rest = v.strip_prefix("3.")?;
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<u32>().ok()
        });
        let era = match minor {
            Some(m) if m < 130 => Era::Bullseye,
            Some(m) if m >= 136 => Era::Leveled,
            _ => Era::Bookworm,
        };
        Report { era }
    }

    fn line(self, sh: &mut Shell<'_>, text: &str) -> Result<(), Flow> {
        let level = if self.era == Era::Leveled {
            "info: "
        } else {
            ""
        };
        sh.out(format!("{level}{text}\n"))
    }
}

/// BusyBox's adduser also takes Debian's long options (`--disabled-password`,
/// `--gecos ""`, `--home`, `--uid`, ...): they become its short ones.
fn busybox_long_options(argv: &[String]) -> Vec<String> {
    const LONG: &[(&str, &str)] = &[
        ("--home", "-h"),
        ("--gecos", "-g"),
        ("--shell", "-s"),
        ("--ingroup", "-G"),
        ("--disabled-password", "-D"),
        ("--empty-password", "-D"),
        ("--system", "-S"),
        ("--no-create-home", "-H"),
        ("--uid", "-u"),
        ("--skel", "-k"),
    ];
    let mut out = Vec::new();
    for arg in argv {
        let (name, value) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value)),
            _ => (arg.as_str(), None),
        };
        match LONG.iter().find(|(long, _)| *long == name) {
            Some((_, short)) => {
                out.push(short.to_string());
                out.extend(value.map(str::to_string));
            }
            None => out.push(arg.clone()),
        }
    }
    out
}

/// `addgroup`: Debian (`[--system] [--gid N] NAME`) or busybox (`[-S] [-g GID] NAME`);
/// `addgroup USER GROUP` adds a user to a group.
pub fn addgroup(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = super::flags(argv, "g");
    let gid = f
        .value('g')
        .or(f.long_value("gid"))
        .and_then(|v| v.parse().ok());
    let mut operands = f.operands.clone();
    let system = f.has('S') || f.has_long("system");
    let quiet = f.has('q') || f.has_long("quiet");
    // Debian's `--gid N` arrives as a long flag without `=`; its value is an operand.
    if f.has_long("gid") && f.long_value("gid").is_none() && !operands.is_empty() {
        let v = operands.remove(0);
        return addgroup_named(sh, &operands, v.parse().ok(), system, quiet);
    }
    addgroup_named(sh, &operands, gid, system, quiet)
}

fn addgroup_named(
    sh: &mut Shell<'_>,
    operands: &[String],
    gid: Option<u32>,
    system: bool,
    quiet: bool,
) -> Exec {
    match operands {
        [user, group] => {
            if users::lookup_gid(sh.fs, group).is_none() {
                sh.err(format!("addgroup: The group `{group}' does not exist.\n"))?;
                return Ok(1);
            }
            add_to_groups(sh, user, std::slice::from_ref(group));
            Ok(0)
        }
        [name] => Ok(match add_group(sh, "addgroup", name, gid, system, true)? {
            Some(gid) => {
                if !sh.is_busybox() && !quiet {
                    let report = Report::of(sh);
                    report.line(sh, &format!("Adding group `{name}' (GID {gid}) ..."))?;
                    report.line(sh, "Done.")?;
                }
                0
            }
            None => 1,
        }),
        _ => {
            sh.err("addgroup: Only one or two names allowed.\n")?;
            Ok(1)
        }
    }
}
