use std::fmt;

use serde::{Deserialize, Serialize};

/// Something wrong in a catalog source, precise enough for the author to fix it without
/// guessing: which file, which line, which field, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub file: String,
    /// 1-based line; `None` when the problem concerns the whole file (unreadable, not UTF-8).
    pub line: Option<usize>,
    /// Dotted path of the field, such as `spec.owner`; `None` for a syntax error or a document
    /// that is not a map.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}
