use leptos::prelude::*;

use crate::api::ApiError;

/// Shown while a page's data loads.
#[component]
pub fn Loading(#[prop(into)] label: String) -> impl IntoView {
    view! {
        <div role="status" aria-live="polite" class="flex items-center gap-3 py-10 text-sm text-slate-500">
            <span class="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-slate-600"></span>
            {label}
        </div>
    }
}

/// A failure the user can do nothing about but report: what happened, and the request id.
#[component]
pub fn ErrorState(error: ApiError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::INTERNAL_SERVER_ERROR);
    }
    view! {
        <div role="alert" class="rounded-lg border border-rose-200 bg-rose-50 p-4 text-sm text-rose-900 dark:border-rose-900 dark:bg-rose-950/50 dark:text-rose-200">
            <p class="font-medium">"This page could not be loaded."</p>
            <p class="mt-1">{error.to_string()}</p>
        </div>
    }
}

/// Nothing to show, with what the user can do about it.
#[component]
pub fn EmptyState(#[prop(into)] title: String, children: Children) -> impl IntoView {
    view! {
        <div class="rounded-lg border border-dashed border-slate-300 p-10 text-center dark:border-slate-700">
            <p class="font-medium">{title}</p>
            <div class="mt-2 text-sm text-slate-600 dark:text-slate-400">{children()}</div>
        </div>
    }
}
