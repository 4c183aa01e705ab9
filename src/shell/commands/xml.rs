//! A small XML reader for the documents simulated build tools read (Maven's
//! pom.xml): elements, text, comments, CDATA, processing instructions and the
//! predefined entities. Attributes are checked but not kept (a POM's are only
//! namespaces); no DTDs. A mistake is reported with its line and column, in the
//! words of Maven's parser.

/// One element: its name, text (the concatenated character data
/// directly inside it, trimmed) and child elements, with the line it starts on.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Element {
    /// The tag name (`dependency`).
    pub name: String,
    /// Character data directly inside, trimmed.
    pub text: String,
    /// Child elements in order.
    pub children: Vec<Element>,
    /// The 1-based line of its start tag.
    pub line: usize,
}

impl Element {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of the first child named `name` (`None` when absent or empty).
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.as_str())
            .filter(|t| !t.is_empty())
    }

    /// The children named `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// A syntax error: what is wrong and where (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlError {
    /// What is wrong, in the words of Maven's XML parser.
    pub message: String,
    /// Line of the mistake.
    pub line: usize,
    /// Column of the mistake.
    pub column: usize,
}

/// How deep elements may nest (a POM nests about six).
const MAX_DEPTH: usize = 200;

/// Parses a whole document into its root element.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        line_no: 1,
        line_at: 0,
    };
    p.misc()?;
    if p.i >= p.s.len() {
        return Err(p.error("no root element found"));
    }
    let root = p.element(0)?;
    p.misc()?;
    if p.i < p.s.len() {
        return Err(p.error("only whitespace content allowed after end tag of the root element"));
    }
    Ok(root)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    /// The line of `line_at`, counted forward as parsing goes (never rescanned).
    line_no: usize,
    line_at: usize,
}

impl Parser<'_> {
    fn error(&self, message: impl Into<String>) -> XmlError {
        let before = &self.s[..self.i.min(self.s.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        XmlError {
            message: message.into(),
            line,
            column,
        }
    }

    /// The 1-based line of the current position.
    fn line(&mut self) -> usize {
        let from = self.line_at.min(self.i);
        self.line_no += self.s[from..self.i].iter().filter(|&&b| b == b'\n').count();
        self.line_at = self.i;
        self.line_no
    }

    fn starts(&self, prefix: &str) -> bool {
        self.s[self.i..].starts_with(prefix.as_bytes())
    }

    /// Skips past `end`, or fails with `what` at the end of the input.
    fn skip_past(&mut self, end: &str, what: &str) -> Result<(), XmlError> {
        match self.s[self.i..]
            .windows(end.len())
            .position(|w| w == end.as_bytes())
        {
            Some(k) => {
                self.i += k + end.len();
                Ok(())
            }
            None => {
                self.i = self.s.len();
                Err(self.error(format!("{what} started but not closed")))
            }
        }
    }

    /// Whitespace, comments, processing instructions and a doctype.
    fn misc(&mut self) -> Result<(), XmlError> {
        loop {
            while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
            if self.starts("<!--") {
                self.skip_past("-->", "comment")?;
            } else if self.starts("<?") {
                self.skip_past("?>", "processing instruction")?;
            } else if self.starts("<!DOCTYPE") {
                self.skip_past(">", "doctype")?;
            } else if self.i < self.s.len() && self.s[self.i] != b'<' {
                return Err(self.error("only whitespace content allowed before start tag"));
            } else {
                return Ok(());
            }
        }
    }

    fn name(&mut self) -> Result<String, XmlError> {
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || b"_-.:".contains(&self.s[self.i]))
        {
            self.i += 1;
        }
        if start == self.i {
            return Err(self.error("name expected"));
        }
        Ok(String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }

    fn spaces(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    /// An element starting at `<`.
    fn element(&mut self, depth: usize) -> Result<Element, XmlError> {
        // Deeper than any real document: refused before the stack runs out.
        if depth > MAX_DEPTH {
            return Err(self.error(format!("elements nested more than {MAX_DEPTH} deep")));
        }
        let line = self.line();
        self.i += 1;
        let name = self.name()?;
        let mut el = Element {
            name,
            line,
            ..Element::default()
        };
        loop {
            self.spaces();
            match self.s.get(self.i) {
                Some(b'/') if self.s.get(self.i + 1) == Some(&b'>') => {
                    self.i += 2;
                    return Ok(el);
                }
                Some(b'>') => {
                    self.i += 1;
                    break;
                }
                Some(_) => {
                    let key = self.name()?;
                    self.spaces();
                    if self.s.get(self.i) != Some(&b'=') {
                        return Err(self.error(format!(
                            "expected = after attribute name {key} in element {}",
                            el.name
                        )));
                    }
                    self.i += 1;
                    self.spaces();
                    let quote = match self.s.get(self.i) {
                        Some(&q @ (b'"' | b'\'')) => q,
                        _ => {
                            return Err(self
                                .error("attribute value must start with quotation or apostrophe"))
                        }
                    };
                    self.i += 1;
                    let start = self.i;
                    while self.i < self.s.len() && self.s[self.i] != quote {
                        self.i += 1;
                    }
                    if self.i >= self.s.len() {
                        return Err(self.error(format!("attribute value of {key} not closed")));
                    }
                    self.text(start, self.i)?;
                    self.i += 1;
                }
                None => {
                    return Err(self.error(format!(
                        "unexpected end of input in start tag <{}>",
                        el.name
                    )))
                }
            }
        }
        let mut text = String::new();
        loop {
            let start = self.i;
            while self.i < self.s.len() && self.s[self.i] != b'<' {
                self.i += 1;
            }
            text.push_str(&self.text(start, self.i)?);
            if self.i >= self.s.len() {
                return Err(self.error(format!(
                    "expected end tag </{}> for start tag <{}> from line {line}",
                    el.name, el.name
                )));
            }
            if self.starts("</") {
                self.i += 2;
                let end = self.name()?;
                if end != el.name {
                    return Err(self.error(format!(
                        "end tag name </{end}> must match start tag name <{}> from line {line}",
                        el.name
                    )));
                }
                self.spaces();
                if self.s.get(self.i) != Some(&b'>') {
                    return Err(self.error(format!("expected > to finish end tag </{end}>")));
                }
                self.i += 1;
                el.text = text.trim().to_string();
                return Ok(el);
            } else if self.starts("<!--") {
                self.skip_past("-->", "comment")?;
            } else if self.starts("<![CDATA[") {
                self.i += 9;
                let start = self.i;
                self.skip_past("]]>", "CDATA section")?;
                text.push_str(&String::from_utf8_lossy(&self.s[start..self.i - 3]));
            } else if self.starts("<?") {
                self.skip_past("?>", "processing instruction")?;
            } else {
                el.children.push(self.element(depth + 1)?);
            }
        }
    }

    /// Character data of `start..end` with its entity references replaced.
    fn text(&self, start: usize, end: usize) -> Result<String, XmlError> {
        let raw = String::from_utf8_lossy(&self.s[start..end]);
        if !raw.contains('&') {
            return Ok(raw.into_owned());
        }
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw.as_ref();
        while let Some(k) = rest.find('&') {
            out.push_str(&rest[..k]);
            let after = &rest[k + 1..];
            let Some(semi) = after.find(';') else {
                let at = Parser {
                    s: self.s,
                    i: start + (raw.len() - rest.len()) + k,
                    line_no: 1,
                    line_at: 0,
                };
                return Err(at.error("entity reference must end with ';'"));
            };
            let name = &after[..semi];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            let Some(c) = c else {
                let at = Parser {
                    s: self.s,
                    i: start + (raw.len() - rest.len()) + k,
                    line_no: 1,
                    line_at: 0,
                };
                return Err(at.error(format!("entity '{name}' was not declared")));
            };
            out.push(c);
            rest = &after[semi + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}
