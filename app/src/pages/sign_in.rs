use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::session::use_session_view;
use crate::components::layout::PageHeader;

/// What went wrong, from the `error` code the sign-in routes redirect with.
fn message(code: &str) -> &'static str {
    match code {
        "access_denied" => "You cancelled signing in at GitHub. Nothing was shared with the portal.",
        "state_mismatch" => "This sign-in did not start in this browser, so it was refused. Start again from here.",
        "no_pending" => "This sign-in link was already used or has expired. Start again from here.",
        "code_rejected" => "GitHub did not accept the sign-in (the code was already used or has expired). Start again.",
        "not_allowed" => "Your GitHub account is not a member of an organisation allowed to use this portal. Ask your platform team for access.",
        "github_unavailable" => "GitHub could not be reached to confirm who you are. Try again in a moment.",
        "github_error" => "GitHub could not complete the sign-in. Try again.",
        "github_not_configured" => "Signing in with GitHub is not set up on this portal.",
        "expired" => "Your session expired. Sign in again to continue where you were.",
        _ => "Signing in failed. Try again.",
    }
}

/// Letters, digits and single inner hyphens, at most 39 characters: GitHub's rule for logins.
fn is_org_login(org: &str) -> bool {
    (1..=39).contains(&org.len())
        && org.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !org.starts_with('-')
        && !org.ends_with('-')
        && !org.contains("--")
}

/// GitHub hid a membership because the organisation restricts OAuth apps: say who can fix it.
fn restricted(org: &str) -> String {
    format!(
        "GitHub did not show this portal your membership of {org}: the organisation restricts OAuth apps and has not \
         approved this one yet. An owner of {org} can approve it under the organisation's Settings, Third-party \
         access, OAuth app policy. Then sign in again."
    )
}

/// Sign in with GitHub, or as the demo user where the embedded demo enables it.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let session = use_session_view();
    let next = move || query.with(|q| q.get("next")).unwrap_or_default();
    let error = move || {
        query.with(|q| {
            let code = q.get("error")?;
            Some(match (code.as_str(), q.get("org")) {
                // Only a name GitHub could give an organisation is shown: the address is anyone's
                // to write, and the page must not carry someone else's words.
                ("org_restricted", Some(org)) if is_org_login(&org) => restricted(&org),
                _ => message(&code).to_owned(),
            })
        })
    };
    let signed_out = move || query.with(|q| q.get("signed_out").is_some());
    let github_href = move || {
        let next = next();
        if next.is_empty() {
            "/auth/github".to_owned()
        } else {
            format!("/auth/github?next={}", form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>())
        }
    };
    let options = session.sign_in;
    view! {
        <Title text="Sign in" />
        <div class="mx-auto max-w-md">
            <PageHeader title="Sign in to Portico" subtitle="Use the account your organisation gave you access with." />
            {move || error().map(|text| view! {
                <p role="alert" class="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-200">{text}</p>
            })}
            {move || signed_out().then(|| view! {
                <p role="status" class="mb-4 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-200">"You are signed out."</p>
            })}
            {session.principal.map(|principal| view! {
                <p class="mb-4 text-sm">"You are signed in as " <strong>{principal.identity.login}</strong> ". " <a href="/" class="underline">"Go to the portal"</a></p>
            })}
            <div class="flex flex-col gap-3">
                {options.github.then(|| view! {
                    // rel="external": a server route, which the hydrated router must leave to the browser.
                    <a href=github_href rel="external" class="rounded-md bg-slate-900 px-4 py-2 text-center text-sm font-medium text-white hover:bg-slate-700 focus:outline-none focus:ring-2 focus:ring-slate-500 dark:bg-white dark:text-slate-900">
                        "Sign in with GitHub"
                    </a>
                })}
                {options.demo.then(|| view! {
                    <form method="post" action="/auth/demo">
                        <input type="hidden" name="next" value=next />
                        <button type="submit" class="w-full rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-100 focus:outline-none focus:ring-2 focus:ring-slate-500 dark:border-slate-700 dark:hover:bg-slate-800">
                            "Sign in as demo user"
                        </button>
                    </form>
                })}
                {(!options.github && !options.demo).then(|| view! {
                    <p class="text-sm text-slate-600 dark:text-slate-400">
                        "No way of signing in is configured. Set up a GitHub OAuth app under " <code>"[auth.github]"</code> " (see the README)."
                    </p>
                })}
            </div>
        </div>
    }
}
