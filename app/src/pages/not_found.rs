use leptos::prelude::*;
use leptos_meta::Title;

/// Answers 404 on the server, so crawlers and scripts see the right status too.
pub fn set_not_found_status() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
}

/// The page for any address the portal does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    set_not_found_status();
    view! {
        <Title text="Page not found" />
        <div class="py-16 text-center">
            <p class="text-sm font-semibold text-slate-500">"404"</p>
            <h1 class="mt-2 text-2xl font-semibold tracking-tight">"Page not found"</h1>
            <p class="mt-2 text-slate-600 dark:text-slate-400">"There is nothing at this address."</p>
            <a href="/services" class="mt-6 inline-block rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 dark:bg-white dark:text-slate-900 dark:hover:bg-slate-200">
                "Go to the services"
            </a>
        </div>
    }
}

/// What may not exist: `found` for it, else the answer is 404 and `missing` says so (the
/// portal's not-found page when `missing` is `None`).
pub fn or_missing<T>(value: Option<T>, found: impl FnOnce(T) -> AnyView, missing: Option<fn() -> AnyView>) -> AnyView {
    match value {
        Some(value) => found(value),
        None => {
            set_not_found_status();
            missing.map_or_else(|| view! { <NotFound /> }.into_any(), |missing| missing())
        }
    }
}
