//! One field of an action's form, drawn from its schema: the control, its label, help text and
//! message. Names are `values[<field>]`, the shape the `request_run` server function reads, so
//! the same form posts without JavaScript.

use domain::actions::{InputField, InputKind};
use leptos::prelude::*;

use super::action_form_state::{FormState, checked};

pub const LABEL: &str = "block text-sm font-medium";
pub const CONTROL: &str = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 aria-[invalid=true]:border-rose-500 dark:border-slate-700 dark:bg-slate-900";
const HELP: &str = "mt-1 text-xs text-slate-600 dark:text-slate-400";

/// The id of a field's control; the form's error summary links to it.
pub fn control_id(name: &str) -> String {
    format!("field-{name}")
}

/// A field with its label, help and message. `environments` and `versions` are what the
/// pickers offer.
#[component]
pub fn ActionField(field: InputField, environments: Vec<String>, versions: Vec<String>, state: FormState) -> impl IntoView {
    let name = field.name.clone();
    let id = control_id(&name);
    let help_id = field.help.as_ref().map(|_| format!("{id}-help"));
    let error_id = format!("{id}-error");
    let described = {
        let (help_id, error_id, name) = (help_id.clone(), error_id.clone(), name.clone());
        move || {
            let ids: Vec<&str> = help_id.iter().map(String::as_str).chain(state.error(&name).map(|_| error_id.as_str())).collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = {
        let name = name.clone();
        move || state.error(&name).map(|_| "true")
    };
    let aria = Aria { described: Signal::derive(described), invalid: Signal::derive(invalid) };
    let boolean = matches!(field.kind, InputKind::Boolean);
    let label = view! {
        <label for=id.clone() class=if boolean { "text-sm font-medium" } else { LABEL }>
            {field.label.clone()}
            {field.required.then(|| view! { <span aria-hidden="true" class="ml-0.5 text-rose-600">"*"</span> })}
        </label>
    };
    let control = control(&field, id, environments, versions, state, aria);
    let message = {
        let name = name.clone();
        move || state.error(&name).map(|text| view! {
            <p id=error_id.clone() data-testid=format!("field-error-{name}") class="mt-1 text-sm text-rose-700 dark:text-rose-300">{text}</p>
        })
    };
    view! {
        <div data-field=name.clone()>
            {if boolean {
                view! { <div class="flex items-center gap-2">{control}{label}</div> }.into_any()
            } else {
                view! { {label}{control} }.into_any()
            }}
            {field.help.clone().map(|help| view! { <p id=help_id.clone() class=HELP>{help}</p> })}
            {message}
        </div>
    }
}

/// What every control says to assistive technology, kept current as the person types.
#[derive(Clone, Copy)]
struct Aria {
    described: Signal<Option<String>>,
    invalid: Signal<Option<&'static str>>,
}

fn control(field: &InputField, id: String, environments: Vec<String>, versions: Vec<String>, state: FormState, aria: Aria) -> AnyView {
    let name = field.name.clone();
    let post_name = format!("values[{name}]");
    let required = field.required;
    let on_input = {
        let name = name.clone();
        move |ev| state.set(&name, event_target_value(&ev))
    };
    let on_blur = {
        let name = name.clone();
        move |_| state.touch(&name)
    };
    let value = {
        let name = name.clone();
        move || state.value(&name)
    };
    let initial = state.initial(&name);
    let text = |n: Option<u32>| n.map(|n| n.to_string());
    match &field.kind {
        // A secret is not shown as typed, not remembered by the browser, and never put back
        // in the form from the server (see `request_run`).
        InputKind::String { pattern, min_length, max_length } => view! {
            <input type=if field.secret { "password" } else { "text" } autocomplete=field.secret.then_some("off")
                data-secret=field.secret.then_some("true") id=id name=post_name value=initial prop:value=value required=required
                pattern=pattern.clone() minlength=text(*min_length) maxlength=text(*max_length)
                aria-invalid=aria.invalid aria-describedby=aria.described on:input=on_input on:blur=on_blur class=CONTROL />
        }
        .into_any(),
        InputKind::Number { min, max, integer } => view! {
            <input type="number" id=id name=post_name value=initial prop:value=value required=required
                min=min.map(|n| n.to_string()) max=max.map(|n| n.to_string()) step=if *integer { "1" } else { "any" }
                aria-invalid=aria.invalid aria-describedby=aria.described on:input=on_input on:blur=on_blur class=CONTROL />
        }
        .into_any(),
        InputKind::Boolean => {
            let ticked = {
                let name = name.clone();
                move || checked(&state.value(&name))
            };
            let on_change = move |ev| state.set(&name, event_target_checked(&ev).to_string());
            view! {
                <input type="checkbox" id=id name=post_name value="true" checked=checked(&initial) prop:checked=ticked
                    aria-invalid=aria.invalid aria-describedby=aria.described on:change=on_change on:blur=on_blur
                    class="h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-2 focus:ring-indigo-500/40 dark:border-slate-700" />
            }
            .into_any()
        }
        InputKind::Enum { choices } => select(id, post_name, required, choices.clone(), state, name, aria),
        InputKind::Environment => select(id, post_name, required, environments, state, name, aria),
        InputKind::Text { max_length } => view! {
            <textarea id=id name=post_name rows="4" required=required maxlength=text(*max_length) prop:value=value
                autocomplete=field.secret.then_some("off") spellcheck=field.secret.then_some("false") data-secret=field.secret.then_some("true")
                aria-invalid=aria.invalid aria-describedby=aria.described on:input=on_input on:blur=on_blur class=CONTROL>
                {initial}
            </textarea>
        }
        .into_any(),
        InputKind::Version => {
            let list = format!("{id}-versions");
            view! {
                <input type="text" id=id name=post_name value=initial prop:value=value required=required list=list.clone()
                    autocomplete="off" spellcheck="false" maxlength="128"
                    aria-invalid=aria.invalid aria-describedby=aria.described on:input=on_input on:blur=on_blur class=format!("{CONTROL} font-mono") />
                <datalist id=list>
                    {versions.into_iter().map(|version| view! { <option value=version></option> }).collect_view()}
                </datalist>
            }
            .into_any()
        }
    }
}

/// A choice among `choices`; an empty first option unless a value is already chosen, so a
/// required choice is made on purpose.
fn select(id: String, post_name: String, required: bool, choices: Vec<String>, state: FormState, name: String, aria: Aria) -> AnyView {
    let initial = state.initial(&name);
    let unchosen = !choices.contains(&initial);
    let on_change = {
        let name = name.clone();
        move |ev| state.set(&name, event_target_value(&ev))
    };
    let on_blur = {
        let name = name.clone();
        move |_| state.touch(&name)
    };
    view! {
        <select id=id name=post_name required=required aria-invalid=aria.invalid aria-describedby=aria.described on:change=on_change on:blur=on_blur class=CONTROL>
            {unchosen.then(|| view! { <option value="" selected=true>"Choose…"</option> })}
            {choices.into_iter().map(|choice| {
                let chosen = {
                    let (name, choice) = (name.clone(), choice.clone());
                    move || state.value(&name) == choice
                };
                view! { <option value=choice.clone() selected=choice == initial prop:selected=chosen>{choice.clone()}</option> }
            }).collect_view()}
        </select>
    }
    .into_any()
}
