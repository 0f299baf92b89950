//! Keeps the environments grid current: with JavaScript on, the page asks again for the same
//! page of the grid (same filters) every few seconds.

use std::time::Duration;

use domain::catalog::ServiceQuery;
use domain::runtime::GridPage;
use leptos::prelude::*;

use super::environment_facts::{clock_text, now_unix};
use crate::api::environments::environment_grid;

/// How often the page asks again. The server's poller decides how fresh the answers are.
const REFRESH_EVERY: Duration = Duration::from_secs(5);

#[derive(Clone, Debug, PartialEq, Eq)]
enum LiveState {
    /// Not started: the server-rendered page, or JavaScript is off.
    Off,
    Live,
    /// The last refresh failed; the next one is tried on schedule.
    Failed(String),
}

/// The grid's data, when it was last fetched, and whether refreshing works.
#[derive(Clone, Copy)]
pub struct LiveGrid {
    pub grid: RwSignal<GridPage>,
    /// When the grid was last fetched, in Unix seconds: also "now" for its relative times.
    pub updated: RwSignal<i64>,
    state: RwSignal<LiveState>,
}

impl LiveGrid {
    /// Starts from `page` (as rendered by the server) and, in the browser, refreshes it.
    pub fn start(page: GridPage) -> Self {
        let query: ServiceQuery = page.services.query.clone();
        let live = Self { grid: RwSignal::new(page), updated: RwSignal::new(now_unix()), state: RwSignal::new(LiveState::Off) };
        let busy = RwSignal::new(false);
        // Effects only run in the browser.
        Effect::new(move |_| {
            live.state.set(LiveState::Live);
            let query = query.clone();
            let tick = move || {
                if busy.try_get_untracked() != Some(false) {
                    return;
                }
                busy.set(true);
                let query = query.clone();
                leptos::task::spawn_local(async move {
                    // The page may have been left meanwhile: every update below is a `try_`.
                    match environment_grid(query).await {
                        Ok(page) => {
                            live.grid.try_set(page);
                            live.updated.try_set(now_unix());
                            live.state.try_set(LiveState::Live);
                        }
                        Err(error) => {
                            live.state.try_set(LiveState::Failed(error.to_string()));
                        }
                    }
                    busy.try_set(false);
                });
            };
            if let Ok(handle) = set_interval_with_handle(tick, REFRESH_EVERY) {
                on_cleanup(move || handle.clear());
            }
        });
        live
    }
}

/// "Updated 10:31:05 UTC", and whether the grid follows the runtimes live. Not a live region:
/// a screen reader would announce it every few seconds.
#[component]
pub fn LiveGridStatus(live: LiveGrid) -> impl IntoView {
    let text = move || {
        let at = clock_text(live.updated.get());
        match live.state.get() {
            LiveState::Off => format!("Updated {at} UTC. Reload the page for newer facts."),
            LiveState::Live => format!("Updated {at} UTC · refreshes every {} s", REFRESH_EVERY.as_secs()),
            LiveState::Failed(message) => format!("Updated {at} UTC. Refreshing failed: {message} Trying again every few seconds."),
        }
    };
    let failed = move || matches!(live.state.get(), LiveState::Failed(_));
    view! {
        <p
            data-testid="grid-updated"
            class="text-sm text-slate-600 dark:text-slate-400"
            class=("text-rose-700", failed)
        >
            {text}
        </p>
    }
}
