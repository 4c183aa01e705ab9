//! `test` and `[`: file tests, string and integer comparisons, `!`, `-a`, `-o`, `( )`.

use super::super::exec::{Exec, Flow, Shell};

/// Runs `test ARGS` or `[ ARGS ]`: 0 true, 1 false, 2 on a usage error.
pub fn test(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let name = super::super::exec::base_name(&argv[0]).to_string();
    let mut args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    if name == "[" {
        if args.last() != Some(&"]") {
            sh.shell_error("[: missing ]")?;
            return Ok(2);
        }
        args.pop();
    }
    let mut t = Test {
        sh,
        args,
        pos: 0,
        name,
        depth: 0,
    };
    if t.args.is_empty() {
        return Ok(1);
    }
    match t.or() {
        Ok(v) if t.pos == t.args.len() => Ok(i32::from(!v)),
        Ok(_) => {
            let extra = t.args[t.pos].to_string();
            let name = t.name.clone();
            t.sh.shell_error(&format!("{name}: {extra}: unexpected operator"))?;
            Ok(2)
        }
        Err(TestError::Flow(f)) => Err(f),
        Err(TestError::Usage(msg)) => {
            let name = t.name.clone();
            t.sh.shell_error(&format!("{name}: {msg}"))?;
            Ok(2)
        }
    }
}

enum TestError {
    Usage(String),
    Flow(Flow),
}

struct Test<'s, 'a> {
    sh: &'s mut Shell<'a>,
    args: Vec<&'s str>,
    pos: usize,
    name: String,
    depth: u32,
}

const UNARY: &[&str] = &[
    "-e", "-f", "-d", "-h", "-L", "-s", "-x", "-r", "-w", "-n", "-z", "-b", "-c", "-p", "-S", "-g",
    "-u", "-k", "-O", "-G",
];
const BINARY: &[&str] = &[
    "=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", "<", ">",
];

impl Test<'_, '_> {
    fn remaining(&self) -> usize {
        self.args.len() - self.pos
    }

    fn or(&mut self) -> Result<bool, TestError> {
        let mut v = self.and()?;
        while self.args.get(self.pos) == Some(&"-o") {
            self.pos += 1;
            let r = self.and()?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self) -> Result<bool, TestError> {
        let mut v = self.not()?;
        while self.args.get(self.pos) == Some(&"-a") {
            self.pos += 1;
            let r = self.not()?;
            v = v && r;
        }
        Ok(v)
    }

    fn not(&mut self) -> Result<bool, TestError> {
        self.depth += 1;
        if self.depth > 500 {
            return Err(TestError::Usage("expression too complex".to_string()));
        }
        let r = if self.args.get(self.pos) == Some(&"!") && self.remaining() > 1 {
            self.pos += 1;
            self.not().map(|v| !v)
        } else {
            self.primary()
        };
        self.depth -= 1;
        r
    }

    fn primary(&mut self) -> Result<bool, TestError> {
        let Some(&a) = self.args.get(self.pos) else {
            let last = self.args.last().copied().unwrap_or("");
            return Err(TestError::Usage(format!("{last}: argument expected")));
        };
        if self.remaining() >= 3 && BINARY.contains(&self.args[self.pos + 1]) {
            let (l, op, r) = (a, self.args[self.pos + 1], self.args[self.pos + 2]);
            self.pos += 3;
            return self.binary(l, op, r);
        }
        if a == "(" && self.remaining() >= 2 {
            self.pos += 1;
            let v = self.or()?;
            if self.args.get(self.pos) != Some(&")") {
                return Err(TestError::Usage("closing paren expected".to_string()));
            }
            self.pos += 1;
            return Ok(v);
        }
        if UNARY.contains(&a) && self.remaining() >= 2 {
            let operand = self.args[self.pos + 1];
            self.pos += 2;
            return Ok(self.unary(a, operand));
        }
        if self.remaining() == 2 && BINARY.contains(&self.args[self.pos + 1]) {
            return Err(TestError::Usage(format!(
                "{}: argument expected",
                self.args[self.pos + 1]
            )));
        }
        self.pos += 1;
        Ok(!a.is_empty())
    }

    fn unary(&mut self, op: &str, operand: &str) -> bool {
        let path = self.sh.abs(operand);
        let fs = &*self.sh.fs;
        match op {
            "-n" => !operand.is_empty(),
            "-z" => operand.is_empty(),
            "-h" | "-L" => fs
                .lstat(&path)
                .is_ok_and(|s| matches!(s.kind, crate::vfs::Kind::Symlink(_))),
            _ => {
                if operand.is_empty() {
                    return false;
                }
                let Ok(st) = fs.stat(&path) else { return false };
                let mode = st.meta.mode;
                let uid = self.sh.ctx.uid;
                match op {
                    "-e" => true,
                    "-f" => matches!(st.kind, crate::vfs::Kind::File(_)),
                    "-d" => st.is_dir(),
                    "-s" => st.size() > 0,
                    "-x" => mode & 0o111 != 0 || (uid == 0 && st.is_dir()),
                    "-r" | "-w" => uid == 0 || mode & 0o666 != 0,
                    "-b" => matches!(st.kind, crate::vfs::Kind::BlockDevice { .. }),
                    "-c" => matches!(st.kind, crate::vfs::Kind::CharDevice { .. }),
                    "-p" => st.kind == crate::vfs::Kind::Fifo,
                    "-g" => mode & 0o2000 != 0,
                    "-u" => mode & 0o4000 != 0,
                    "-k" => mode & 0o1000 != 0,
                    "-O" => st.meta.uid == uid,
                    "-G" => st.meta.gid == self.sh.ctx.gid,
                    _ => false,
                }
            }
        }
    }

    fn binary(&mut self, l: &str, op: &str, r: &str) -> Result<bool, TestError> {
        let num = |s: &str| -> Result<i64, TestError> {
            s.trim()
                .parse::<i64>()
                .map_err(|_| TestError::Usage(format!("Illegal number: {s}")))
        };
        Ok(match op {
            "=" | "==" => l == r,
            "!=" => l != r,
            "<" => l < r,
            ">" => l > r,
            "-eq" => num(l)? == num(r)?,
            "-ne" => num(l)? != num(r)?,
            "-lt" => num(l)? < num(r)?,
            "-le" => num(l)? <= num(r)?,
            "-gt" => num(l)? > num(r)?,
            "-ge" => num(l)? >= num(r)?,
            _ => {
                let a = self.sh.fs.stat(&self.sh.abs(l)).ok();
                let b = self.sh.fs.stat(&self.sh.abs(r)).ok();
                match (op, a, b) {
                    ("-nt", Some(a), Some(b)) => a.meta.mtime > b.meta.mtime,
                    ("-nt", Some(_), None) => true,
                    ("-ot", Some(a), Some(b)) => a.meta.mtime < b.meta.mtime,
                    ("-ot", None, Some(_)) => true,
                    ("-ef", Some(_), Some(_)) => {
                        self.sh.fs.canonicalize(&self.sh.abs(l)).ok()
                            == self.sh.fs.canonicalize(&self.sh.abs(r)).ok()
                    }
                    _ => false,
                }
            }
        })
    }
}

impl From<Flow> for TestError {
    fn from(f: Flow) -> TestError {
        TestError::Flow(f)
    }
}
