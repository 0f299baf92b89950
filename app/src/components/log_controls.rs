//! The live logs toolbar: filter, pause, follow, download, and the connection's state.

use leptos::prelude::*;

use super::log_feed::{Connection, LogFeed};

const BUTTON: &str = "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 aria-pressed:border-indigo-500 aria-pressed:bg-indigo-50 aria-pressed:text-indigo-800 dark:border-slate-700 dark:hover:bg-slate-800 dark:aria-pressed:bg-indigo-950 dark:aria-pressed:text-indigo-200";

/// The controls above the panel. Filter, pause and follow only exist once the page runs in the
/// browser; the download and the state are there from the first paint.
#[component]
pub fn LogControls(feed: LogFeed, download: String) -> impl IntoView {
    // A memo: reconnecting must not rebuild the controls (and take the focus from them).
    let live = Memo::new(move |_| feed.connection.with(|state| *state != Connection::Off));
    view! {
        <div class="mb-3 flex flex-wrap items-end gap-3">
            {move || live.get().then(|| view! { <LiveControls feed /> })}
            <a href=download class=BUTTON download>"Download"</a>
            <ConnectionState feed />
        </div>
    }
}

#[component]
fn LiveControls(feed: LogFeed) -> impl IntoView {
    let on_filter = move |event| {
        feed.filter.set(event_target_value(&event));
        if feed.follow.get_untracked() {
            feed.scroll_to_end();
        }
    };
    // One button whose label changes, so keyboard focus stays on it.
    let toggle_pause = move |_| if feed.paused.get_untracked() { feed.resume() } else { feed.pause() };
    let toggle_follow = move |_| {
        let follow = !feed.follow.get_untracked();
        feed.follow.set(follow);
        if follow {
            feed.scroll_to_end();
        }
    };
    let held = move || {
        feed.paused.get().then(|| match feed.held.get() {
            1 => "1 new line".to_owned(),
            count => format!("{count} new lines"),
        })
    };
    view! {
        <div class="min-w-56 flex-1">
            <label for="log-filter" class="block text-xs font-medium text-slate-600 dark:text-slate-400">"Filter"</label>
            <input
                id="log-filter"
                type="search"
                placeholder="Show lines containing…"
                prop:value=move || feed.filter.get()
                on:input=on_filter
                class="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 dark:border-slate-700 dark:bg-slate-900"
            />
        </div>
        <button type="button" class=BUTTON on:click=toggle_pause>
            {move || if feed.paused.get() { "Resume" } else { "Pause" }}
        </button>
        <span data-testid="held-lines" aria-live="polite" class="self-end py-1.5 text-sm text-amber-700 dark:text-amber-300">{held}</span>
        <button
            type="button"
            class=BUTTON
            aria-pressed=move || if feed.follow.get() { "true" } else { "false" }
            title="Keep the newest line in view"
            on:click=toggle_follow
        >
            "Follow"
        </button>
    }
}

#[component]
fn ConnectionState(feed: LogFeed) -> impl IntoView {
    let dot = move || match feed.connection.get() {
        Connection::Connected => "bg-emerald-500",
        Connection::Connecting | Connection::Reconnecting => "bg-amber-400 animate-pulse",
        Connection::Disconnected(_) => "bg-rose-500",
        Connection::Off => "bg-slate-400",
    };
    let text = move || match feed.connection.get() {
        Connection::Off => "Not connected".to_owned(),
        Connection::Connecting => "Connecting…".to_owned(),
        Connection::Connected => "Connected".to_owned(),
        Connection::Reconnecting => "Reconnecting…".to_owned(),
        Connection::Disconnected(reason) => format!("Disconnected: {reason}"),
    };
    view! {
        <p data-testid="connection" role="status" class="ml-auto flex items-center gap-2 self-end py-1.5 text-sm text-slate-600 dark:text-slate-400">
            <span aria-hidden="true" class=move || format!("inline-block h-2 w-2 rounded-full {}", dot())></span>
            {text}
        </p>
    }
}
