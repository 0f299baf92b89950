//! What a run's page says about the run itself: who asked for what, where and when, with
//! which inputs, what it ended with and where else to look.

use domain::actions::{RunDetail, RunLink, input_text};
use domain::audit::format_time;
use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::url::service_href;

const TERM: &str = "text-slate-500";

/// Requester, place and times.
#[component]
pub fn RunFacts(run: RunDetail) -> impl IntoView {
    let summary = run.summary;
    let time = |at: Option<i64>| at.map_or_else(|| "—".to_owned(), format_time);
    let environment = if summary.environment.is_empty() { "whole service".to_owned() } else { summary.environment.clone() };
    view! {
        <dl data-testid="run-facts" class="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
            <dt class=TERM>"Service"</dt>
            <dd><a href=service_href(&summary.service) class="text-indigo-700 hover:underline dark:text-indigo-300">{summary.service.clone()}</a></dd>
            <dt class=TERM>"Environment"</dt><dd data-testid="run-environment">{environment}</dd>
            <dt class=TERM>"Action"</dt>
            <dd>{summary.action_title.clone()} " " <span class="font-mono text-xs text-slate-500">{format!("{} · {}", summary.action_id, run.kind)}</span></dd>
            <dt class=TERM>"Requested by"</dt><dd data-testid="run-requester" class="font-medium">{summary.requester.clone()}</dd>
            <dt class=TERM>"Requested"</dt><dd>{format_time(summary.created_at)}</dd>
            {run.expires_at.filter(|_| !summary.state.is_final()).map(|at| view! {
                <dt class=TERM>"Expires"</dt><dd>{format_time(at)}</dd>
            })}
            <dt class=TERM>"Started"</dt><dd>{time(run.started_at)}</dd>
            <dt class=TERM>"Finished"</dt><dd>{time(summary.finished_at)}</dd>
            <dt class=TERM>"Run id"</dt><dd class="font-mono text-xs">{summary.id.clone()}</dd>
        </dl>
    }
}

/// The inputs the run was requested with.
#[component]
pub fn RunInputs(inputs: Map<String, Value>) -> impl IntoView {
    if inputs.is_empty() {
        return view! { <p class="text-sm text-slate-500">"No inputs."</p> }.into_any();
    }
    view! {
        <dl data-testid="run-inputs" class="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">
            {inputs.into_iter().map(|(name, value)| view! {
                <dt class="font-mono text-xs text-slate-500">{name}</dt>
                <dd class="whitespace-pre-wrap break-all font-mono text-xs">{input_text(&value)}</dd>
            }).collect_view()}
        </dl>
    }
    .into_any()
}

/// Why the run ended as it did, when the engine said.
#[component]
pub fn RunMessage(message: Option<String>, failed: bool) -> impl IntoView {
    let colour = if failed {
        "border-rose-200 bg-rose-50 text-rose-900 dark:border-rose-900 dark:bg-rose-950/50 dark:text-rose-200"
    } else {
        "border-slate-200 bg-slate-50 text-slate-800 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-200"
    };
    message.map(|text| view! {
        <p data-testid="run-message" class=format!("rounded-md border px-4 py-3 text-sm {colour}")>{text}</p>
    })
}

/// Links the run produced, such as the GitHub Actions run it started.
#[component]
pub fn RunLinks(links: Vec<RunLink>) -> impl IntoView {
    (!links.is_empty()).then(|| view! {
        <ul aria-label="Links" class="flex flex-wrap gap-3 text-sm">
            {links.into_iter().map(|link| view! {
                <li>
                    <a href=link.url data-testid="run-link" rel="noopener noreferrer external" target="_blank" class="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                        {link.title} <span aria-hidden="true">" ↗"</span>
                    </a>
                </li>
            }).collect_view()}
        </ul>
    })
}
