//! What the tokenizers share: the spans of a line being built, and token shapes common to
//! several languages. Positions are byte offsets into the line, always on character boundaries.

use super::{Span, TokenClass};

/// The spans of one line, adjacent spans of one class merged so that the page has fewer
/// elements to draw.
#[derive(Default)]
pub(super) struct Spans {
    spans: Vec<Span>,
}

impl Spans {
    pub fn push(&mut self, class: TokenClass, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.spans.last_mut() {
            Some(last) if last.class == class => last.text.push_str(text),
            _ => self.spans.push(Span { class, text: text.to_owned() }),
        }
    }

    pub fn into_vec(self) -> Vec<Span> {
        self.spans
    }
}

/// The end of the run of characters from `start` that match `matches`.
pub(super) fn run(line: &str, start: usize, matches: impl Fn(char) -> bool) -> usize {
    line[start..].char_indices().find(|(_, c)| !matches(*c)).map_or(line.len(), |(i, _)| start + i)
}

/// The character at `at`, if any.
pub(super) fn char_at(line: &str, at: usize) -> Option<char> {
    line.get(at..)?.chars().next()
}

/// The end of the quoted string opening at `start`: just past its closing quote, or the end of
/// the line when it is not closed there. With `escapes`, a backslash escapes the next
/// character; without, a doubled quote stands for one (YAML's single quotes).
pub(super) fn quoted(line: &str, start: usize, escapes: bool) -> usize {
    let Some(quote) = char_at(line, start) else { return line.len() };
    let mut chars = line[start..].char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if escapes && c == '\\' {
            chars.next();
        } else if c == quote {
            if !escapes && chars.peek().is_some_and(|(_, next)| *next == quote) {
                chars.next();
            } else {
                return start + i + c.len_utf8();
            }
        }
    }
    line.len()
}

/// Whether a character can go on a name: letters, digits, `_`.
pub(super) fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The end of a number starting at `start`, if one does: `42`, `-1`, `3.14`, `1e-9`, `0x1F`.
pub(super) fn number(line: &str, start: usize) -> Option<usize> {
    let digits = if matches!(char_at(line, start), Some('-' | '+')) { start + 1 } else { start };
    if !char_at(line, digits).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut end = run(line, digits, |c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
    // `1e-9`: the run stops at the exponent's sign.
    if line[..end].ends_with(['e', 'E']) && matches!(char_at(line, end), Some('-' | '+')) {
        end = run(line, end + 1, |c| c.is_ascii_digit());
    }
    Some(end)
}

/// Whether a whole YAML scalar reads as a number.
pub(super) fn is_number(word: &str) -> bool {
    let word = word.strip_prefix(['-', '+']).unwrap_or(word);
    if let Some(digits) = word.strip_prefix("0x").or_else(|| word.strip_prefix("0o")) {
        return !digits.is_empty() && digits.chars().all(|c| c.is_ascii_hexdigit());
    }
    if matches!(word, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match word.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent.strip_prefix(['-', '+']).unwrap_or(exponent))),
        None => (word, None),
    };
    let digits = mantissa.chars().filter(char::is_ascii_digit).count();
    let points = mantissa.chars().filter(|c| *c == '.').count();
    digits > 0
        && points <= 1
        && digits + points == mantissa.len()
        && exponent.is_none_or(|exponent| !exponent.is_empty() && exponent.chars().all(|c| c.is_ascii_digit()))
}
