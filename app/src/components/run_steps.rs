use domain::actions::StepRecord;
use domain::audit::format_time;
use leptos::prelude::*;

use super::run_state::StepStateBadge;

/// A run's steps in order, compensations included: each with its state, times and output.
/// Keyed by what changes, so a running step's output updates without redrawing the others.
#[component]
pub fn RunSteps(steps: Signal<Vec<StepRecord>>) -> impl IntoView {
    view! {
        <Show when=move || steps.with(|steps| !steps.is_empty()) fallback=|| view! { <p class="text-sm text-slate-500">"No step has started yet."</p> }>
            <ol data-testid="run-steps" class="space-y-3">
                <For
                    each=move || steps.get()
                    key=|step| (step.seq, step.state.as_str(), step.finished_at, step.output.len())
                    let:step
                >
                    <StepRow step />
                </For>
            </ol>
        </Show>
    }
}

#[component]
fn StepRow(step: StepRecord) -> impl IntoView {
    let StepRecord { seq, name, compensation, state, output, started_at, finished_at } = step;
    let times = match finished_at {
        Some(end) => format!("{} – {}", format_time(started_at), format_time(end)),
        None => format!("since {}", format_time(started_at)),
    };
    let border = if compensation { "border-orange-200 dark:border-orange-900" } else { "border-slate-200 dark:border-slate-800" };
    view! {
        <li data-testid="step-row" data-step=seq data-step-state=state.as_str() data-compensation=compensation.then_some("true")
            class=format!("rounded-lg border bg-white p-3 dark:bg-slate-900 {border}")>
            <div class="flex flex-wrap items-center gap-2">
                <span class="tabular-nums text-xs text-slate-500">{format!("{seq}.")}</span>
                <span class="font-medium">{name}</span>
                {compensation.then(|| view! {
                    <span data-testid="step-undoing" class="inline-flex rounded bg-orange-100 px-1.5 py-0.5 text-[0.65rem] font-semibold uppercase tracking-wide text-orange-800 dark:bg-orange-900/40 dark:text-orange-300">
                        "undoing"
                    </span>
                })}
                <StepStateBadge state />
                <span class="text-xs text-slate-500">{times}</span>
            </div>
            {(!output.is_empty()).then(|| view! {
                <pre data-testid="step-output" class="mt-2 max-h-96 overflow-auto rounded bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">{output}</pre>
            })}
        </li>
    }
}
