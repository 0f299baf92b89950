use domain::audit::{Event, format_time};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::not_found::or_missing;
use crate::api::audit::{EventView, audit_event};
use crate::components::badge::OutcomeBadge;
use crate::components::pagination::PAGE_LINK as NAV;
use crate::components::loaded::loaded;
use crate::components::status::EmptyState;
use crate::url::audit_event_href;

/// One audit event: every recorded field, and whether its hash and link to the event before
/// it still hold.
#[component]
pub fn AuditEventPage() -> impl IntoView {
    let params = use_params_map();
    let seq = Memo::new(move |_| params.with(|map| map.get("seq").and_then(|seq| seq.parse::<i64>().ok()).filter(|seq| *seq > 0)));
    let event = Resource::new(move || seq.get(), |seq| async move {
        match seq {
            Some(seq) => audit_event(seq).await,
            None => Ok(None),
        }
    });
    view! {
        <nav aria-label="Breadcrumb" class="mb-4 text-sm text-slate-500">
            <a href="/audit" class="hover:underline">"Audit log"</a>
            " / "
            <span aria-current="page">{move || seq.get().map_or("unknown event".to_owned(), |seq| format!("event {seq}"))}</span>
        </nav>
        {loaded(event, "Loading the event…", |event| or_missing(event, |view| view! { <EventDetails view /> }.into_any(), Some(no_such_event)))}
    }
}

/// An event that was never recorded or has been pruned.
fn no_such_event() -> AnyView {
    view! {
        <Title text="Event not found" />
        <EmptyState title="No such event">
            "It has not been recorded, or it was pruned by the retention period. "
            <a href="/audit" class="underline">"Back to the audit log"</a>
        </EmptyState>
    }
    .into_any()
}

#[component]
fn EventDetails(view: EventView) -> impl IntoView {
    let EventView { event, hash_matches, links_to_previous, has_newer } = view;
    let Event { seq, at, actor, token_id, origin, action, service, environment, inputs, outcome, reason, request_id, client_addr, prev_hash, hash } = event;
    let inputs = serde_json::to_string_pretty(&inputs).unwrap_or_else(|_| inputs.to_string());
    let optional = |value: Option<String>| value.unwrap_or_else(|| "—".to_owned());
    let integrity = match (hash_matches, links_to_previous) {
        (false, _) => ("altered: its content no longer matches its hash", false),
        (true, Some(false)) => ("does not link to the event before it", false),
        (true, Some(true)) => ("content matches its hash and links to the event before it", true),
        (true, None) => ("content matches its hash (the event before it was pruned)", true),
    };
    let integrity_class = if integrity.1 { "text-emerald-700 dark:text-emerald-300" } else { "font-semibold text-rose-700 dark:text-rose-300" };
    let field = "text-slate-500";
    view! {
        <Title text=format!("Event {seq}") />
        <div class="mb-6 flex flex-wrap items-start justify-between gap-4">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">{format!("Event {seq}")}</h1>
                <p class="font-mono text-sm text-slate-600 dark:text-slate-400">{action.clone()}</p>
            </div>
            <OutcomeBadge outcome />
        </div>
        <dl class="mb-6 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
            <dt class=field>"Time"</dt><dd>{format_time(at)}</dd>
            <dt class=field>"Actor"</dt><dd class="font-medium">{actor}</dd>
            <dt class=field>"API token"</dt><dd class="font-mono">{optional(token_id)}</dd>
            <dt class=field>"Origin"</dt><dd>{origin.as_str()}</dd>
            <dt class=field>"Service"</dt><dd>{optional(service)}</dd>
            <dt class=field>"Environment"</dt><dd>{optional(environment)}</dd>
            <dt class=field>"Reason"</dt><dd>{optional(reason)}</dd>
            <dt class=field>"Request id"</dt><dd class="font-mono">{optional(request_id)}</dd>
            <dt class=field>"Client address"</dt><dd class="font-mono">{optional(client_addr)}</dd>
            <dt class=field>"Integrity"</dt><dd data-testid="integrity" class=integrity_class>{integrity.0}</dd>
            <dt class=field>"Hash"</dt><dd class="break-all font-mono text-xs">{hash}</dd>
            <dt class=field>"Previous hash"</dt><dd class="break-all font-mono text-xs">{prev_hash}</dd>
        </dl>
        <h2 class="mb-2 text-lg font-semibold">"Inputs"</h2>
        <p class="mb-2 text-sm text-slate-600 dark:text-slate-400">"As recorded, with secrets redacted before they were written."</p>
        <pre class="mb-6 overflow-x-auto rounded-lg border border-slate-200 bg-white p-4 text-xs dark:border-slate-800 dark:bg-slate-900">{inputs}</pre>
        <nav aria-label="Neighbouring events" class="flex gap-2 text-sm">
            {(seq > 1 && links_to_previous.is_some()).then(|| view! { <a href=audit_event_href(seq - 1) rel="prev" class=NAV>"Older event"</a> })}
            {has_newer.then(|| view! { <a href=audit_event_href(seq + 1) rel="next" class=NAV>"Newer event"</a> })}
            <a href="/audit" class=NAV>"Back to the audit log"</a>
        </nav>
    }
}
