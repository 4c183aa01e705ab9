//! sh pattern matching (`*`, `?`, `[...]`), shared by pathname expansion, `case`,
//! `${x#pattern}` and `find -name`.
//!
//! Quoted characters are literal, so a pattern is compiled from characters that each
//! carry a "quoted" flag. Matching is the classic two-pointer walk with one star to
//! backtrack to, so it is O(len(pattern) * len(text)) and cannot blow up on hostile
//! input.

/// A compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    Char(char),
    Any,
    Star,
    Class { negate: bool, members: Vec<Member> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Member {
    Range(char, char),
    Named(String),
}

impl Pattern {
    /// Compiles characters with their quoted flags (quoted ones are literal).
    pub fn compile(chars: &[(char, bool)]) -> Pattern {
        let mut items = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let (c, quoted) = chars[i];
            i += 1;
            if quoted {
                items.push(Item::Char(c));
                continue;
            }
            match c {
                '*' => {
                    if items.last() != Some(&Item::Star) {
                        items.push(Item::Star);
                    }
                }
                '?' => items.push(Item::Any),
                '[' => match class(chars, i) {
                    Some((item, next)) => {
                        items.push(item);
                        i = next;
                    }
                    None => items.push(Item::Char('[')),
                },
                '\\' if i < chars.len() => {
                    items.push(Item::Char(chars[i].0));
                    i += 1;
                }
                _ => items.push(Item::Char(c)),
            }
        }
        Pattern { items }
    }

    /// Compiles unquoted text (`find -name`, `case` patterns read from a command).
    pub fn parse(text: &str) -> Pattern {
        let chars: Vec<(char, bool)> = text.chars().map(|c| (c, false)).collect();
        Pattern::compile(&chars)
    }

    /// Whether the pattern has any special character (else it is a plain string).
    pub fn is_literal(&self) -> bool {
        self.items.iter().all(|i| matches!(i, Item::Char(_)))
    }

    /// Whether the pattern matches all of `text`.
    pub fn matches(&self, text: &str) -> bool {
        let t: Vec<char> = text.chars().collect();
        self.matches_chars(&t)
    }

    fn matches_chars(&self, t: &[char]) -> bool {
        let p = &self.items;
        let (mut pi, mut ti) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while ti < t.len() {
            if pi < p.len() {
                match &p[pi] {
                    Item::Star => {
                        star = Some((pi, ti));
                        pi += 1;
                        continue;
                    }
                    item if item_matches(item, t[ti]) => {
                        pi += 1;
                        ti += 1;
                        continue;
                    }
                    _ => {}
                }
            }
            match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            }
        }
        p[pi..].iter().all(|i| *i == Item::Star)
    }

    /// The length in chars of the shortest or longest prefix of `text` it matches.
    pub fn prefix_len(&self, text: &str, longest: bool) -> Option<usize> {
        let t: Vec<char> = text.chars().collect();
        let mut lens: Vec<usize> = (0..=t.len()).collect();
        if longest {
            lens.reverse();
        }
        // A prefix can only match if it ends with the pattern's last literal char:
        // checking that first keeps `${x#*/}` linear on long values.
        let last = match self.items.last() {
            Some(Item::Char(c)) => Some(*c),
            _ => None,
        };
        lens.into_iter()
            .filter(|&n| last.is_none_or(|c| n > 0 && t[n - 1] == c))
            .find(|&n| self.matches_chars(&t[..n]))
    }

    /// The length in chars of the shortest or longest suffix of `text` it matches.
    pub fn suffix_len(&self, text: &str, longest: bool) -> Option<usize> {
        let t: Vec<char> = text.chars().collect();
        let mut lens: Vec<usize> = (0..=t.len()).collect();
        if longest {
            lens.reverse();
        }
        // Likewise a suffix must start with the pattern's first literal char.
        let first = match self.items.first() {
            Some(Item::Char(c)) => Some(*c),
            _ => None,
        };
        lens.into_iter()
            .filter(|&n| first.is_none_or(|c| n > 0 && t[t.len() - n] == c))
            .find(|&n| self.matches_chars(&t[t.len() - n..]))
    }
}

fn item_matches(item: &Item, c: char) -> bool {
    match item {
        Item::Char(x) => *x == c,
        Item::Any => true,
        Item::Star => false,
        Item::Class { negate, members } => {
            let hit = members.iter().any(|m| match m {
                Member::Range(a, b) => *a <= c && c <= *b,
                Member::Named(name) => named_class(name, c),
            });
            hit != *negate
        }
    }
}

fn named_class(name: &str, c: char) -> bool {
    match name {
        "alpha" => c.is_ascii_alphabetic(),
        "digit" => c.is_ascii_digit(),
        "alnum" => c.is_ascii_alphanumeric(),
        "upper" => c.is_ascii_uppercase(),
        "lower" => c.is_ascii_lowercase(),
        "space" => c.is_ascii_whitespace(),
        "blank" => c == ' ' || c == '\t',
        "punct" => c.is_ascii_punctuation(),
        "xdigit" => c.is_ascii_hexdigit(),
        _ => false,
    }
}

/// A bracket expression starting after `[` at `start`: the item and the index after `]`.
fn class(chars: &[(char, bool)], start: usize) -> Option<(Item, usize)> {
    let mut i = start;
    let mut negate = false;
    if matches!(chars.get(i), Some(('!' | '^', false))) {
        negate = true;
        i += 1;
    }
    let mut members = Vec::new();
    let mut first = true;
    loop {
        let (c, quoted) = *chars.get(i)?;
        if c == ']' && !quoted && !first {
            return Some((Item::Class { negate, members }, i + 1));
        }
        first = false;
        if c == '[' && !quoted && matches!(chars.get(i + 1), Some((':', false))) {
            let rest: String = chars[i + 2..].iter().map(|(c, _)| *c).collect();
            if let Some(end) = rest.find(":]") {
                members.push(Member::Named(rest[..end].to_string()));
                i += 2 + rest[..end].chars().count() + 2;
                continue;
            }
        }
        if matches!(chars.get(i + 1), Some(('-', false)))
            && chars.get(i + 2).is_some_and(|(d, q)| *d != ']' || *q)
        {
            let hi = chars[i + 2].0;
            members.push(Member::Range(c, hi));
            i += 3;
        } else {
            members.push(Member::Range(c, c));
            i += 1;
        }
    }
}
