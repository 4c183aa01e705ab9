//! POSIX BRE/ERE text to a syntax tree. The dialect is the one the commands had when
//! they translated patterns for the `regex` crate, kept exactly: `^` and `$` are
//! anchors anywhere, `*` is literal at the start of a pattern, group or branch and
//! after `^`, a `?` right after a repetition makes it lazy, an ERE `{` that does not
//! start a valid interval is literal, and a bracket's `-` is a range only between
//! two characters.

/// The message for a pattern that does not parse (GNU grep's and sed's wording).
const INVALID: &str = "Invalid regular expression";
/// How deeply groups and repetitions may nest, so compiling never overflows the stack.
const NEST_LIMIT: usize = 100;

/// A set of bytes (bit `b % 64` of word `b / 64`): one step of the matcher.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteSet([u64; 4]);

impl ByteSet {
    const EMPTY: ByteSet = ByteSet([0; 4]);

    fn range(lo: u8, hi: u8) -> ByteSet {
        let mut s = ByteSet::EMPTY;
        for b in lo..=hi {
            s.add(b);
        }
        s
    }

    fn add(&mut self, b: u8) {
        self.0[usize::from(b / 64)] |= 1 << (b % 64);
    }

    fn union(&mut self, other: ByteSet) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a |= b;
        }
    }

    fn minus(mut self, other: ByteSet) -> ByteSet {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a &= !b;
        }
        self
    }

    fn negate(mut self) -> ByteSet {
        for w in &mut self.0 {
            *w = !*w;
        }
        self
    }

    /// Adds the other case of every ASCII letter in the set.
    fn fold(mut self) -> ByteSet {
        for b in b'A'..=b'Z' {
            if self.has(b) || self.has(b.to_ascii_lowercase()) {
                self.add(b);
                self.add(b.to_ascii_lowercase());
            }
        }
        self
    }

    /// Whether `b` is in the set.
    pub fn has(&self, b: u8) -> bool {
        self.0[usize::from(b / 64)] & (1 << (b % 64)) != 0
    }
}

/// A zero-width assertion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    /// `^`: the start of the text.
    Start,
    /// `$`: the end of the text.
    End,
    /// `\b`, `\<`, `\>`: a word character on one side only.
    WordBoundary,
    /// `\B`: word characters on both sides or neither.
    NotWordBoundary,
}

/// A parsed pattern. Groups are numbered from 1 in the order they open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// One byte out of a set.
    Set(ByteSet),
    /// A zero-width assertion.
    Look(Look),
    /// A group: capturing when it has a number.
    Group(Option<usize>, Box<Node>),
    /// One after another (empty: matches the empty string).
    Concat(Vec<Node>),
    /// The first alternative that leads to a match wins.
    Alt(Vec<Node>),
    /// `min` to `max` (unbounded when `None`) times, preferring more when greedy.
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        greedy: bool,
    },
}

impl Node {
    /// The bytes of `text` as they are (`grep -F`), ASCII letters folded if `icase`.
    pub fn literal(text: &[u8], icase: bool) -> Node {
        Node::Concat(text.iter().map(|b| byte(*b, icase)).collect())
    }

    /// `\b(?:self)\b` (`grep -w`).
    pub fn word(self) -> Node {
        let b = || Node::Look(Look::WordBoundary);
        Node::Concat(vec![b(), self, b()])
    }

    /// `^(?:self)$` (`grep -x`, `apt-mark`).
    pub fn whole(self) -> Node {
        Node::Concat(vec![Node::Look(Look::Start), self, Node::Look(Look::End)])
    }
}

fn byte(b: u8, icase: bool) -> Node {
    let s = ByteSet::range(b, b);
    Node::Set(if icase { s.fold() } else { s })
}

fn char_node(c: char, icase: bool) -> Node {
    let mut buf = [0u8; 4];
    match c.encode_utf8(&mut buf).as_bytes() {
        [b] => byte(*b, icase),
        bytes => Node::literal(bytes, false),
    }
}

fn set_of(ranges: &[(u8, u8)]) -> ByteSet {
    let mut s = ByteSet::EMPTY;
    for (lo, hi) in ranges {
        s.union(ByteSet::range(*lo, *hi));
    }
    s
}

const WORD: &[(u8, u8)] = &[(b'0', b'9'), (b'A', b'Z'), (b'a', b'z'), (b'_', b'_')];
const SPACE: &[(u8, u8)] = &[(b'\t', b'\r'), (b' ', b' ')];

/// The ASCII set of a `[:name:]` class.
fn named_class(name: &str) -> Option<ByteSet> {
    let ranges: &[(u8, u8)] = match name {
        "alnum" => &[(b'0', b'9'), (b'A', b'Z'), (b'a', b'z')],
        "alpha" => &[(b'A', b'Z'), (b'a', b'z')],
        "ascii" => &[(0, 0x7f)],
        "blank" => &[(b'\t', b'\t'), (b' ', b' ')],
        "cntrl" => &[(0, 0x1f), (0x7f, 0x7f)],
        "digit" => &[(b'0', b'9')],
        "graph" => &[(b'!', b'~')],
        "lower" => &[(b'a', b'z')],
        "print" => &[(b' ', b'~')],
        "punct" => &[(b'!', b'/'), (b':', b'@'), (b'[', b'`'), (b'{', b'~')],
        "space" => SPACE,
        "upper" => &[(b'A', b'Z')],
        "word" => WORD,
        "xdigit" => &[(b'0', b'9'), (b'A', b'F'), (b'a', b'f')],
        _ => return None,
    };
    Some(set_of(ranges))
}

/// Parses a POSIX regex: `extended` for ERE, else BRE; `icase` folds ASCII letters.
pub fn parse(pattern: &str, extended: bool, icase: bool) -> Result<Node, String> {
    first_error(pattern)?;
    let mut p = Parser {
        c: pattern.chars().collect(),
        i: 0,
        ere: extended,
        icase,
        groups: 0,
    };
    let (node, _) = p.alternation(0)?;
    if p.i < p.c.len() {
        // Stopped at a `)` that closes no group.
        return Err(INVALID.to_string());
    }
    Ok(node)
}

/// The errors that win over any other in the pattern, found left to right: a
/// backreference and a bracket expression that never closes.
fn first_error(pattern: &str) -> Result<(), String> {
    let c: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < c.len() {
        i += 1;
        match c[i - 1] {
            '\\' if i < c.len() => {
                if c[i].is_ascii_digit() {
                    return Err("back references are not supported".to_string());
                }
                i += 1;
            }
            '[' => {
                if c.get(i) == Some(&'^') {
                    i += 1;
                }
                let mut first = true;
                loop {
                    match c.get(i) {
                        None => return Err("Unmatched [".to_string()),
                        Some(']') if !first => break,
                        Some('[') if c.get(i + 1) == Some(&':') => {
                            let rest: String = c[i + 2..].iter().collect();
                            if let Some(end) = rest.find(":]") {
                                i += 2 + rest[..end].chars().count() + 1;
                            }
                        }
                        _ => {}
                    }
                    first = false;
                    i += 1;
                }
                i += 1;
            }
            _ => {}
        }
    }
    Ok(())
}

struct Parser {
    c: Vec<char>,
    i: usize,
    ere: bool,
    icase: bool,
    groups: usize,
}

/// One item of a bracket expression before ranges are resolved.
#[derive(Clone, Copy)]
enum ClassItem {
    Char(char),
    /// A `-` that may make a range.
    Dash,
    Named(ByteSet),
}

impl Parser {
    /// Whether the next token is `s` (ERE) or `\s` (BRE), consuming it if so.
    fn eat_op(&mut self, s: char) -> bool {
        let found = if self.ere {
            self.c.get(self.i) == Some(&s)
        } else {
            self.c.get(self.i) == Some(&'\\') && self.c.get(self.i + 1) == Some(&s)
        };
        if found {
            self.i += if self.ere { 1 } else { 2 };
        }
        found
    }

    fn at_op(&self, s: char) -> bool {
        if self.ere {
            self.c.get(self.i) == Some(&s)
        } else {
            self.c.get(self.i) == Some(&'\\') && self.c.get(self.i + 1) == Some(&s)
        }
    }

    /// Branches up to the end or a `)`, and how deeply the result nests.
    fn alternation(&mut self, depth: usize) -> Result<(Node, usize), String> {
        if depth > NEST_LIMIT {
            return Err(INVALID.to_string());
        }
        let (first, mut nest) = self.concat(depth)?;
        let mut branches = vec![first];
        while self.eat_op('|') {
            let (next, n) = self.concat(depth)?;
            branches.push(next);
            nest = nest.max(n);
        }
        Ok(if branches.len() == 1 {
            (branches.swap_remove(0), nest)
        } else {
            (Node::Alt(branches), nest + 1)
        })
    }

    /// Items up to the end, a `|` or a `)`, and how deeply the deepest one nests.
    fn concat(&mut self, depth: usize) -> Result<(Node, usize), String> {
        let mut items: Vec<(Node, usize)> = Vec::new();
        let mut at_start = true;
        while self.i < self.c.len() && !self.at_op('|') && !self.at_op(')') {
            let start = at_start;
            at_start = false;
            let c = self.c[self.i];
            self.i += 1;
            let node = match c {
                '\\' if self.i < self.c.len() => {
                    let n = self.c[self.i];
                    self.i += 1;
                    match n {
                        '(' if !self.ere => {
                            let group = self.group(depth)?;
                            items.push(group);
                            continue;
                        }
                        '{' if !self.ere => {
                            let (min, max) = self.interval()?;
                            self.repeat(&mut items, min, max)?;
                            continue;
                        }
                        '+' if !self.ere => {
                            self.repeat(&mut items, 1, None)?;
                            continue;
                        }
                        '?' if !self.ere => {
                            self.repeat(&mut items, 0, Some(1))?;
                            continue;
                        }
                        '<' | '>' | 'b' => Node::Look(Look::WordBoundary),
                        'B' => Node::Look(Look::NotWordBoundary),
                        'n' => byte(b'\n', false),
                        't' => byte(b'\t', false),
                        'w' => Node::Set(set_of(WORD)),
                        'W' => Node::Set(set_of(WORD).negate()),
                        's' => Node::Set(set_of(SPACE)),
                        'S' => Node::Set(set_of(SPACE).negate()),
                        d if d.is_ascii_digit() => {
                            return Err("back references are not supported".to_string())
                        }
                        other => char_node(other, self.icase),
                    }
                }
                '[' => Node::Set(self.bracket()?),
                '*' if start => byte(b'*', false),
                '*' => {
                    self.repeat(&mut items, 0, None)?;
                    continue;
                }
                '^' => {
                    at_start = true;
                    Node::Look(Look::Start)
                }
                '$' => Node::Look(Look::End),
                '.' => Node::Set(ByteSet::range(b'\n', b'\n').negate()),
                '(' if self.ere => {
                    let group = self.group(depth)?;
                    items.push(group);
                    continue;
                }
                '+' if self.ere => {
                    self.repeat(&mut items, 1, None)?;
                    continue;
                }
                '?' if self.ere => {
                    self.repeat(&mut items, 0, Some(1))?;
                    continue;
                }
                '{' if self.ere && self.valid_interval() => {
                    let (min, max) = self.interval()?;
                    self.repeat(&mut items, min, max)?;
                    continue;
                }
                other => char_node(other, self.icase),
            };
            items.push((node, 0));
        }
        let nest = items.iter().map(|(_, n)| *n).max().unwrap_or(0);
        Ok(if items.len() == 1 {
            (items.swap_remove(0).0, nest)
        } else {
            (
                Node::Concat(items.into_iter().map(|(n, _)| n).collect()),
                nest + 1,
            )
        })
    }

    /// A group after its `(`: the number is taken before the contents.
    fn group(&mut self, depth: usize) -> Result<(Node, usize), String> {
        self.groups += 1;
        let index = self.groups;
        let (inner, nest) = self.alternation(depth + 1)?;
        if !self.eat_op(')') {
            return Err(INVALID.to_string());
        }
        Ok((Node::Group(Some(index), Box::new(inner)), nest + 1))
    }

    /// Applies a repetition to the last item; a following `?` makes it lazy.
    fn repeat(
        &mut self,
        items: &mut Vec<(Node, usize)>,
        min: u32,
        max: Option<u32>,
    ) -> Result<(), String> {
        let (node, nest) = items.pop().ok_or_else(|| INVALID.to_string())?;
        if nest >= NEST_LIMIT {
            return Err(INVALID.to_string());
        }
        let greedy = !self.eat_op('?');
        items.push((
            Node::Repeat {
                node: Box::new(node),
                min,
                max,
                greedy,
            },
            nest + 1,
        ));
        Ok(())
    }

    /// Whether the `{` just read starts `{m}`, `{m,}` or `{m,n}`-like text (ERE).
    fn valid_interval(&self) -> bool {
        let rest: Vec<char> = self.c[self.i..]
            .iter()
            .take_while(|c| **c != '}')
            .copied()
            .collect();
        self.i + rest.len() < self.c.len()
            && rest.first().is_some_and(|c| c.is_ascii_digit())
            && rest.iter().all(|c| c.is_ascii_digit() || *c == ',')
    }

    fn number(&mut self) -> Result<u32, String> {
        let start = self.i;
        while self.c.get(self.i).is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        let digits: String = self.c[start..self.i].iter().collect();
        digits.parse().map_err(|_| INVALID.to_string())
    }

    /// The bounds after `{` (ERE) or `\{` (BRE), through the closing `}` or `\}`.
    fn interval(&mut self) -> Result<(u32, Option<u32>), String> {
        let min = self.number()?;
        let max = if self.c.get(self.i) == Some(&',') {
            self.i += 1;
            if self.at_op('}') {
                None
            } else {
                Some(self.number()?)
            }
        } else {
            Some(min)
        };
        if !self.eat_op('}') || max.is_some_and(|m| m < min) {
            return Err(INVALID.to_string());
        }
        Ok((min, max))
    }

    /// A bracket expression after its `[`, through the closing `]`.
    fn bracket(&mut self) -> Result<ByteSet, String> {
        let negate = self.c.get(self.i) == Some(&'^');
        if negate {
            self.i += 1;
        }
        let mut items = Vec::new();
        // Whether the last item was a literal `^` or `[` (a `-` after it is literal).
        let mut after_caret = negate;
        loop {
            let Some(&c) = self.c.get(self.i) else {
                return Err("Unmatched [".to_string());
            };
            if c == ']' && !items.is_empty() {
                self.i += 1;
                break;
            }
            if c == '[' && self.c.get(self.i + 1) == Some(&':') {
                let rest: String = self.c[self.i + 2..].iter().collect();
                if let Some(end) = rest.find(":]") {
                    let name = &rest[..end];
                    let set = match named_class(name) {
                        Some(set) => set,
                        // An unknown name is a set of its letters and `:` (as the
                        // `regex` crate read `[:foo:]`).
                        None if name.chars().all(|c| c.is_ascii_alphanumeric()) => {
                            let mut set = ByteSet::range(b':', b':');
                            name.bytes().for_each(|b| set.add(b));
                            set
                        }
                        None => return Err(INVALID.to_string()),
                    };
                    items.push(ClassItem::Named(set));
                    self.i += 2 + rest[..end].chars().count() + 2;
                    after_caret = false;
                    continue;
                }
            }
            let range_dash = c == '-'
                && self.c.get(self.i + 1).is_some_and(|n| *n != ']')
                && !items.is_empty()
                && !after_caret;
            items.push(if range_dash {
                ClassItem::Dash
            } else {
                ClassItem::Char(c)
            });
            after_caret = c == '^' || c == '[';
            self.i += 1;
        }
        // `--` between two items is a set difference (the `regex` crate's syntax,
        // kept so patterns match as before): `[a-z--aeiou]`.
        let mut sets = Vec::new();
        let mut set = ByteSet::EMPTY;
        let mut k = 0;
        while k < items.len() {
            let dash = |k: usize| matches!(items.get(k), Some(ClassItem::Dash));
            if dash(k) && dash(k + 1) {
                sets.push(set);
                set = ByteSet::EMPTY;
                k += 2;
                continue;
            }
            let named = matches!(items[k], ClassItem::Named(_));
            if !named && dash(k + 1) && k + 2 < items.len() && !dash(k + 2) {
                let (lo, hi) = (class_byte(items[k])?, class_byte(items[k + 2])?);
                if lo > hi {
                    return Err(INVALID.to_string());
                }
                set.union(ByteSet::range(lo, hi));
                k += 3;
                continue;
            }
            match items[k] {
                ClassItem::Named(s) => set.union(s),
                other => set.add(class_byte(other)?),
            }
            k += 1;
        }
        sets.push(set);
        let fold = |s: ByteSet| if self.icase { s.fold() } else { s };
        let mut set = fold(sets[0]);
        for other in &sets[1..] {
            set = set.minus(fold(*other));
        }
        Ok(if negate { set.negate() } else { set })
    }
}

/// The byte of a bracket item that is one character; a class cannot bound a range,
/// and a non-ASCII character has no single byte.
fn class_byte(item: ClassItem) -> Result<u8, String> {
    match item {
        ClassItem::Char(c) if c.is_ascii() => Ok(c as u8),
        ClassItem::Dash => Ok(b'-'),
        _ => Err(INVALID.to_string()),
    }
}
