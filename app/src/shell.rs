use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::layout::Layout;
use crate::api::session::provide_session_view;
use crate::pages::{
    ActionPage, AdminAccessPage, AdminPeoplePage, ApprovalsPage, AuditEventPage, AuditLogPage, CatalogPage, EntityGraphPage, EntityPage, EnvironmentsPage, ImpactPage, LogsPage, MePage, NotFound, ProblemsPage,
    RunPage, RunsPage, ServicePage, ServicesPage, SignInPage, TokensPage,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en" data-theme=theme_preference()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
                <App />
            </body>
        </html>
    }
}

/// The theme chosen with the theme switcher (a cookie), so the first paint already has it.
fn theme_preference() -> &'static str {
    #[cfg(feature = "ssr")]
    {
        let cookies = use_context::<http::request::Parts>()
            .and_then(|parts| parts.headers.get(http::header::COOKIE).cloned());
        let cookies = cookies.as_ref().and_then(|value| value.to_str().ok()).unwrap_or("");
        for pair in cookies.split(';') {
            match pair.trim() {
                "portico_theme=dark" => return "dark",
                "portico_theme=light" => return "light",
                _ => {}
            }
        }
    }
    "system"
}

/// The application: routes inside the common layout.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_session_view();
    // Marks the page once the WASM app has taken over; browser tests wait for it. Effects only
    // run in the browser.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/portico.css" />
        <Title formatter=|title: String| format!("{title} · Portico") />
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Redirect path="/services" /> } />
                    <Route path=path!("/services") view=ServicesPage ssr=SsrMode::Async />
                    <Route path=path!("/services/:name") view=ServicePage ssr=SsrMode::Async />
                    <Route path=path!("/services/:name/logs/:environment") view=LogsPage ssr=SsrMode::Async />
                    <Route path=path!("/services/:name/actions/:action") view=ActionPage ssr=SsrMode::Async />
                    <Route path=path!("/runs") view=RunsPage ssr=SsrMode::Async />
                    <Route path=path!("/runs/:id") view=RunPage ssr=SsrMode::Async />
                    <Route path=path!("/approvals") view=ApprovalsPage ssr=SsrMode::Async />
                    <Route path=path!("/environments") view=EnvironmentsPage ssr=SsrMode::Async />
                    <Route path=path!("/catalog") view=CatalogPage ssr=SsrMode::Async />
                    <Route path=path!("/catalog/problems") view=ProblemsPage ssr=SsrMode::Async />
                    <Route path=path!("/catalog/:kind/:namespace/:name") view=EntityPage ssr=SsrMode::Async />
                    <Route path=path!("/catalog/:kind/:namespace/:name/graph") view=EntityGraphPage ssr=SsrMode::Async />
                    <Route path=path!("/catalog/:kind/:namespace/:name/impact") view=ImpactPage ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view=SignInPage />
                    <Route path=path!("/me") view=MePage ssr=SsrMode::Async />
                    <Route path=path!("/me/tokens") view=TokensPage ssr=SsrMode::Async />
                    <Route path=path!("/audit") view=AuditLogPage ssr=SsrMode::Async />
                    <Route path=path!("/audit/:seq") view=AuditEventPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/access") view=AdminAccessPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/people") view=AdminPeoplePage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
