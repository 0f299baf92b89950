//! Keeps the environments grid current: with JavaScript on, the page asks again for the same
//! page of the grid (same filters) every few seconds.

use std::time::Duration;

use domain::catalog::ServiceQuery;
use domain::runtime::GridPage;
use leptos::prelude::*;

use super::environment_facts::clock_text;
use super::live::{Live, LiveState};
use crate::api::environments::environment_grid;

/// How often the page asks again. The server's poller decides how fresh the answers are.
const REFRESH_EVERY: Duration = Duration::from_secs(5);

/// The grid as last fetched, refreshed in the browser.
pub type LiveGrid = Live<GridPage>;

/// Starts from `page` (as rendered by the server) and, in the browser, asks again for the same
/// page of the grid (same filters).
pub fn live_grid(page: GridPage) -> LiveGrid {
    let query: ServiceQuery = page.services.query.clone();
    Live::start(
        page,
        REFRESH_EVERY,
        move |_| {
            let query = query.clone();
            Some(async move { environment_grid(query).await.map_err(|error| error.to_string()) })
        },
        |grid, page| *grid = page,
    )
}

/// "Updated 10:31:05 UTC", and whether the grid follows the runtimes live. Not a live region:
/// a screen reader would announce it every few seconds.
#[component]
pub fn LiveGridStatus(live: LiveGrid) -> impl IntoView {
    let text = move || {
        let at = clock_text(live.updated.get());
        match live.state.get() {
            LiveState::Off | LiveState::Paused => format!("Updated {at} UTC. Reload the page for newer facts."),
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
