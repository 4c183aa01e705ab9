//! A `Node` compiled to a Thompson NFA and run as a Pike VM: all threads advance
//! together over the text, one per program position, in priority order, so a search
//! costs at most (program size x text length) steps whatever the pattern, and the
//! first thread to reach `Match` is the leftmost-first match with its groups.
//!
//! `x*` compiles as `(x+)?` (as the `regex` crate does) so an `x` that can match
//! the empty string keeps the preference for one more iteration.

use super::parse::{ByteSet, Look, Node};

/// The most instructions a pattern may compile to (`x{1000}{1000}` is refused).
const MAX_INSTS: usize = 100_000;

#[derive(Clone, Debug)]
enum Inst {
    /// Consume one byte of the set.
    Set(ByteSet),
    /// Try the first target, then the second.
    Split(u32, u32),
    Jmp(u32),
    /// Record the position in a group slot (`2g` start, `2g + 1` end).
    Save(u32),
    Look(Look),
    Match,
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub struct Regex {
    prog: Vec<Inst>,
    slots: usize,
}

/// The positions of a match and of its groups (group 0 is the whole match).
pub struct Captures {
    slots: Vec<Option<usize>>,
}

impl Captures {
    /// The byte range of group `g`, if it took part in the match.
    pub fn get(&self, g: usize) -> Option<(usize, usize)> {
        Some((
            *self.slots.get(2 * g)?.as_ref()?,
            *self.slots.get(2 * g + 1)?.as_ref()?,
        ))
    }
}

impl Regex {
    /// Compiles a parsed pattern; refuses one of more than `MAX_INSTS` steps.
    pub fn new(node: &Node) -> Result<Regex, String> {
        let mut c = Compiler {
            prog: Vec::new(),
            groups: 0,
        };
        c.push(Inst::Save(0))?;
        c.node(node)?;
        c.push(Inst::Save(1))?;
        c.push(Inst::Match)?;
        Ok(Regex {
            prog: c.prog,
            slots: 2 * (c.groups + 1),
        })
    }

    /// Whether the pattern matches anywhere in `hay`.
    pub fn is_match(&self, hay: &[u8]) -> bool {
        Vm::new(self, hay).search(0, true).is_some()
    }

    /// The leftmost match starting at or after `at`, as `(start, end)`.
    pub fn find_at(&self, hay: &[u8], at: usize) -> Option<(usize, usize)> {
        let slots = Vm::new(self, hay).search(at, false)?;
        Some((slots[0]?, slots[1]?))
    }

    /// The successive non-overlapping matches, left to right; an empty match right
    /// where the previous match ended is skipped (so `s/x*/-/g` on `abc` gives
    /// `-a-b-c-`).
    pub fn captures_iter<'r, 'h>(&'r self, hay: &'h [u8]) -> CapturesIter<'r, 'h> {
        CapturesIter {
            vm: Vm::new(self, hay),
            start: 0,
            last_end: None,
        }
    }
}

struct Compiler {
    prog: Vec<Inst>,
    groups: usize,
}

impl Compiler {
    fn push(&mut self, inst: Inst) -> Result<usize, String> {
        if self.prog.len() >= MAX_INSTS {
            return Err("regular expression too big".to_string());
        }
        self.prog.push(inst);
        Ok(self.prog.len() - 1)
    }

    fn here(&self) -> u32 {
        self.prog.len() as u32
    }

    /// A split at `at` between `next` (preferred when greedy) and `other`.
    fn split(&mut self, at: usize, next: u32, other: u32, greedy: bool) {
        self.prog[at] = if greedy {
            Inst::Split(next, other)
        } else {
            Inst::Split(other, next)
        };
    }

    fn node(&mut self, node: &Node) -> Result<(), String> {
        match node {
            Node::Set(s) => {
                self.push(Inst::Set(*s))?;
            }
            Node::Look(l) => {
                self.push(Inst::Look(*l))?;
            }
            Node::Group(None, inner) => self.node(inner)?,
            Node::Group(Some(g), inner) => {
                self.groups = self.groups.max(*g);
                self.push(Inst::Save(2 * *g as u32))?;
                self.node(inner)?;
                self.push(Inst::Save(2 * *g as u32 + 1))?;
            }
            Node::Concat(items) => {
                for n in items {
                    self.node(n)?;
                }
            }
            Node::Alt(branches) => {
                let mut jumps = Vec::new();
                for (k, b) in branches.iter().enumerate() {
                    if k + 1 == branches.len() {
                        self.node(b)?;
                        break;
                    }
                    let split = self.push(Inst::Match)?;
                    self.node(b)?;
                    jumps.push(self.push(Inst::Match)?);
                    let next = self.here();
                    self.split(split, split as u32 + 1, next, true);
                }
                let end = self.here();
                for j in jumps {
                    self.prog[j] = Inst::Jmp(end);
                }
            }
            Node::Repeat {
                node,
                min,
                max,
                greedy,
            } => {
                if max.is_none() && *min > 0 {
                    // x{n,}: n - 1 copies, then x looping back to its own start, so
                    // an empty iteration after a real one is cut off.
                    for _ in 1..*min {
                        self.node(node)?;
                    }
                    let body = self.here();
                    self.node(node)?;
                    let again = self.push(Inst::Match)?;
                    let end = self.here();
                    self.split(again, body, end, *greedy);
                    return Ok(());
                }
                for _ in 0..*min {
                    self.node(node)?;
                }
                match max {
                    None => {
                        // (x+)?: enter once or skip, then loop back or leave.
                        let enter = self.push(Inst::Match)?;
                        self.node(node)?;
                        let again = self.push(Inst::Match)?;
                        let end = self.here();
                        let body = enter as u32 + 1;
                        self.split(enter, body, end, *greedy);
                        self.split(again, body, end, *greedy);
                    }
                    Some(max) => {
                        let mut optional = Vec::new();
                        for _ in *min..*max {
                            optional.push(self.push(Inst::Match)?);
                            self.node(node)?;
                        }
                        let end = self.here();
                        for at in optional {
                            self.split(at, at as u32 + 1, end, *greedy);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

fn is_word(hay: &[u8], at: Option<usize>) -> bool {
    at.and_then(|i| hay.get(i))
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
}

fn holds(look: Look, hay: &[u8], at: usize) -> bool {
    match look {
        Look::Start => at == 0,
        Look::End => at == hay.len(),
        Look::WordBoundary => is_word(hay, at.checked_sub(1)) != is_word(hay, Some(at)),
        Look::NotWordBoundary => is_word(hay, at.checked_sub(1)) == is_word(hay, Some(at)),
    }
}

/// The threads at one text position: a sparse set of program positions, in priority
/// order, each with the group slots it carries.
struct Threads {
    dense: Vec<u32>,
    sparse: Vec<u32>,
    slots: Vec<Option<usize>>,
}

impl Threads {
    fn new(insts: usize, slots: usize) -> Threads {
        Threads {
            dense: Vec::with_capacity(insts),
            sparse: vec![0; insts],
            slots: vec![None; insts * slots],
        }
    }

    /// Adds `pc`; false if it was there already.
    fn insert(&mut self, pc: u32) -> bool {
        let s = self.sparse[pc as usize] as usize;
        if s < self.dense.len() && self.dense[s] == pc {
            return false;
        }
        self.sparse[pc as usize] = self.dense.len() as u32;
        self.dense.push(pc);
        true
    }
}

enum Frame {
    Explore(u32),
    Restore(usize, Option<usize>),
}

struct Vm<'r, 'h> {
    re: &'r Regex,
    hay: &'h [u8],
    current: Threads,
    next: Threads,
    stack: Vec<Frame>,
    scratch: Vec<Option<usize>>,
}

impl<'r, 'h> Vm<'r, 'h> {
    fn new(re: &'r Regex, hay: &'h [u8]) -> Self {
        Vm {
            re,
            hay,
            current: Threads::new(re.prog.len(), re.slots),
            next: Threads::new(re.prog.len(), re.slots),
            stack: Vec::new(),
            scratch: vec![None; re.slots],
        }
    }

    /// The leftmost-first match starting at or after `start` (the text before it
    /// still counts for `^` and `\b`); with `earliest`, any match, found soonest.
    fn search(&mut self, start: usize, earliest: bool) -> Option<Vec<Option<usize>>> {
        let n = self.re.slots;
        // A pattern that begins with `^` can only start at 0.
        let anchored = matches!(self.re.prog.get(1), Some(Inst::Look(Look::Start)));
        self.current.dense.clear();
        let mut found = None;
        for at in start..=self.hay.len() {
            if found.is_none() && (at == 0 || !anchored) {
                self.scratch.fill(None);
                self.add(true, 0, at);
            }
            if self.current.dense.is_empty() && (found.is_some() || anchored) {
                break;
            }
            self.next.dense.clear();
            let re = self.re;
            for k in 0..self.current.dense.len() {
                let pc = self.current.dense[k] as usize;
                let caps = &self.current.slots[pc * n..(pc + 1) * n];
                match &re.prog[pc] {
                    Inst::Set(s) if self.hay.get(at).is_some_and(|b| s.has(*b)) => {
                        self.scratch.copy_from_slice(caps);
                        self.add(false, pc as u32 + 1, at + 1);
                    }
                    Inst::Match => {
                        found = Some(caps.to_vec());
                        if earliest {
                            return found;
                        }
                        break;
                    }
                    _ => {}
                }
            }
            std::mem::swap(&mut self.current, &mut self.next);
        }
        found
    }

    /// Adds `pc` and every position reachable from it without consuming a byte at
    /// `at` to the current (or next) threads, carrying `scratch` as the groups.
    fn add(&mut self, current: bool, pc: u32, at: usize) {
        let (re, n, hay) = (self.re, self.re.slots, self.hay);
        let list = if current {
            &mut self.current
        } else {
            &mut self.next
        };
        self.stack.push(Frame::Explore(pc));
        while let Some(frame) = self.stack.pop() {
            let mut pc = match frame {
                Frame::Restore(slot, v) => {
                    self.scratch[slot] = v;
                    continue;
                }
                Frame::Explore(pc) => pc,
            };
            while list.insert(pc) {
                match &re.prog[pc as usize] {
                    Inst::Set(_) | Inst::Match => {
                        let p = pc as usize;
                        list.slots[p * n..(p + 1) * n].copy_from_slice(&self.scratch);
                        break;
                    }
                    Inst::Jmp(t) => pc = *t,
                    Inst::Split(a, b) => {
                        self.stack.push(Frame::Explore(*b));
                        pc = *a;
                    }
                    Inst::Save(s) => {
                        let s = *s as usize;
                        self.stack.push(Frame::Restore(s, self.scratch[s]));
                        self.scratch[s] = Some(at);
                        pc += 1;
                    }
                    Inst::Look(l) => {
                        if !holds(*l, hay, at) {
                            break;
                        }
                        pc += 1;
                    }
                }
            }
        }
    }
}

/// The iterator of `Regex::captures_iter`.
pub struct CapturesIter<'r, 'h> {
    vm: Vm<'r, 'h>,
    start: usize,
    last_end: Option<usize>,
}

impl Iterator for CapturesIter<'_, '_> {
    type Item = Captures;

    fn next(&mut self) -> Option<Captures> {
        let mut slots = self.vm.search(self.start, false)?;
        if slots[0] == slots[1] && slots[1] == self.last_end {
            self.start += 1;
            slots = self.vm.search(self.start, false)?;
        }
        let end = slots[1]?;
        self.start = end;
        self.last_end = Some(end);
        Some(Captures { slots })
    }
}
