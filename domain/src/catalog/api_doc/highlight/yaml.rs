//! YAML, and JSON, which is YAML's flow style: keys, strings (quoted or plain), numbers,
//! `true`/`false`/`null`, anchors and tags, comments, and the block scalars (`|`, `>`) whose
//! lines are all string.

use super::TokenClass::{Comment, Key, Keyword, Number, Plain, Punctuation, String};
use super::scan::{Spans, char_at, is_number, quoted, run};

/// What a line carries to the next.
#[derive(Default)]
pub(super) struct State {
    /// Inside a block scalar: the lines indented deeper than this column are its text.
    block: Option<usize>,
    /// How many `[` and `{` are open; inside them, commas and brackets end a plain scalar.
    flow: usize,
}

pub(super) fn line(state: &mut State, line: &str, spans: &mut Spans) {
    let indent = run(line, 0, is_blank);
    if let Some(parent) = state.block {
        if indent == line.len() || indent > parent {
            spans.push(Plain, &line[..indent]);
            spans.push(String, &line[indent..]);
            return;
        }
        state.block = None;
    }
    if line.starts_with('%') {
        spans.push(Keyword, line);
        return;
    }
    let mut at = 0;
    if state.flow == 0 && (line.starts_with("---") || line.starts_with("...")) && ends_token(line, 3) {
        spans.push(Punctuation, &line[..3]);
        at = 3;
    }
    // Where the line's innermost node starts (its key, or its `-`): a block scalar's lines are
    // those indented deeper.
    let mut parent = indent;
    while let Some(c) = char_at(line, at) {
        let after = at + c.len_utf8();
        let (end, class) = match c {
            ' ' | '\t' => (run(line, at, is_blank), Plain),
            '#' if at == 0 || line[..at].ends_with(is_blank) => (line.len(), Comment),
            '-' | '?' if state.flow == 0 && ends_token(line, after) => {
                parent = at;
                (after, Punctuation)
            }
            ':' if state.flow > 0 || ends_token(line, after) => (after, Punctuation),
            '[' | '{' => {
                state.flow += 1;
                (after, Punctuation)
            }
            ']' | '}' => {
                state.flow = state.flow.saturating_sub(1);
                (after, Punctuation)
            }
            ',' if state.flow > 0 => (after, Punctuation),
            '|' | '>' if state.flow == 0 => {
                let end = run(line, after, |c| c == '-' || c == '+' || c.is_ascii_digit());
                let rest = line[end..].trim_start();
                if rest.is_empty() || rest.starts_with('#') {
                    state.block = Some(parent);
                }
                (end, Punctuation)
            }
            '&' | '*' | '!' => (run(line, after, |c| !c.is_whitespace() && !ends_flow_scalar(state, c)), Keyword),
            '"' | '\'' => {
                let end = quoted(line, at, c == '"');
                let class = if is_key(state, line, end) { Key } else { String };
                if class == Key {
                    parent = at;
                }
                (end, class)
            }
            _ => {
                let end = plain_end(state, line, at).max(after);
                let word = line[at..end].trim_end_matches(is_blank);
                let end = at + word.len();
                let class = if is_key(state, line, end) {
                    parent = at;
                    Key
                } else if is_number(word) {
                    Number
                } else if matches!(
                    word,
                    "true" | "false" | "null" | "~" | "True" | "False" | "Null" | "TRUE" | "FALSE" | "NULL"
                ) {
                    Keyword
                } else {
                    String
                };
                (end, class)
            }
        };
        spans.push(class, &line[at..end]);
        at = end;
    }
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Whether a token ending at `at` is followed by a blank or the end of the line, as `-`, `?`
/// and `:` must be to be indicators.
fn ends_token(line: &str, at: usize) -> bool {
    char_at(line, at).is_none_or(is_blank)
}

fn ends_flow_scalar(state: &State, c: char) -> bool {
    state.flow > 0 && matches!(c, ',' | '[' | ']' | '{' | '}')
}

/// Whether what ends at `end` is a key: a `:` follows it, after blanks.
fn is_key(state: &State, line: &str, end: usize) -> bool {
    let colon = run(line, end, is_blank);
    char_at(line, colon) == Some(':') && (state.flow > 0 || ends_token(line, colon + 1))
}

/// The end of the plain scalar starting at `start`: before `: `, ` #`, or, inside brackets, a
/// comma or a bracket.
fn plain_end(state: &State, line: &str, start: usize) -> usize {
    for (i, c) in line[start..].char_indices() {
        let at = start + i;
        let next = at + c.len_utf8();
        let colon =
            c == ':' && (ends_token(line, next) || char_at(line, next).is_some_and(|n| ends_flow_scalar(state, n)));
        let comment = c == '#' && at > start && line[..at].ends_with(is_blank);
        if colon || comment || ends_flow_scalar(state, c) {
            return at;
        }
    }
    line.len()
}
