//! Protocol Buffers: keywords and scalar types, strings, numbers, and comments, block comments
//! across lines too.

use super::TokenClass::{Comment, Keyword, Number, Plain, Punctuation, String};
use super::scan::{Spans, char_at, is_word, number, quoted, run};

const KEYWORDS: [&str; 44] = [
    "syntax",
    "edition",
    "package",
    "import",
    "public",
    "weak",
    "option",
    "message",
    "enum",
    "service",
    "rpc",
    "returns",
    "stream",
    "oneof",
    "map",
    "reserved",
    "extensions",
    "extend",
    "to",
    "max",
    "repeated",
    "optional",
    "required",
    "group",
    "true",
    "false",
    "double",
    "float",
    "int32",
    "int64",
    "uint32",
    "uint64",
    "sint32",
    "sint64",
    "fixed32",
    "fixed64",
    "sfixed32",
    "sfixed64",
    "bool",
    "string",
    "bytes",
    "inf",
    "nan",
    "export",
];

/// What a line carries to the next.
#[derive(Default)]
pub(super) struct State {
    /// Inside a `/* */` comment.
    block_comment: bool,
}

pub(super) fn line(state: &mut State, line: &str, spans: &mut Spans) {
    let mut at = 0;
    if state.block_comment {
        at = comment_end(state, line, 0);
        spans.push(Comment, &line[..at]);
    }
    while let Some(c) = char_at(line, at) {
        let after = at + c.len_utf8();
        let (end, class) = if c.is_whitespace() {
            (run(line, at, char::is_whitespace), Plain)
        } else if line[at..].starts_with("//") {
            (line.len(), Comment)
        } else if line[at..].starts_with("/*") {
            (comment_end(state, line, at + 2), Comment)
        } else if c == '"' || c == '\'' {
            (quoted(line, at, true), String)
        } else if let Some(end) = number(line, at).filter(|_| c.is_ascii_digit() || c == '-') {
            (end, Number)
        } else if is_word(c) {
            let end = run(line, at, is_word);
            (end, if KEYWORDS.contains(&&line[at..end]) { Keyword } else { Plain })
        } else if "{}()[]<>;=,.".contains(c) {
            (after, Punctuation)
        } else {
            (after, Plain)
        };
        spans.push(class, &line[at..end]);
        at = end;
    }
}

/// The end of a block comment whose text starts at `start`: past its `*/`, or the end of the
/// line, in which case the comment goes on to the next.
fn comment_end(state: &mut State, line: &str, start: usize) -> usize {
    match line[start..].find("*/") {
        Some(close) => {
            state.block_comment = false;
            start + close + 2
        }
        None => {
            state.block_comment = true;
            line.len()
        }
    }
}
