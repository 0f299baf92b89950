//! Keeps a run's page current: with JavaScript on, the page asks for the run again every
//! second until it ends. Without it, the page offers a plain "Refresh" link.

use std::time::Duration;

use domain::actions::RunView;
use leptos::prelude::*;

use crate::api::actions::run_view;
use crate::url::run_href;

/// How often an unfinished run is fetched again.
const REFRESH_EVERY: Duration = Duration::from_secs(1);

#[derive(Clone, Debug, PartialEq, Eq)]
enum LiveState {
    /// Not started: the server-rendered page, or JavaScript is off.
    Off,
    Live,
    /// The last refresh failed; the next one is tried on schedule.
    Failed(String),
}

/// The run as last fetched.
#[derive(Clone, Copy)]
pub struct LiveRun {
    pub view: RwSignal<RunView>,
    state: RwSignal<LiveState>,
    /// A fetch is under way: ticks skip rather than pile up behind a slow server.
    busy: RwSignal<bool>,
}

impl LiveRun {
    /// Starts from `view` (as rendered by the server) and, in the browser, refreshes it while
    /// the run has not ended.
    pub fn start(view: RunView) -> Self {
        let live = Self { view: RwSignal::new(view), state: RwSignal::new(LiveState::Off), busy: RwSignal::new(false) };
        // Effects only run in the browser.
        Effect::new(move |_| {
            if live.is_final_untracked() {
                return;
            }
            live.state.set(LiveState::Live);
            let handle = StoredValue::new(None::<IntervalHandle>);
            let tick = move || {
                if live.is_final_untracked() {
                    // An ended run never changes again: stop asking.
                    if let Some(handle) = handle.try_get_value().flatten() {
                        handle.clear();
                    }
                    return;
                }
                live.refresh();
            };
            if let Ok(interval) = set_interval_with_handle(tick, REFRESH_EVERY) {
                handle.set_value(Some(interval));
                on_cleanup(move || interval.clear());
            }
        });
        live
    }

    /// Fetches the run now (after a decision, say), unless a fetch is under way.
    pub fn refresh(self) {
        if self.busy.try_get_untracked() != Some(false) {
            return;
        }
        let Some(id) = self.view.try_with_untracked(|view| view.run.summary.id.clone()) else { return };
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            // The page may have been left meanwhile: every update below is a `try_`.
            match run_view(id).await {
                Ok(Some(view)) => {
                    self.view.try_set(view);
                    self.state.try_set(LiveState::Live);
                }
                Ok(None) => {
                    self.state.try_set(LiveState::Failed("the run is no longer there.".to_owned()));
                }
                Err(error) => {
                    self.state.try_set(LiveState::Failed(error.to_string()));
                }
            }
            self.busy.try_set(false);
        });
    }

    fn is_final_untracked(self) -> bool {
        self.view.try_with_untracked(|view| view.run.summary.state.is_final()).unwrap_or(true)
    }
}

/// Whether the page follows the run, with a "Refresh" link when it does not.
#[component]
pub fn LiveRunStatus(live: LiveRun) -> impl IntoView {
    let id = live.view.with_untracked(|view| view.run.summary.id.clone());
    let ended = move || live.view.with(|view| view.run.summary.state.is_final());
    let href = run_href(&id);
    let refresh = move || view! { <a href=href.clone() data-testid="refresh" class="font-medium text-indigo-700 hover:underline dark:text-indigo-300">"Refresh"</a> };
    view! {
        <p data-testid="run-live" class="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
            {move || match (ended(), live.state.get()) {
                (true, _) => view! { <span>"This run has ended."</span> }.into_any(),
                (false, LiveState::Off) => view! { <span>"Showing the run as it was when this page loaded."</span> {refresh()} }.into_any(),
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
