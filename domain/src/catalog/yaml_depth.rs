//! A guard against YAML nested so deeply that parsing it would exhaust the stack. The parser
//! recurses once per level of block nesting without a limit of its own, and a server thread's
//! stack runs out somewhere past 500 levels: a manifest or a definition written to be hostile
//! would abort the whole portal. No real file comes near the bound. Brackets need no check: the
//! parser stops at 255 of them.

/// How deeply a line may be nested, counting its indentation and the `- ` or `? ` that open
/// collections on it.
pub(crate) const MAX_LINE_NESTING: usize = 200;

/// The index of the first line of `text` nested deeper than [`MAX_LINE_NESTING`], if any.
pub(crate) fn too_deep(text: &str) -> Option<usize> {
    text.lines().position(|line| nesting(line) > MAX_LINE_NESTING)
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
