use domain::audit::{AuditPage, AuditQuery, Event};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::audit::audit_events_page;
use crate::components::audit_filters::AuditFilters;
use crate::components::audit_live::{LiveFeed, LiveRows, LiveStatus};
use crate::components::audit_row::AuditRow;
use crate::components::layout::PageHeader;
use crate::components::pagination::PAGE_LINK as NAV;
use crate::components::loaded::loaded_keeping;
use crate::components::status::EmptyState;
use crate::components::table::DataTable;
use crate::url::{audit_export_href, audit_href};

const HEADERS: &[&str] = &["Time", "Actor", "Action", "Target", "Outcome"];

/// The audit log: filters and cursor live in the URL; the first page follows new events live.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|map| AuditQuery::from_params(|key| map.get_str(key))));
    let page = Resource::new(move || query.get(), audit_events_page);
    view! {
        <Title text="Audit log" />
        <PageHeader
            title="Audit log"
            subtitle="Every sign-in, refusal, token change and action, newest first. Each event is chained to the one before it by its hash, so the command portico audit verify detects any edit or deletion."
        />
        {loaded_keeping(page, "Loading the audit log…", move |page| view! { <AuditEvents page query=query.get_untracked() /> }.into_any())}
    }
}

#[component]
fn AuditEvents(page: AuditPage, query: AuditQuery) -> impl IntoView {
    let first_page = query.before.is_none();
    // Only the first page follows new events: an older page is a fixed window of the past.
    let feed = first_page.then(|| LiveFeed::start(query.clone(), page.newest_seq.unwrap_or(0)));
    let older = page.next_before.map(|before| audit_href(&AuditQuery { before: Some(before), ..query.clone() }));
    let short = page.items.len() < query.per_page as usize;
    let body = match (page.items.is_empty(), feed) {
        (false, feed) => events_table(feed, page.items.clone()).into_any(),
        // An empty first page still follows the log: the table appears with the first new event.
        (true, Some(feed)) => {
            let (query, older) = (query.clone(), older.clone());
            (move || match feed.has_rows() {
                true => events_table(Some(feed), Vec::new()).into_any(),
                false => empty_state(&query, older.clone()).into_any(),
            })
            .into_any()
        }
        (true, None) => empty_state(&query, older.clone()).into_any(),
    };
    view! {
        <AuditFilters query=query.clone() />
        <div class="mb-3 flex flex-wrap items-center justify-between gap-3">
            {match feed {
                Some(feed) => view! { <LiveStatus feed /> }.into_any(),
                None => view! { <p class="text-sm text-slate-600 dark:text-slate-400">{format!("Events older than event {}.", query.before.unwrap_or_default())}</p> }.into_any(),
            }}
            <p class="flex gap-2 text-sm">
                "Download every matching event:"
                <a href=audit_export_href(&query, "csv") class="font-medium text-indigo-700 hover:underline dark:text-indigo-300" download>"CSV"</a>
                <a href=audit_export_href(&query, "json") class="font-medium text-indigo-700 hover:underline dark:text-indigo-300" download>"JSON"</a>
            </p>
        </div>
        {body}
        <nav aria-label="Pagination" class="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600 dark:text-slate-400">
            <p data-testid="audit-summary">{
                let (count, next_before) = (page.items.len(), page.next_before);
                // The events that arrived live are on the page too, so they are counted.
                move || page_summary(count + feed.map_or(0, |feed| feed.arrived()), next_before, short)
            }</p>
            <div class="flex items-center gap-2">
                {(!first_page).then(|| view! { <a href=audit_href(&query.first_page()) class=NAV>"Newest events"</a> })}
                {match older {
                    Some(href) => view! { <a href=href rel="next" class=NAV>"Older events"</a> }.into_any(),
                    None => view! { <span aria-disabled="true" class=format!("{NAV} text-slate-400 dark:text-slate-600")>"Older events"</span> }.into_any(),
                }}
            </div>
        </nav>
    }
}

fn events_table(feed: Option<LiveFeed>, rows: Vec<Event>) -> impl IntoView {
    view! {
        <DataTable headers=HEADERS testid="audit-events">
            {feed.map(|feed| view! { <LiveRows feed /> })}
            {rows.into_iter().map(|event| view! { <AuditRow event /> }).collect_view()}
        </DataTable>
    }
}

fn page_summary(count: usize, next_before: Option<i64>, short: bool) -> String {
    let shown = match count {
        0 => "No events on this page.".to_owned(),
        1 => "1 event.".to_owned(),
        n => format!("{n} events."),
    };
    match next_before {
        None => format!("{shown} No older events match."),
        // A budgeted search stopped early: say so, rather than let a short page look like the end.
        Some(before) if short => format!("{shown} The search stopped at event {before}; older events may match."),
        Some(_) => shown,
    }
}

fn empty_state(query: &AuditQuery, older: Option<String>) -> impl IntoView + use<> {
    match (older, query.is_filtered()) {
        (Some(older), _) => view! {
            <EmptyState title="No matching events among the most recent ones searched">
                "These filters rarely meet, so each page searches a slice of the log. "
                <a href=older class="underline">"Search older events"</a>
            </EmptyState>
        }
        .into_any(),
        (None, true) => view! {
            <EmptyState title="No events match these filters">
                <a href="/audit" class="underline">"Clear the filters"</a>
                " to see every event."
            </EmptyState>
        }
        .into_any(),
        (None, false) => view! {
            <EmptyState title="The audit log is empty">"Sign-ins, refusals and actions will appear here as they happen."</EmptyState>
        }
        .into_any(),
    }
}
