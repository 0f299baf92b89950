use domain::actions::{RunState, StepState};
use leptos::prelude::*;

const BADGE: &str = "inline-flex w-fit rounded-full px-2 py-0.5 text-xs font-medium";
const WAITING: &str = "bg-amber-100 text-amber-800 dark:bg-amber-900/40 dark:text-amber-300";
const MOVING: &str = "bg-sky-100 text-sky-800 dark:bg-sky-900/40 dark:text-sky-300";
const GOOD: &str = "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-300";
const BAD: &str = "bg-rose-100 text-rose-800 dark:bg-rose-900/40 dark:text-rose-300";
const UNDONE: &str = "bg-orange-100 text-orange-800 dark:bg-orange-900/40 dark:text-orange-300";
const QUIET: &str = "bg-slate-200 text-slate-700 dark:bg-slate-700 dark:text-slate-200";

/// Where a run is, in words, coloured so waiting, failed and undone runs stand out in a list.
/// `testid` names it for browser tests (the run page's own badge is `run-state`).
#[component]
pub fn RunStateBadge(state: RunState, #[prop(optional)] testid: Option<&'static str>) -> impl IntoView {
    let colour = match state {
        RunState::PendingApproval => WAITING,
        RunState::Queued | RunState::Running => MOVING,
        RunState::Succeeded => GOOD,
        RunState::Failed | RunState::Interrupted | RunState::Rejected => BAD,
        RunState::RolledBack => UNDONE,
        RunState::Cancelled | RunState::Expired => QUIET,
    };
    view! {
        <span data-testid=testid data-state=state.as_str() class=format!("{BADGE} {colour}")>{state.label()}</span>
    }
}

/// Where a step is.
#[component]
pub fn StepStateBadge(state: StepState) -> impl IntoView {
    let (colour, label) = match state {
        StepState::Running => (MOVING, "running"),
        StepState::Succeeded => (GOOD, "succeeded"),
        StepState::Failed => (BAD, "failed"),
        StepState::Undone => (UNDONE, "undone"),
    };
    view! { <span data-testid="step-state" class=format!("{BADGE} {colour}")>{label}</span> }
}
