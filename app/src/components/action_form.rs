//! An action's form. Without JavaScript it is a plain form posting to the `request_run`
//! server function, which answers with a redirect: to the new run's page, or back here with
//! the error (and what was typed) in the address. With JavaScript it checks each field as the
//! person types, with the server's own rules, and sends the run without a reload.

use domain::actions::ActionForm;
use domain::actions::InputKind;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::action_field::{ActionField, CONTROL, LABEL, control_id};
use super::action_form_state::{CONFIRM, FormState};
use crate::api::ApiError;
use crate::api::actions::RequestRun;

/// The form of one action, to request a run. `submit` carries the last answer: a rejected
/// post's values and messages are shown again.
#[component]
pub fn RunForm(form: ActionForm, submit: ServerAction<RequestRun>) -> impl IntoView {
    let ActionForm { action, fields, choices, confirm_with, .. } = form;
    let kept = match submit.value().get_untracked() {
        Some(Err(ApiError::Invalid { fields, values, confirm })) => Some((values, confirm, fields)),
        _ => None,
    };
    let state = FormState::new(fields.clone(), choices.clone(), confirm_with.clone(), kept);
    // Once hydrated the form checks fields itself, so the browser's own bubbles stay away.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    // A post made with JavaScript that the server found invalid.
    Effect::new(move |_| {
        if let Some(Err(ApiError::Invalid { fields, .. })) = submit.value().get() {
            state.show_server_errors(fields);
            focus_first(state);
        }
    });
    let checkboxes = fields.iter().filter(|f| matches!(f.kind, InputKind::Boolean)).map(|f| f.name.clone()).collect::<Vec<_>>().join(",");
    let (action_id, service, environment) = (action.id.clone(), action.service.clone(), action.environment.clone());
    let on_submit = {
        let (action_id, service, environment) = (action_id.clone(), service.clone(), environment.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            match state.submit() {
                Ok((values, confirm)) => {
                    submit.dispatch(RequestRun {
                        action: action_id.clone(),
                        service: service.clone(),
                        environment: environment.clone(),
                        values,
                        confirm,
                        checkboxes: String::new(),
                    });
                }
                Err(()) => focus_first(state),
            }
        }
    };
    let button = if action.needs_approval { "Request approval" } else { "Run" };
    view! {
        <form method="post" action=RequestRun::url() novalidate=move || hydrated.get() on:submit=on_submit aria-label=action.title.clone()
            class="max-w-2xl space-y-5 rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
            <OtherError submit />
            <ErrorSummary state />
            <input type="hidden" name="action" value=action_id />
            <input type="hidden" name="service" value=service.clone() />
            {environment.map(|environment| view! { <input type="hidden" name="environment" value=environment /> })}
            {(!checkboxes.is_empty()).then(|| view! { <input type="hidden" name="checkboxes" value=checkboxes /> })}
            {fields.is_empty().then(|| view! { <p class="text-sm text-slate-600 dark:text-slate-400">"This action takes no inputs."</p> })}
            {fields.into_iter().map(|field| view! {
                <ActionField field environments=choices.environments.clone() versions=choices.versions.clone() state />
            }).collect_view()}
            {confirm_with.map(|name| view! { <ConfirmField name state /> })}
            <div class="flex items-center gap-3">
                <button type="submit" data-testid="submit-run" disabled=move || submit.pending().get()
                    class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500/60 disabled:opacity-60">
                    {button}
                </button>
                {move || submit.pending().get().then(|| view! { <span role="status" class="text-sm text-slate-600 dark:text-slate-400">"Sending…"</span> })}
            </div>
        </form>
    }
}

/// "Type checkout to confirm": production asks for the service's name again.
#[component]
fn ConfirmField(name: String, state: FormState) -> impl IntoView {
    let id = control_id(CONFIRM);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-help");
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || match state.error(CONFIRM) {
            Some(_) => format!("{hint_id} {error_id}"),
            None => hint_id.clone(),
        }
    };
    view! {
        <div class="rounded-md border border-violet-200 bg-violet-50 p-4 dark:border-violet-900 dark:bg-violet-950/40">
            <label for=id.clone() class=LABEL>
                "Type " <span class="font-mono">{name.clone()}</span> " to confirm"
                <span aria-hidden="true" class="ml-0.5 text-rose-600">"*"</span>
            </label>
            <p id=hint_id class="mt-1 text-xs text-slate-600 dark:text-slate-400">"This runs in production."</p>
            <input type="text" id=id name="confirm" data-testid="confirm" required autocomplete="off" spellcheck="false"
                value=state.initial_confirm() prop:value=move || state.confirm()
                aria-invalid=move || state.error(CONFIRM).map(|_| "true") aria-describedby=described
                on:input=move |ev| state.set_confirm(event_target_value(&ev)) on:blur=move |_| state.touch(CONFIRM)
                class=format!("{CONTROL} font-mono") />
            {move || state.error(CONFIRM).map(|text| view! {
                <p id=error_id.clone() data-testid="field-error-confirm" class="mt-1 text-sm text-rose-700 dark:text-rose-300">{text}</p>
            })}
        </div>
    }
}

/// Every problem at the top of the form, each linking to its field.
#[component]
fn ErrorSummary(state: FormState) -> impl IntoView {
    move || {
        let errors = state.errors();
        (!errors.is_empty()).then(|| view! {
            <div role="alert" data-testid="form-errors" class="rounded-md border border-rose-300 bg-rose-50 p-4 text-sm text-rose-900 dark:border-rose-900 dark:bg-rose-950/50 dark:text-rose-200">
                <p class="font-medium">"Some fields need attention:"</p>
                <ul class="mt-1 list-inside list-disc">
                    {errors.into_iter().map(|(name, message)| view! {
                        <li><a href=format!("#{}", control_id(&name)) class="underline">{message}</a></li>
                    }).collect_view()}
                </ul>
            </div>
        })
    }
}

/// A failure that is not about one field: a refusal, a conflict, a lost session.
#[component]
fn OtherError(submit: ServerAction<RequestRun>) -> impl IntoView {
    move || match submit.value().get() {
        Some(Err(error)) if !matches!(error, ApiError::Invalid { .. }) => {
            let sign_in = matches!(error, ApiError::SignedOut);
            Some(view! {
                <div role="alert" data-testid="form-error" class="rounded-md border border-rose-300 bg-rose-50 p-4 text-sm text-rose-900 dark:border-rose-900 dark:bg-rose-950/50 dark:text-rose-200">
                    <p>{error.to_string()}</p>
                    {sign_in.then(|| view! { <a href="/sign-in" class="mt-1 inline-block font-medium underline">"Sign in"</a> })}
                </div>
            })
        }
        _ => None,
    }
}

/// Moves the keyboard focus to the first field with a problem.
fn focus_first(state: FormState) {
    #[cfg(feature = "hydrate")]
    if let Some(name) = state.first_error() {
        use wasm_bindgen::JsCast;
        let element = document().get_element_by_id(&control_id(&name)).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = state;
}
