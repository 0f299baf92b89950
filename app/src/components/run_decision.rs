//! What a visitor may do with a run: approve or reject it while it waits, cancel it. Each is an
//! `ActionForm`: without JavaScript it posts and the server sends the browser back to the run,
//! with the refusal (if any) in the address for the same messages to show.

use domain::actions::{ApprovalRecord, Decision};
use domain::audit::format_time;
use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::api::actions::{CancelRun, DecideRun};

const BUTTON: &str = "rounded-md px-4 py-2 text-sm font-medium focus:outline-none focus-visible:ring-2 disabled:opacity-60";

/// Who approved or rejected so far, against how many approvals the run needs.
#[component]
pub fn RunApprovals(needed: u32, approvals: Vec<ApprovalRecord>) -> impl IntoView {
    let given = approvals.iter().filter(|a| a.decision == Decision::Approved).count();
    let count = if needed == 0 { "No approval needed.".to_owned() } else { format!("{given} of {needed} approvals given.") };
    view! {
        <p data-testid="approval-count" class="text-sm text-slate-600 dark:text-slate-400">{count}</p>
        {(!approvals.is_empty()).then(|| view! {
            <ul class="mt-2 space-y-2 text-sm">
                {approvals.into_iter().map(|record| {
                    let (word, colour) = match record.decision {
                        Decision::Approved => ("approved", "text-emerald-700 dark:text-emerald-300"),
                        Decision::Rejected => ("rejected", "text-rose-700 dark:text-rose-300"),
                    };
                    view! {
                        <li data-testid="approval-row" data-decision=word>
                            <span class="font-medium">{record.approver}</span> " "
                            <span class=colour>{word}</span>
                            <span class="text-slate-500">{format!(" · {}", format_time(record.at))}</span>
                            {record.comment.map(|comment| view! { <p class="mt-0.5 whitespace-pre-wrap text-slate-700 dark:text-slate-300">{comment}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

/// Approve and Reject with an optional comment, for a run waiting on the visitor; otherwise,
/// while it waits, why the visitor may not decide.
#[component]
pub fn DecisionPanel(id: String, approval: Result<(), String>, decide: ServerAction<DecideRun>) -> impl IntoView {
    if let Err(reason) = approval {
        return view! { <p data-testid="approval-refusal" class="text-sm text-slate-700 dark:text-slate-300">{reason}</p> }.into_any();
    }
    let pending = move || decide.pending().get();
    view! {
        <ActionForm action=decide>
            <input type="hidden" name="id" value=id />
            <label for="decision-comment" class="block text-sm font-medium">"Comment " <span class="font-normal text-slate-500">"(optional)"</span></label>
            <textarea id="decision-comment" name="comment" rows="2" maxlength="1000"
                class="mt-1 block w-full max-w-xl rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900"></textarea>
            <div class="mt-3 flex gap-2">
                <button type="submit" name="approve" value="true" data-testid="approve" disabled=pending
                    class=format!("{BUTTON} bg-emerald-600 text-white hover:bg-emerald-500 focus-visible:ring-emerald-500/60")>"Approve"</button>
                <button type="submit" name="approve" value="false" data-testid="reject" disabled=pending
                    class=format!("{BUTTON} border border-rose-300 text-rose-700 hover:bg-rose-50 focus-visible:ring-rose-500/60 dark:border-rose-800 dark:text-rose-300 dark:hover:bg-rose-950")>"Reject"</button>
            </div>
        </ActionForm>
        <Failure error=refusal(decide.value()) testid="decision-error" />
    }
    .into_any()
}

/// Cancel, for the requester and operators; once asked, what happens next.
#[component]
pub fn CancelPanel(id: String, may_cancel: bool, requested: bool, cancel: ServerAction<CancelRun>) -> impl IntoView {
    if requested {
        return view! {
            <p data-testid="cancel-requested" class="text-sm text-slate-700 dark:text-slate-300">
                "Cancelling: the run stops after its current step, and what it did is undone where the action says how."
            </p>
        }
        .into_any();
    }
    may_cancel
        .then(|| view! {
            <ActionForm action=cancel>
                <input type="hidden" name="id" value=id />
                <button type="submit" data-testid="cancel" disabled=move || cancel.pending().get()
                    class=format!("{BUTTON} border border-slate-300 hover:bg-slate-100 focus-visible:ring-slate-500/60 dark:border-slate-700 dark:hover:bg-slate-800")>
                    "Cancel run"
                </button>
            </ActionForm>
            <Failure error=refusal(cancel.value()) testid="cancel-error" />
        })
        .into_any()
}

/// Why the last decision or cancellation was refused, if it was.
fn refusal(value: MappedSignal<Option<Result<(), ApiError>>>) -> Signal<Option<String>> {
    Signal::derive(move || value.with(|value| value.as_ref().and_then(|result| result.as_ref().err()).map(ApiError::to_string)))
}

#[component]
fn Failure(error: Signal<Option<String>>, testid: &'static str) -> impl IntoView {
    move || {
        error.get().map(|text| view! {
            <p role="alert" data-testid=testid class="mt-2 text-sm text-rose-700 dark:text-rose-300">{text}</p>
        })
    }
}
