//! The audit viewer's live part: events recorded after the first page was read, arriving at the
//! top of the table, with pause and resume.

use std::time::Duration;

use domain::audit::{AuditQuery, Event};
use leptos::prelude::*;

use super::audit_row::AuditRow;
use super::live::{Live, LiveState};
use crate::api::audit::audit_since;

/// How often the viewer asks for events recorded since the newest it has.
const POLL_EVERY: Duration = Duration::from_secs(3);
/// Live rows kept on the page; older ones stay in the log, a reload shows them as a page.
const MAX_LIVE_ROWS: usize = 500;

/// The events that arrived after the first page, newest first, and the newest one's number.
#[derive(Clone, Debug, Default)]
pub struct Arrived {
    rows: Vec<Event>,
    last: i64,
}

/// Events recorded after the first page was read, newest first, fetched every few seconds
/// from where the page left off: the store hands out events in sequence order, so none is
/// missed and none repeated.
#[derive(Clone, Copy)]
pub struct LiveFeed {
    live: Live<Arrived>,
}

impl LiveFeed {
    /// Follows `query`'s filters from event `after` on, once the page runs in the browser.
    pub fn start(query: AuditQuery, after: i64) -> Self {
        let live = Live::start(
            Arrived { rows: Vec::new(), last: after },
            POLL_EVERY,
            move |arrived: &Arrived| {
                let (query, after) = (query.clone(), arrived.last);
                Some(async move { audit_since(query, after).await.map_err(|error| error.to_string()) })
            },
            |arrived, events: Vec<Event>| {
                if let Some(newest) = events.last() {
                    arrived.last = newest.seq;
                    let mut fresh: Vec<Event> = events.into_iter().rev().collect();
                    fresh.append(&mut arrived.rows);
                    fresh.truncate(MAX_LIVE_ROWS);
                    arrived.rows = fresh;
                }
            },
        );
        Self { live }
    }

    /// Whether any event has arrived live (reactive).
    pub fn has_rows(&self) -> bool {
        self.arrived() > 0
    }

    /// How many events have arrived live and are shown (reactive).
    pub fn arrived(&self) -> usize {
        self.live.value.with(|arrived| arrived.rows.len())
    }
}

/// The rows that arrived live, for the top of the events table.
#[component]
pub fn LiveRows(feed: LiveFeed) -> impl IntoView {
    view! {
        <For each=move || feed.live.value.with(|arrived| arrived.rows.clone()) key=|event| event.seq let:event>
            <AuditRow event fresh=true />
        </For>
    }
}

/// Whether new events are arriving, with pause and resume. Without JavaScript it says the
/// page shows the log as it was when loaded.
#[component]
pub fn LiveStatus(feed: LiveFeed) -> impl IntoView {
    let button = "rounded-md border border-slate-300 px-2 py-0.5 text-xs font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";
    let count = move || feed.live.value.with(|arrived| arrived.rows.len());
    let arrived = move || match count() {
        0 => String::new(),
        1 => " · 1 new event".to_owned(),
        n => format!(" · {n} new events"),
    };
    view! {
        <div data-testid="live-status" role="status" aria-live="polite" class="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
            {move || match feed.live.state.get() {
                LiveState::Off => view! { <span>"Showing the log as it was when this page loaded. Reload for newer events."</span> }.into_any(),
                LiveState::Live => view! {
                    <span class="inline-block h-2 w-2 animate-pulse rounded-full bg-emerald-500" aria-hidden="true"></span>
                    <span>"Live: new events appear at the top" {arrived}</span>
                    <button type="button" class=button on:click=move |_| feed.live.pause()>"Pause"</button>
                }.into_any(),
                LiveState::Paused => view! {
                    <span>"Paused" {arrived}</span>
                    <button type="button" class=button on:click=move |_| feed.live.resume()>"Resume"</button>
                }.into_any(),
                LiveState::Failed(message) => view! {
                    <span class="text-rose-700 dark:text-rose-300">{format!("Live updates failed: {message} Retrying every few seconds.")}</span>
                }.into_any(),
            }}
        </div>
    }
}
