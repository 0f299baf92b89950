//! A value kept current in the browser, written once for every page that follows something
//! live (the environments grid, a run, the audit log): the page starts from what the server
//! rendered, and once it runs in the browser asks again on a schedule, never twice at once,
//! and says whether that works. Without JavaScript nothing here runs and the page stays as
//! rendered, with the words for that.

use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

use super::environment_facts::now_unix;

/// What the live updates are doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiveState {
    /// Not started: the server-rendered page, or JavaScript is off.
    Off,
    Live,
    /// Stopped by the reader; nothing is asked until they resume.
    Paused,
    /// The last request failed; the next one is tried on schedule.
    Failed(String),
}

/// The value as last fetched, when that was, and what the updates are doing.
pub struct Live<T: Send + Sync + 'static> {
    pub value: RwSignal<T>,
    /// When the value was last fetched, in Unix seconds.
    pub updated: RwSignal<i64>,
    pub state: RwSignal<LiveState>,
    /// Bumped to ask for a fetch now (after a change made on the page).
    wanted: RwSignal<u64>,
}

impl<T: Send + Sync + 'static> Clone for Live<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Live<T> {}

impl<T: Send + Sync + 'static> Live<T> {
    /// Starts from `initial` and, in the browser, every `every` asks `fetch` for a request
    /// built from the value as it stands (`None`: nothing left to follow, such as an ended
    /// run), then merges the answer in with `apply`. A request under way, or a pause, skips
    /// the tick rather than piling up behind a slow server.
    pub fn start<R, Fut>(
        initial: T,
        every: Duration,
        fetch: impl Fn(&T) -> Option<Fut> + 'static,
        apply: impl Fn(&mut T, R) + 'static,
    ) -> Self
    where
        R: 'static,
        Fut: Future<Output = Result<R, String>> + 'static,
    {
        let live = Self {
            value: RwSignal::new(initial),
            updated: RwSignal::new(now_unix()),
            state: RwSignal::new(LiveState::Off),
            wanted: RwSignal::new(0),
        };
        let busy = RwSignal::new(false);
        let apply = Rc::new(apply);
        let tick = Rc::new(move || {
            if busy.try_get_untracked() != Some(false) || live.state.try_get_untracked() == Some(LiveState::Paused) {
                return;
            }
            let Some(request) = live.value.try_with_untracked(|value| fetch(value)).flatten() else { return };
            busy.set(true);
            let apply = apply.clone();
            leptos::task::spawn_local(async move {
                // The page may have been left meanwhile: every update below is a `try_`.
                match request.await {
                    Ok(answer) => {
                        live.value.try_update(|value| apply(value, answer));
                        live.updated.try_set(now_unix());
                        live.state.try_update(|state| {
                            if *state != LiveState::Paused {
                                *state = LiveState::Live;
                            }
                        });
                    }
                    Err(message) => {
                        live.state.try_update(|state| {
                            if *state != LiveState::Paused {
                                *state = LiveState::Failed(message);
                            }
                        });
                    }
                }
                busy.try_set(false);
            });
        });
        // Effects only run in the browser, so the server renders the value as it was read.
        Effect::new({
            let tick = tick.clone();
            move |_| {
                live.state.set(LiveState::Live);
                let tick = tick.clone();
                if let Ok(handle) = set_interval_with_handle(move || tick(), every) {
                    on_cleanup(move || handle.clear());
                }
            }
        });
        Effect::watch(move || live.wanted.get(), move |_, _, _| tick(), false);
        live
    }

    /// Fetches now (after a change made on the page), unless a fetch is under way.
    pub fn refresh(self) {
        self.wanted.try_update(|wanted| *wanted += 1);
    }

    /// Stops asking until [`Self::resume`].
    pub fn pause(self) {
        self.state.set(LiveState::Paused);
    }

    pub fn resume(self) {
        self.state.set(LiveState::Live);
    }
}
