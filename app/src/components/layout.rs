use domain::access::Permission;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::session::use_session_view;

/// The sections of the top navigation, each shown to those who hold its permission. A section
/// appears here once its page exists.
const SECTIONS: [(&str, &str, Permission); 7] = [
    ("Services", "/services", Permission::ViewCatalog),
    ("Catalog", "/catalog", Permission::ViewCatalog),
    ("Environments", "/environments", Permission::ViewCatalog),
    // Anyone who sees the catalog may request actions (each action says who may run it) and
    // may hold a role that approves.
    ("Runs", "/runs", Permission::ViewCatalog),
    ("Approvals", "/approvals", Permission::ViewCatalog),
    ("Audit log", "/audit", Permission::ViewAudit),
    ("Admin", "/admin/access", Permission::Administer),
];

/// Header with navigation and theme switcher, then the page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let session = use_session_view();
    let sections: Vec<_> = SECTIONS.into_iter().filter(|(_, _, permission)| session.may(*permission)).collect();
    view! {
        {session.sign_in.demo.then(|| view! {
            <div role="note" data-testid="demo-banner" class="bg-amber-400 px-4 py-1.5 text-center text-sm font-medium text-amber-950">
                "Demo mode: anyone who can reach this portal can sign in as the demo user. Never expose it beyond this machine."
            </div>
        })}
        <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900">
            "Skip to content"
        </a>
        <header class="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <div class="mx-auto flex max-w-7xl flex-wrap items-center gap-x-8 gap-y-2 px-4 py-3">
                <a href="/" class="flex items-center gap-2 text-lg font-semibold tracking-tight">
                    <img src="/favicon.svg" alt="" class="h-6 w-6" />
                    "Portico"
                </a>
                <nav aria-label="Main" class="flex flex-1 gap-1">
                    {sections.into_iter().map(|(label, href, _)| view! { <NavLink label href /> }).collect_view()}
                </nav>
                <ThemeSwitcher />
                <UserMenu />
            </div>
        </header>
        <main id="main" class="mx-auto max-w-7xl px-4 py-6">{children()}</main>
    }
}

#[component]
fn NavLink(label: &'static str, href: &'static str) -> impl IntoView {
    let location = use_location();
    // A section is current on any of its pages: "/admin/people" is under "Admin".
    let current = move || location.pathname.with(|path| path.split('/').nth(1) == href.split('/').nth(1));
    view! {
        <a
            href=href
            aria-current=move || current().then_some("page")
            class="rounded-md px-3 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-slate-100 aria-[current=page]:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white dark:aria-[current=page]:bg-slate-800 dark:aria-[current=page]:text-white"
        >
            {label}
        </a>
    }
}

/// Who is signed in, with links to their access and tokens, and signing out (a plain form).
#[component]
fn UserMenu() -> impl IntoView {
    let session = use_session_view();
    let link = "rounded px-2 py-1 hover:bg-slate-100 dark:hover:bg-slate-800";
    match session.principal {
        Some(principal) => view! {
            <div class="flex items-center gap-2 text-sm">
                <a href="/me" class=link data-testid="signed-in-as">{principal.identity.display_name().to_owned()}</a>
                <a href="/me/tokens" class=link>"API tokens"</a>
                <form method="post" action="/auth/sign-out">
                    <button type="submit" class=link>"Sign out"</button>
                </form>
            </div>
        }
        .into_any(),
        None => view! { <a href="/sign-in" class=format!("{link} text-sm font-medium")>"Sign in"</a> }.into_any(),
    }
}

/// Light, dark or the system's choice. A plain form posting to the server, which stores the
/// choice in a cookie: it works with JavaScript off, and the first paint has the right theme.
#[component]
fn ThemeSwitcher() -> impl IntoView {
    let options = [("light", "Light"), ("dark", "Dark"), ("system", "System")];
    let location = use_location();
    // Where the server sends the browser back to once the choice is stored.
    let back = move || {
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        let path = location.pathname.get();
        if search.is_empty() { path } else { format!("{path}?{search}") }
    };
    view! {
        <form method="post" action="/theme" class="flex items-center gap-1 text-xs" aria-label="Theme">
            <input type="hidden" name="back" value=back />
            {options
                .into_iter()
                .map(|(value, label)| {
                    view! {
                        <button
                            type="submit"
                            name="theme"
                            value=value
                            data-theme-option=value
                            class="theme-option rounded px-2 py-1 text-slate-500 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white"
                        >
                            {label}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}

/// Page title with an optional line of explanation.
#[component]
pub fn PageHeader(
    #[prop(into)] title: String,
    #[prop(optional, into)] subtitle: Option<String>,
) -> impl IntoView {
    view! {
        <div class="mb-6">
            <h1 class="text-2xl font-semibold tracking-tight">{title}</h1>
            {subtitle.map(|text| view! { <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{text}</p> })}
        </div>
    }
}
