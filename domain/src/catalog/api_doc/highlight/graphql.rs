//! GraphQL SDL: keywords, field and argument names, directives, strings (block strings across
//! lines too), numbers and comments.

use super::TokenClass::{Comment, Key, Keyword, Number, Plain, Punctuation, String};
use super::scan::{Spans, char_at, is_word, number, quoted, run};

const KEYWORDS: [&str; 19] = [
    "type",
    "interface",
    "union",
    "enum",
    "input",
    "scalar",
    "schema",
    "extend",
    "directive",
    "implements",
    "repeatable",
    "query",
    "mutation",
    "subscription",
    "fragment",
    "on",
    "true",
    "false",
    "null",
];

/// What a line carries to the next.
#[derive(Default)]
pub(super) struct State {
    /// Inside a `"""` block string.
    block_string: bool,
}

pub(super) fn line(state: &mut State, line: &str, spans: &mut Spans) {
    let mut at = 0;
    if state.block_string {
        let close = block_string_close(line, 0);
        state.block_string = close.is_none();
        at = close.unwrap_or(line.len());
        spans.push(String, &line[..at]);
    }
    while let Some(c) = char_at(line, at) {
        let after = at + c.len_utf8();
        let (end, class) = if c.is_whitespace() {
            (run(line, at, char::is_whitespace), Plain)
        } else if c == '#' {
            (line.len(), Comment)
        } else if line[at..].starts_with("\"\"\"") {
            let close = block_string_close(line, at + 3);
            state.block_string = close.is_none();
            (close.unwrap_or(line.len()), String)
        } else if c == '"' {
            (quoted(line, at, true), String)
        } else if let Some(end) = number(line, at).filter(|_| c.is_ascii_digit() || c == '-') {
            (end, Number)
        } else if c == '@' {
            (run(line, after, is_word), Keyword)
        } else if is_word(c) {
            let end = run(line, at, is_word);
            let class = if KEYWORDS.contains(&&line[at..end]) {
                Keyword
            } else if char_at(line, run(line, end, char::is_whitespace)) == Some(':') {
                Key
            } else {
                Plain
            };
            (end, class)
        } else if "{}()[]:!=|&$.,".contains(c) {
            (after, Punctuation)
        } else {
            (after, Plain)
        };
        spans.push(class, &line[at..end]);
        at = end;
    }
}

/// Where the block string whose text starts at `start` ends, past its closing `"""`, if it
/// closes on this line; `\"""` does not close it.
fn block_string_close(line: &str, start: usize) -> Option<usize> {
    let mut at = start;
    while let Some(found) = line[at..].find("\"\"\"") {
        let quote = at + found;
        if !line[..quote].ends_with('\\') {
            return Some(quote + 3);
        }
        at = quote + 3;
    }
    None
}
