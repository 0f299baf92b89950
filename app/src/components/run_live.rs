//! Keeps a run's page current: with JavaScript on, the page asks for the run again every
//! second until it ends. Without it, the page offers a plain "Refresh" link.

use std::time::Duration;

use domain::actions::RunView;
use leptos::prelude::*;

use super::live::{Live, LiveState};
use crate::api::actions::run_view;
use crate::url::run_href;

/// How often an unfinished run is fetched again.
const REFRESH_EVERY: Duration = Duration::from_secs(1);

/// The run as last fetched, refreshed in the browser until it ends.
pub type LiveRun = Live<RunView>;

/// Starts from `view` (as rendered by the server) and, in the browser, fetches the run again
/// while it has not ended (an ended run never changes again).
pub fn live_run(view: RunView) -> LiveRun {
    Live::start(
        view,
        REFRESH_EVERY,
        |view: &RunView| {
            let id = view.run.summary.id.clone();
            (!view.run.summary.state.is_final()).then_some(async move {
                match run_view(id).await {
                    Ok(Some(view)) => Ok(view),
                    Ok(None) => Err("the run is no longer there.".to_owned()),
                    Err(error) => Err(error.to_string()),
                }
            })
        },
        |view, fresh| *view = fresh,
    )
}

/// Whether the page follows the run, with a "Refresh" link when it does not.
#[component]
pub fn LiveRunStatus(live: LiveRun) -> impl IntoView {
    let id = live.value.with_untracked(|view| view.run.summary.id.clone());
    let ended = move || live.value.with(|view| view.run.summary.state.is_final());
    let href = run_href(&id);
    let refresh = move || view! { <a href=href.clone() data-testid="refresh" class="font-medium text-indigo-700 hover:underline dark:text-indigo-300">"Refresh"</a> };
    view! {
        <p data-testid="run-live" class="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
            {move || match (ended(), live.state.get()) {
                (true, _) => view! { <span>"This run has ended."</span> }.into_any(),
                (false, LiveState::Off | LiveState::Paused) => view! { <span>"Showing the run as it was when this page loaded."</span> {refresh()} }.into_any(),
                (false, LiveState::Live) => view! {
                    <span class="inline-block h-2 w-2 animate-pulse rounded-full bg-emerald-500" aria-hidden="true"></span>
                    <span>"Live: updates every second"</span>
                }.into_any(),
                (false, LiveState::Failed(message)) => view! {
                    <span class="text-rose-700 dark:text-rose-300">{format!("Updating failed: {message} Trying again every second.")}</span>
                }.into_any(),
            }}
        </p>
    }
}
