//! Users and groups as the image defines them in `/etc/passwd` and `/etc/group`,
//! for `USER`, `chown`, `id`, `whoami`, `~user` and the `useradd` family.

use crate::vfs::Vfs;

/// One line of `/etc/passwd`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswdEntry {
    /// Login name.
    pub name: String,
    /// Numeric user id.
    pub uid: u32,
    /// Primary group id.
    pub gid: u32,
    /// Home directory.
    pub home: String,
    /// Login shell.
    pub shell: String,
}

/// One line of `/etc/group`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupEntry {
    /// Group name.
    pub name: String,
    /// Numeric group id.
    pub gid: u32,
    /// Supplementary members.
    pub members: Vec<String>,
}

fn lines(fs: &Vfs, path: &str) -> Vec<String> {
    fs.read_file(path)
        .map(|b| {
            String::from_utf8_lossy(&b.bytes())
                .lines()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Every entry of `/etc/passwd`, in file order.
pub fn passwd(fs: &Vfs) -> Vec<PasswdEntry> {
    lines(fs, "/etc/passwd")
        .iter()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 7 {
                return None;
            }
            Some(PasswdEntry {
                name: f[0].to_string(),
                uid: f[2].parse().ok()?,
                gid: f[3].parse().ok()?,
                home: f[5].to_string(),
                shell: f[6].to_string(),
            })
        })
        .collect()
}

/// Every entry of `/etc/group`, in file order.
pub fn groups(fs: &Vfs) -> Vec<GroupEntry> {
    lines(fs, "/etc/group")
        .iter()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 3 {
                return None;
            }
            Some(GroupEntry {
                name: f[0].to_string(),
                gid: f[2].parse().ok()?,
                members: f
                    .get(3)
                    .map(|m| {
                        m.split(',')
                            .filter(|s| !s.is_empty())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// The passwd entry named `name`.
pub fn passwd_entry(fs: &Vfs, name: &str) -> Option<PasswdEntry> {
    passwd(fs).into_iter().find(|e| e.name == name)
}

/// The name of user `uid`, if the image has one.
pub fn user_name(fs: &Vfs, uid: u32) -> Option<String> {
    passwd(fs)
        .into_iter()
        .find(|e| e.uid == uid)
        .map(|e| e.name)
}

/// The name of group `gid`, if the image has one.
pub fn group_name(fs: &Vfs, gid: u32) -> Option<String> {
    groups(fs)
        .into_iter()
        .find(|e| e.gid == gid)
        .map(|e| e.name)
}

/// A user given as a name or a number.
pub fn lookup_uid(fs: &Vfs, user: &str) -> Option<u32> {
    user.parse()
        .ok()
        .or_else(|| passwd_entry(fs, user).map(|e| e.uid))
}

/// A group given as a name or a number.
pub fn lookup_gid(fs: &Vfs, group: &str) -> Option<u32> {
    group.parse().ok().or_else(|| {
        groups(fs)
            .into_iter()
            .find(|e| e.name == group)
            .map(|e| e.gid)
    })
}

/// Resolves Docker's `USER user[:group]` to ids as the runtime does: a name must be
/// in `/etc/passwd` (its primary group is the default), a number need not be.
pub fn resolve_user(fs: &Vfs, spec: &str) -> Result<(u32, u32), String> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let (uid, primary) = match user.parse::<u32>() {
        Ok(uid) => (
            uid,
            passwd(fs)
                .into_iter()
                .find(|e| e.uid == uid)
                .map_or(0, |e| e.gid),
        ),
        Err(_) => match passwd_entry(fs, user) {
            Some(e) => (e.uid, e.gid),
            None => {
                return Err(format!(
                    "unable to find user {user}: no matching entries in passwd file"
                ))
            }
        },
    };
    let gid = match group {
        None => primary,
        Some(g) => lookup_gid(fs, g).ok_or_else(|| {
            format!("unable to find group {g}: no matching entries in group file")
        })?,
    };
    Ok((uid, gid))
}
