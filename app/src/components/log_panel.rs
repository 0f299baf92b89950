//! The scrolling panel of log lines: time, instance and text; stderr tinted, the portal's own
//! lines in italics, and notes where the stream dropped lines or had a problem.

use std::sync::Arc;

use domain::runtime::LogSource;
use leptos::prelude::*;

use super::log_feed::{Connection, LogFeed, Row};

/// Every row on the page that matches the filter. Scrolling up stops following the newest line.
#[component]
pub fn LogPanel(feed: LogFeed, download: String) -> impl IntoView {
    let last_top = StoredValue::new(0);
    let on_scroll = move |_| {
        let Some(panel) = feed.panel.get_untracked() else { return };
        let top = panel.scroll_top();
        let at_end = top + panel.client_height() >= panel.scroll_height() - 4;
        // Only the reader scrolls up: the page itself only ever scrolls to the end.
        if top < last_top.get_value() && !at_end && feed.follow.get_untracked() {
            feed.follow.set(false);
        }
        last_top.set_value(top);
    };
    let filter = Memo::new(move |_| feed.filter.with(|text| text.trim().to_lowercase()));
    let shown = move || filter.with(|filter| feed.rows.with(|rows| rows.iter().filter(|row| row.shown_with(filter)).cloned().collect::<Vec<_>>()));
    let placeholder = move || {
        if feed.connection.with(|state| *state == Connection::Off) {
            return None;
        }
        filter.with(|filter| {
            feed.rows.with(|rows| match (rows.is_empty(), rows.iter().any(|row| row.shown_with(filter))) {
                (true, _) => Some("Waiting for the first lines…".to_owned()),
                (false, false) => Some(format!("No line on this page contains “{filter}”.")),
                (false, true) => None,
            })
        })
    };
    let trimmed = move || match feed.trimmed.get() {
        0 => None,
        count => Some(view! {
            <Note text=format!("⋯ {count} older lines removed from this page to keep it fast. Download has every line the portal keeps.") />
        }),
    };
    view! {
        <div
            node_ref=feed.panel
            on:scroll=on_scroll
            tabindex="0"
            role="log"
            aria-live="off"
            aria-label="Log lines"
            data-testid="log-panel"
            // Without JavaScript the panel only holds the note about it.
            class=("h-[65vh]", move || feed.connection.with(|state| *state != Connection::Off))
            class="overflow-y-auto rounded-lg bg-slate-950 p-3 font-mono text-xs leading-5 text-slate-100 [overflow-anchor:none] focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
        >
            {move || (feed.connection.get() == Connection::Off).then(|| view! {
                <p data-testid="logs-need-js" class="text-slate-300">
                    "Live logs need JavaScript. "
                    <a href=download.clone() class="font-medium text-indigo-300 underline" download>"Download the lines kept so far"</a>
                    " as a text file."
                </p>
            })}
            {trimmed}
            <For each=shown key=|row| row.key() let:row>
                <LogRow row />
            </For>
            {move || placeholder().map(|text| view! { <p class="italic text-slate-400">{text}</p> })}
        </div>
    }
}

#[component]
fn LogRow(row: Arc<Row>) -> impl IntoView {
    match &*row {
        Row::Line { line, .. } => {
            let (source, tint) = match line.source {
                LogSource::Stdout => ("stdout", ""),
                LogSource::Stderr => ("stderr", "bg-rose-500/15 text-rose-200"),
                LogSource::Portal => ("portal", "italic text-sky-300"),
            };
            // The time of day, and the whole time on hover.
            let (clock, stamp) = (line.clock(), line.timestamp());
            view! {
                <div data-testid="log-line" data-source=source class=format!("flex gap-3 px-1 hover:bg-white/5 {tint}")>
                    <span class="shrink-0 tabular-nums text-slate-500" title=stamp>{clock}</span>
                    <span class="w-20 shrink-0 truncate text-slate-400" title=line.instance.clone()>{line.instance.clone()}</span>
                    <span class="min-w-0 flex-1 whitespace-pre-wrap break-all">{line.text.clone()}</span>
                </div>
            }
            .into_any()
        }
        Row::Note { text, .. } => view! { <Note text=text.clone() /> }.into_any(),
    }
}

/// A row about the stream rather than from it.
#[component]
fn Note(text: String) -> impl IntoView {
    view! {
        <p data-testid="log-note" role="note" class="my-1 rounded bg-amber-400/10 px-2 py-0.5 not-italic text-amber-200">{text}</p>
    }
}
