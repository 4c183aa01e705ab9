//! The Dockerfile excerpt BuildKit prints above a failed build's last line
//! (`Dockerfile:12`, the failing instruction's lines marked `>>>` between a few
//! lines of context), so the reader sees where the build stopped without
//! counting lines. Same padding rules as BuildKit's error source printer.

/// The excerpt of `source` around the 1-based lines `first..=last`; nothing when
/// `first` is not a line of `source`.
pub fn excerpt(path: &str, source: &str, (first, last): (usize, usize)) -> Vec<String> {
    let lines: Vec<&str> = source.split('\n').collect();
    if first == 0 || first > lines.len() {
        return Vec::new();
    }
    let marked = first..=last.max(first);
    let mut start = first;
    let mut end = last.max(first).min(lines.len());
    // One line gets more context than an instruction that spans several.
    let pad = if end == first { 4 } else { 2 };
    let mut padded = 0;
    while padded < pad {
        if start > 1 {
            start -= 1;
            padded += 1;
        }
        if end != lines.len() {
            end += 1;
            padded += 1;
        }
        padded += 1;
    }
    let rule = "-".repeat(20);
    let mut out = vec![format!("{path}:{first}"), rule.clone()];
    for (number, line) in lines.iter().enumerate().take(end).skip(start - 1) {
        let number = number + 1;
        let marker = if marked.contains(&number) {
            ">>>"
        } else {
            "   "
        };
        out.push(format!(" {number:>3} | {marker} {line}"));
    }
    out.push(rule);
    out
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn one_line_gets_two_lines_of_context_each_side() {
        let source =
            "FROM alpine\nWORKDIR /app\nCOPY . .\nRUN exit 1\nCMD [\"sh\"]\nUSER app\nLABEL a=b\n";
        assert_eq!(
            excerpt("Dockerfile", source, (4, 4)),
            [
                "Dockerfile:4",
                "--------------------",
                "   2 |     WORKDIR /app",
                "   3 |     COPY . .",
                "   4 | >>> RUN exit 1",
                "   5 |     CMD [\"sh\"]",
                "   6 |     USER app",
                "--------------------",
            ]
        );
    }

    #[test]
    fn the_ends_of_the_file_give_their_share_to_the_other_side() {
        // BuildKit splits on "\n", so a final newline leaves an empty last line.
        let source = "FROM alpine\nRUN exit 1\n";
        assert_eq!(
            excerpt("Dockerfile", source, (2, 2)),
            [
                "Dockerfile:2",
                "--------------------",
                "   1 |     FROM alpine",
                "   2 | >>> RUN exit 1",
                "   3 |     ",
                "--------------------",
            ]
        );
    }

    #[test]
    fn a_continued_instruction_is_marked_whole_with_one_line_around() {
        let source = "FROM alpine\nRUN a && \\\n    b\nCMD x\nUSER y\n";
        assert_eq!(
            excerpt("df/Dockerfile.dev", source, (2, 3)),
            [
                "df/Dockerfile.dev:2",
                "--------------------",
                "   1 |     FROM alpine",
                "   2 | >>> RUN a && \\",
                "   3 | >>>     b",
                "   4 |     CMD x",
                "--------------------",
            ]
        );
        assert!(excerpt("Dockerfile", source, (9, 9)).is_empty());
    }
}
