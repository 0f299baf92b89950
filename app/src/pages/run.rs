use domain::actions::{RunState, RunView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::not_found::or_missing;
use crate::api::actions::{CancelRun, DecideRun, run_view};
use crate::components::environment_facts::ProductionBadge;
use crate::components::run_decision::{CancelPanel, DecisionPanel, RunApprovals};
use crate::components::run_facts::{RunFacts, RunInputs, RunLinks, RunMessage};
use crate::components::run_live::{LiveRunStatus, live_run};
use crate::components::run_state::RunStateBadge;
use crate::components::run_steps::RunSteps;
use crate::components::loaded::loaded;
use crate::components::status::EmptyState;

const HEADING: &str = "mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500";
const PANEL: &str = "rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900";

/// One run: where it is, what it did step by step, and what the visitor may do about it.
/// Followed live until it ends.
#[component]
pub fn RunPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|map| map.get("id").unwrap_or_default()));
    let run = Resource::new(move || id.get(), run_view);
    // Created here, under the router, so a refusal of a form posted without JavaScript finds
    // its error in the address it was sent back to.
    let decide = ServerAction::<DecideRun>::new();
    let cancel = ServerAction::<CancelRun>::new();
    view! {
        <nav aria-label="Breadcrumb" class="mb-4 text-sm text-slate-500">
            <a href="/runs" class="hover:underline">"Runs"</a>
            " / "
            <span aria-current="page" class="font-mono">{move || id.get()}</span>
        </nav>
        {loaded(run, "Loading the run…", move |run| or_missing(run, |view| view! { <RunBody view decide cancel /> }.into_any(), Some(no_such_run)))}
    }
}

/// A run that does not exist, or that the visitor may not see.
fn no_such_run() -> AnyView {
    view! {
        <Title text="Run not found" />
        <EmptyState title="No such run">
            "There is no run with this id, or it is not yours to see. "
            <a href="/runs" class="underline">"Back to the runs"</a>
        </EmptyState>
    }
    .into_any()
}

#[component]
fn RunBody(view: RunView, decide: ServerAction<DecideRun>, cancel: ServerAction<CancelRun>) -> impl IntoView {
    let id = view.run.summary.id.clone();
    let title = format!("{} · run {id}", view.run.summary.action_title);
    let live = live_run(view);
    // After a decision or a cancellation (made with JavaScript), show its effect at once.
    Effect::watch(move || (decide.version().get(), cancel.version().get()), move |_, _, _| live.refresh(), false);
    // Each part redraws only when what it shows changed, so a comment being typed survives
    // the refreshes.
    let run = Memo::new(move |_| live.value.with(|view| view.run.clone()));
    let state = Memo::new(move |_| live.value.with(|view| view.run.summary.state));
    let decision = Memo::new(move |_| {
        live.value.with(|view| (view.run.summary.state, view.approval.clone(), view.run.approvals_needed, view.run.approvals.clone()))
    });
    let cancelling = Memo::new(move |_| live.value.with(|view| (view.may_cancel && !view.run.summary.state.is_final(), view.run.cancel_requested)));
    let steps = Memo::new(move |_| live.value.with(|view| view.run.steps.clone()));
    let (decide_id, cancel_id) = (id.clone(), id);
    view! {
        <Title text=title />
        <div class="mb-4 flex flex-wrap items-start justify-between gap-4">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">{move || run.with(|run| run.summary.action_title.clone())}</h1>
                <p class="mt-1 flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400">{move || place(&run.get())}</p>
            </div>
            {move || view! { <RunStateBadge state=state.get() testid="run-state" /> }}
        </div>
        <div class="mb-4"><LiveRunStatus live /></div>
        <div class="mb-4">
            {move || run.with(|run| {
                let failed = matches!(run.summary.state, RunState::Failed | RunState::Interrupted | RunState::RolledBack | RunState::Rejected);
                view! { <RunMessage message=run.message.clone() failed /> }
            })}
        </div>
        {move || {
            let (state, approval, needed, approvals) = decision.get();
            let shown = state == RunState::PendingApproval || needed > 0 || !approvals.is_empty();
            shown.then(|| {
                let id = decide_id.clone();
                view! {
                    <section aria-labelledby="approval" class=format!("mb-4 {PANEL}")>
                        <h2 id="approval" class=HEADING>"Approval"</h2>
                        <RunApprovals needed approvals />
                        {(state == RunState::PendingApproval).then(|| view! { <div class="mt-3"><DecisionPanel id approval decide /></div> })}
                    </section>
                }
            })
        }}
        {move || {
            let (may_cancel, requested) = cancelling.get();
            (may_cancel || requested).then(|| view! {
                <div class="mb-4"><CancelPanel id=cancel_id.clone() may_cancel requested cancel /></div>
            })
        }}
        <div class="mb-6 grid gap-4 lg:grid-cols-2">
            <section aria-labelledby="details" class=PANEL>
                <h2 id="details" class=HEADING>"Details"</h2>
                {move || view! { <RunFacts run=run.get() /> }}
            </section>
            <section aria-labelledby="inputs" class=PANEL>
                <h2 id="inputs" class=HEADING>"Inputs"</h2>
                {move || view! { <RunInputs inputs=run.with(|run| run.inputs.clone()) /> }}
                {move || view! { <div class="mt-3"><RunLinks links=run.with(|run| run.links.clone()) /></div> }}
            </section>
        </div>
        <section aria-labelledby="steps">
            <h2 id="steps" class=HEADING>"Steps"</h2>
            <RunSteps steps=steps.into() />
        </section>
    }
}

/// "on checkout in prod", with the production marker.
fn place(run: &domain::actions::RunDetail) -> impl IntoView + use<> {
    let summary = &run.summary;
    let text = if summary.environment.is_empty() {
        format!("on {} (whole service)", summary.service)
    } else {
        format!("on {} in {}", summary.service, summary.environment)
    };
    view! { <span>{text}</span> {summary.production.then(|| view! { <ProductionBadge /> })} }
}
