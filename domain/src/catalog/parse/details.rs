//! The parts of a `spec` only some kinds have: a team's or a person's profile, an API's
//! definition, a location's targets, a template's parameters.

use super::super::{ApiDefinition, Details, LocationTarget, Profile, Remote, TemplateParameter};
use super::node::{Field, Reader};
use super::rules;

/// The placeholders Backstage replaces with a file's content, relative to the manifest.
pub(super) const SUBSTITUTIONS: [&str; 3] = ["$text", "$json", "$yaml"];

/// `spec.profile` of a `Group` or a `User`.
pub(super) fn profile(r: &mut Reader<'_>, spec: &Field<'_, '_>) -> Profile {
    let Some(profile) = r.optional(spec, "profile").and_then(|field| r.map(field)) else {
        return Profile::default();
    };
    let picture = r.optional_text(&profile, "picture").and_then(|(url, field)| match rules::check_url(&url) {
        Ok(()) => Some(url),
        Err(message) => {
            r.fail(&field, message);
            None
        }
    });
    Profile {
        display_name: r.optional_str(&profile, "displayName"),
        email: r.optional_str(&profile, "email"),
        picture,
    }
}

/// An `API`'s definition: `spec.definition` as text or as a `$text` placeholder, or, for an MCP
/// server, `spec.remotes`.
pub(super) fn api(r: &mut Reader<'_>, spec: &Field<'_, '_>, spec_type: Option<&str>) -> Details {
    if spec_type == Some("mcp-server") {
        return mcp_remotes(r, spec);
    }
    let Some(field) = r.required(spec, "definition") else {
        return Details::None;
    };
    if field.node.data.is_mapping() {
        return match placeholder(r, &field) {
            Some(from) => Details::Api(ApiDefinition { text: String::new(), from: Some(from) }),
            None => Details::None,
        };
    }
    match r.string(&field) {
        Some(text) if text.trim().is_empty() => {
            r.fail(&field, "must not be empty");
            Details::None
        }
        Some(text) => Details::Api(ApiDefinition { text, from: None }),
        None => Details::None,
    }
}

/// A `{$text: ./openapi.yaml}` map: the path it names, which the catalog's source reads.
fn placeholder(r: &mut Reader<'_>, field: &Field<'_, '_>) -> Option<String> {
    let entries = r.entries(field);
    let [(key, value)] = entries.as_slice() else {
        r.fail(field, "must be the definition's text, or one `$text`, `$json` or `$yaml` naming a file");
        return None;
    };
    if !SUBSTITUTIONS.contains(&key.as_str()) {
        r.fail(value, format!("`{key}` is not a placeholder: use `$text`, `$json` or `$yaml`"));
        return None;
    }
    let target = r.string(value)?;
    if target.trim().is_empty() {
        r.fail(value, "must name a file");
        return None;
    }
    Some(target)
}

/// `spec.remotes` of an MCP server: where its clients connect.
fn mcp_remotes(r: &mut Reader<'_>, spec: &Field<'_, '_>) -> Details {
    let Some(items) = r.required(spec, "remotes").and_then(|field| r.list(&field)) else {
        return Details::None;
    };
    if items.is_empty()
        && let Some(field) = r.entry(spec, "remotes")
    {
        r.fail(&field, "must list at least one remote");
    }
    let mut remotes = Vec::new();
    for item in items {
        let Some(item) = r.map(item) else { continue };
        let kind = r.required_text(&item, "type").map(|(text, _)| text);
        let url = r.required_text(&item, "url").and_then(|(url, field)| match rules::check_url(&url) {
            Ok(()) => Some(url),
            Err(message) => {
                r.fail(&field, message);
                None
            }
        });
        if let (Some(kind), Some(url)) = (kind, url) {
            remotes.push(Remote { kind, url });
        }
    }
    Details::McpServer { remotes }
}

/// A `Location`'s `spec.target` and `spec.targets`, in that order, each with where it is written.
pub(super) fn location(r: &mut Reader<'_>, spec: &Field<'_, '_>) -> Details {
    let mut fields = Vec::new();
    fields.extend(r.optional(spec, "target"));
    if let Some(items) = r.optional(spec, "targets").and_then(|field| r.list(&field)) {
        fields.extend(items);
    }
    let mut targets = Vec::new();
    for field in fields {
        match r.string(&field) {
            Some(target) if target.trim().is_empty() => r.fail(&field, "must not be empty"),
            Some(target) => targets.push(LocationTarget { target, field: field.path, line: field.line, files: Vec::new() }),
            None => {}
        }
    }
    let presence = r.optional_text(spec, "presence");
    if let Some((presence, field)) = &presence
        && !matches!(presence.as_str(), "required" | "optional")
    {
        r.fail(field, format!("`{presence}` is not a presence: use `required` or `optional`"));
    }
    let optional = presence.is_some_and(|(presence, _)| presence == "optional");
    Details::Location { targets, optional }
}

/// A `Template`'s `spec.parameters` (one form step as a map, or a list of steps) and its
/// required `spec.steps`, which Portico lists but does not run.
pub(super) fn template(r: &mut Reader<'_>, spec: &Field<'_, '_>) -> Details {
    if let Some(steps) = r.required(spec, "steps") {
        r.list(&steps);
    }
    let mut parameters = Vec::new();
    let Some(field) = r.optional(spec, "parameters") else {
        return Details::Template { parameters };
    };
    let pages = if field.node.data.is_sequence() { r.list(&field).unwrap_or_default() } else { vec![field] };
    for page in pages {
        let Some(page) = r.map(page) else { continue };
        let required: Vec<String> = r
            .optional(&page, "required")
            .and_then(|field| r.list(&field))
            .map(|items| items.iter().filter_map(|item| r.string(item)).collect())
            .unwrap_or_default();
        let Some(properties) = r.optional(&page, "properties").and_then(|field| r.map(field)) else { continue };
        for (name, property) in r.entries(&properties) {
            let Some(property) = r.map(property) else { continue };
            // A JSON schema, where `type` may also be a list: read leniently, as Backstage does.
            let text = |key: &str| r.optional(&property, key).and_then(|field| field.node.data.as_str().map(str::to_owned));
            parameters.push(TemplateParameter {
                required: required.contains(&name),
                title: text("title"),
                description: text("description"),
                kind: text("type"),
                name,
            });
        }
    }
    Details::Template { parameters }
}
