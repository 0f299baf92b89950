//! A definition's text parsed into a YAML tree (JSON is YAML too), or a few words saying why it
//! cannot be.

use saphyr::{LoadableYamlNode, Yaml};

use super::super::yaml_depth::too_deep;

/// The first document of `text`.
pub(super) fn load(text: &str) -> Result<Yaml<'_>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(line) = too_deep(text) {
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
