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

/// A failure: a refusal says which role is needed, a lost session links to sign-in, anything
/// else gives the request id to report. The status code matches, for scripts and crawlers.
#[component]
pub fn ErrorState(error: ApiError) -> impl IntoView {
    let status = error.status();
    let title = match &error {
        ApiError::Forbidden(_) => "You do not have access to this page.",
        ApiError::SignedOut => "You are signed out.",
        ApiError::NotFound(_) => "This could not be found.",
        ApiError::Conflict(_) => "This changed meanwhile.",
        ApiError::Invalid { .. } => "This request was not valid.",
        ApiError::Internal { .. } | ApiError::Transport(_) => "This page could not be loaded.",
    };
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.http_status());
    }
    let sign_in = matches!(error, ApiError::SignedOut);
    view! {
        <div role="alert" data-status=status class="rounded-lg border border-rose-200 bg-rose-50 p-4 text-sm text-rose-900 dark:border-rose-900 dark:bg-rose-950/50 dark:text-rose-200">
            <p class="font-medium">{title}</p>
            <p class="mt-1">{error.to_string()}</p>
            {sign_in.then(|| view! { <a href="/sign-in" class="mt-2 inline-block font-medium underline">"Sign in"</a> })}
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
