//! The sign-in page that stands in for github.com's "Authorize <app>" screen.
//!
//! It is a plain HTML form (no script) so browser tests can drive it with accessible names:
//! one "Sign in as <login>" button per user and a "Cancel" button.

use crate::FakeUser;

/// Renders the page. `params` are the authorize request's query parameters; they travel on
/// as hidden fields so that the confirm step sees exactly what the portal sent.
pub(crate) fn page(params: &[(String, String)], users: &[FakeUser]) -> String {
    let hidden: String = params
        .iter()
        // The clicked button supplies these; a stale copy would override the choice.
        .filter(|(name, _)| name != "login" && name != "cancel")
        .map(|(name, value)| {
            format!(
                "    <input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
                escape(name),
                escape(value)
            )
        })
        .collect();
    let buttons: String = users
        .iter()
        .map(|user| {
            let login = escape(&user.login);
            format!(
                "    <p><button type=\"submit\" name=\"login\" value=\"{login}\">Sign in as {login}</button></p>\n"
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n\
         <html lang=\"en\">\n\
         <head><meta charset=\"utf-8\"><title>Authorize Portico</title></head>\n\
         <body>\n\
         <main>\n\
         <h1>Authorize Portico</h1>\n\
         <form method=\"get\" action=\"/login/oauth/authorize/confirm\">\n\
         {hidden}{buttons}    <p><button type=\"submit\" name=\"cancel\" value=\"1\">Cancel</button></p>\n\
         </form>\n\
         </main>\n\
         </body>\n\
         </html>\n"
    )
}

/// Escapes text for an HTML attribute value or element content.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_escaped_and_buttons_named() {
        let user = FakeUser {
            login: "alice".into(),
            id: 1,
            name: None,
            email: None,
            orgs: vec![],
            teams: vec![],
        };
        let params = vec![("state".to_owned(), "a\"b<c".to_owned())];
        let html = page(&params, &[user]);
        assert!(html.contains("value=\"a&quot;b&lt;c\""));
        assert!(html.contains(">Sign in as alice</button>"));
        assert!(html.contains(">Cancel</button>"));
    }
}
