//! A definition's text parsed into a YAML tree (JSON is YAML too), or a few words saying why it
//! cannot be.

use saphyr::{LoadableYamlNode, Yaml};

/// How deeply a line may be nested, counting its indentation and the `- ` or `? ` that open
/// collections on it. The parser recurses once per level of block nesting without a limit of
/// its own, and a server thread's stack runs out somewhere past 500 levels; no real definition
/// comes near this. Brackets need no check: the parser stops at 255 of them.
const MAX_LINE_NESTING: usize = 200;

/// The first document of `text`.
pub(super) fn load(text: &str) -> Result<Yaml<'_>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(line) = text.lines().position(|line| nesting(line) > MAX_LINE_NESTING) {
        return Err(format!("line {}: nested too deeply to be read", line + 1));
    }
    let documents = Yaml::load_from_str(text).map_err(|error| {
        // At the end of the input the scanner points past the last line.
        let last = text.trim_end().lines().count().max(1);
        let line = error.marker().line().clamp(1, last);
        format!("line {line}: {}", error.info())
    })?;
    documents.into_iter().next().ok_or_else(|| "the definition holds no document".to_owned())
}

/// How many levels a line can open at most: one per column of indentation, one per compact
/// collection indicator.
fn nesting(line: &str) -> usize {
    let mut rest = line.trim_start_matches([' ', '\t']);
    let mut levels = line.len() - rest.len();
    while let Some(after) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("? ")) {
        levels += 2;
        rest = after.trim_start_matches(' ');
    }
    levels
}
