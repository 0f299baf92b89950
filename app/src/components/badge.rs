use leptos::prelude::*;

/// A service's lifecycle, coloured so production and deprecated stand out in a long list.
#[component]
pub fn LifecycleBadge(#[prop(into)] lifecycle: String) -> impl IntoView {
    let colour = match lifecycle.as_str() {
        "production" => "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-300",
        "experimental" => "bg-amber-100 text-amber-800 dark:bg-amber-900/40 dark:text-amber-300",
        "deprecated" => "bg-rose-100 text-rose-800 dark:bg-rose-900/40 dark:text-rose-300",
        _ => "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
    };
    view! { <span class=format!("inline-flex rounded-full px-2 py-0.5 text-xs font-medium {colour}")>{lifecycle}</span> }
}

/// A catalog tag.
#[component]
pub fn Tag(#[prop(into)] tag: String) -> impl IntoView {
    view! {
        <span class="inline-flex rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-600 dark:bg-slate-800 dark:text-slate-300">
            {tag}
        </span>
    }
}

/// How an audited request ended: refusals and failures stand out in a long log.
#[component]
pub fn OutcomeBadge(outcome: domain::audit::Outcome) -> impl IntoView {
    use domain::audit::Outcome;
    let colour = match outcome {
        Outcome::Success => "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-300",
        Outcome::Denied => "bg-amber-100 text-amber-800 dark:bg-amber-900/40 dark:text-amber-300",
        Outcome::Failure => "bg-rose-100 text-rose-800 dark:bg-rose-900/40 dark:text-rose-300",
    };
    view! { <span class=format!("inline-flex rounded-full px-2 py-0.5 text-xs font-medium {colour}")>{outcome.as_str()}</span> }
}
