//! Cuts a manifest file into its YAML documents before parsing.
//!
//! Each document is parsed on its own so that a syntax error loses only the document it is in:
//! the documents before and after it still load. Cutting on marker lines is exact, not a
//! heuristic: YAML forbids a line that starts with `---` or `...` (followed by a space or the
//! end of the line) anywhere inside a scalar, so such a line always is a document marker.

/// One YAML document of a manifest file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Chunk<'t> {
    /// What the YAML parser reads: the document with its `---`/`...` markers and any directives,
    /// so the parser sees the document exactly as the file has it.
    pub yaml: &'t str,
    /// Lines of the file before `yaml`: the parser counts lines from the start of `yaml`.
    pub lines_before: usize,
    /// The document as shown to users: without the `---` line in front and the `...` line after
    /// it, and without blank lines around it.
    pub manifest: &'t str,
}

/// The document being cut: where it starts, and what it holds so far.
struct Open {
    start: usize,
    start_line: usize,
    body_start: usize,
    has_marker: bool,
    has_content: bool,
}

impl Open {
    fn at(start: usize, start_line: usize) -> Self {
        Self { start, start_line, body_start: start, has_marker: false, has_content: false }
    }
}

/// Splits `text` into documents. Stretches holding only comments or blank lines come out as
/// chunks too; they parse to nothing.
pub(crate) fn documents(text: &str) -> Vec<Chunk<'_>> {
    let mut chunks = Vec::new();
    let mut open = Open::at(0, 0);
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let line_end = offset + line.len();
        if let Some(after) = marker(line, "---") {
            // A `---` starts a new document, unless the current one has only comments and
            // directives so far: those belong to the document this `---` opens.
            if open.has_marker || open.has_content {
                chunks.push(chunk(text, &open, offset, offset));
                open = Open::at(offset, index);
            }
            open.has_marker = true;
            // Content may follow the marker on the same line (`--- {a: 1}`); keep it.
            if is_content(after) {
                open.has_content = true;
                open.body_start = line_end - after.trim_start().len();
            } else {
                open.body_start = line_end;
            }
        } else if marker(line, "...").is_some() {
            // The end marker belongs to its document; whatever follows is another one.
            chunks.push(chunk(text, &open, offset, line_end));
            open = Open::at(line_end, index + 1);
        } else if is_content(line) && !line.starts_with('%') {
            open.has_content = true;
        }
        offset = line_end;
    }
    if open.start < text.len() {
        chunks.push(chunk(text, &open, text.len(), text.len()));
    }
    chunks
}

fn chunk<'t>(text: &'t str, open: &Open, body_end: usize, end: usize) -> Chunk<'t> {
    let body = text.get(open.body_start..body_end).unwrap_or_default();
    // Drop whole blank lines in front, but keep the first line's indentation.
    let first_line =
        body.find(|c: char| !c.is_whitespace()).map_or(body.len(), |i| body[..i].rfind('\n').map_or(0, |nl| nl + 1));
    Chunk {
        yaml: text.get(open.start..end).unwrap_or_default(),
        lines_before: open.start_line,
        manifest: body[first_line..].trim_end(),
    }
}

/// If `line` is the document marker `mark` (at the start of the line, followed by whitespace
/// or nothing), returns what follows the marker.
fn marker<'l>(line: &'l str, mark: &str) -> Option<&'l str> {
    let after = line.strip_prefix(mark)?;
    (after.is_empty() || after.starts_with(char::is_whitespace)).then_some(after)
}

/// Whether a line holds YAML content rather than only blanks or a comment.
fn is_content(line: &str) -> bool {
    let trimmed = line.trim_start();
    !trimmed.is_empty() && !trimmed.starts_with('#')
}
