use std::time::Duration;

use domain::audit::{AuditQuery, Event};
use leptos::prelude::*;

use super::audit_row::AuditRow;
use crate::api::audit::audit_since;

/// How often the viewer asks for events recorded since the newest it has.
const POLL_EVERY: Duration = Duration::from_secs(3);
/// Live rows kept on the page; older ones stay in the log, a reload shows them as a page.
const MAX_LIVE_ROWS: usize = 500;

/// What the live updates are doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiveState {
    /// Not started: the server-rendered page, or JavaScript is off.
    Off,
    Live,
    Paused,
    /// The last request failed; the next one is tried on schedule.
    Failed(String),
}

/// Events recorded after the first page was read, newest first, fetched every few seconds
/// from where the page left off: the store hands out events in sequence order, so none is
/// missed and none repeated.
#[derive(Clone, Copy)]
pub struct LiveFeed {
    rows: RwSignal<Vec<Event>>,
    state: RwSignal<LiveState>,
}

impl LiveFeed {
    /// Follows `query`'s filters from event `after` on, once the page runs in the browser.
    pub fn start(query: AuditQuery, after: i64) -> Self {
        let feed = Self { rows: RwSignal::new(Vec::new()), state: RwSignal::new(LiveState::Off) };
        let last = RwSignal::new(after);
        let busy = RwSignal::new(false);
        // Effects only run in the browser, so the server renders the page as it was read.
        Effect::new(move |_| {
            feed.state.set(LiveState::Live);
            let query = query.clone();
            let tick = move || {
                let paused = feed.state.try_get_untracked() == Some(LiveState::Paused);
                if paused || busy.try_get_untracked() != Some(false) {
                    return;
                }
                busy.set(true);
                let (query, after) = (query.clone(), last.get_untracked());
                leptos::task::spawn_local(async move {
                    // The page may have been left meanwhile: every update below is a `try_`.
                    match audit_since(query, after).await {
                        Ok(events) => feed.receive(events, last),
                        Err(error) => {
                            feed.state.try_update(|state| {
                                if *state != LiveState::Paused {
                                    *state = LiveState::Failed(error.to_string());
                                }
                            });
                        }
                    }
                    busy.try_set(false);
                });
            };
            if let Ok(handle) = set_interval_with_handle(tick, POLL_EVERY) {
                on_cleanup(move || handle.clear());
            }
        });
        feed
    }

    /// Whether any event has arrived live (reactive).
    pub fn has_rows(&self) -> bool {
        self.rows.with(|rows| !rows.is_empty())
    }

    fn receive(self, events: Vec<Event>, last: RwSignal<i64>) {
        if let Some(newest) = events.last() {
            last.try_set(newest.seq);
            self.rows.try_update(|rows| {
                let mut fresh: Vec<Event> = events.into_iter().rev().collect();
                fresh.append(rows);
                fresh.truncate(MAX_LIVE_ROWS);
                *rows = fresh;
            });
        }
        self.state.try_update(|state| {
            if matches!(state, LiveState::Failed(_)) {
                *state = LiveState::Live;
            }
        });
    }
}

/// The rows that arrived live, for the top of the events table.
#[component]
pub fn LiveRows(feed: LiveFeed) -> impl IntoView {
    view! {
        <For each=move || feed.rows.get() key=|event| event.seq let:event>
            <AuditRow event fresh=true />
        </For>
    }
}

/// Whether new events are arriving, with pause and resume. Without JavaScript it says the
/// page shows the log as it was when loaded.
#[component]
pub fn LiveStatus(feed: LiveFeed) -> impl IntoView {
    let button = "rounded-md border border-slate-300 px-2 py-0.5 text-xs font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";
    let count = move || feed.rows.with(Vec::len);
    let arrived = move || match count() {
        0 => String::new(),
        1 => " · 1 new event".to_owned(),
        n => format!(" · {n} new events"),
    };
    view! {
        <div data-testid="live-status" role="status" aria-live="polite" class="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
            {move || match feed.state.get() {
                LiveState::Off => view! { <span>"Showing the log as it was when this page loaded. Reload for newer events."</span> }.into_any(),
                LiveState::Live => view! {
                    <span class="inline-block h-2 w-2 animate-pulse rounded-full bg-emerald-500" aria-hidden="true"></span>
                    <span>"Live: new events appear at the top" {arrived}</span>
                    <button type="button" class=button on:click=move |_| feed.state.set(LiveState::Paused)>"Pause"</button>
                }.into_any(),
                LiveState::Paused => view! {
                    <span>"Paused" {arrived}</span>
                    <button type="button" class=button on:click=move |_| feed.state.set(LiveState::Live)>"Resume"</button>
                }.into_any(),
                LiveState::Failed(message) => view! {
                    <span class="text-rose-700 dark:text-rose-300">{format!("Live updates failed: {message} Retrying every few seconds.")}</span>
                }.into_any(),
            }}
        </div>
    }
}
