//! `{{name}}` placeholders in the text an action sends (workflow inputs and refs, webhook
//! payloads), filled in one pass: a value is never read again, so an input typed as
//! `{{other}}` stays those characters instead of expanding another placeholder.

/// `template` with each `{{name}}` that `value` knows replaced; unknown ones are left as written.
pub fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        match value(after[..end].trim()) {
            Some(text) => out.push_str(&text),
            None => out.push_str(&rest[start..start + end + 4]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill;

    fn values(name: &str) -> Option<String> {
        match name {
            "service" => Some("checkout".into()),
            "note" => Some("{{service}} and {{secret}}".into()),
            _ => None,
        }
    }

    #[test]
    fn placeholders_are_filled_once_and_values_are_not_read_again() {
        assert_eq!(fill("deploy {{service}} now", values), "deploy checkout now");
        assert_eq!(fill("{{note}}", values), "{{service}} and {{secret}}");
        assert_eq!(fill("{{unknown}} {{ service }}", values), "{{unknown}} checkout");
        assert_eq!(fill("open {{ only", values), "open {{ only");
        assert_eq!(fill("", values), "");
    }
}
