use domain::actions::{RunQuery, RunState};
use leptos::prelude::*;
use leptos_router::components::Form;

const LABEL: &str = "block text-xs font-medium text-slate-600 dark:text-slate-400";
const CONTROL: &str = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 dark:border-slate-700 dark:bg-slate-900";

/// The runs list's filters: a GET form, so the filters live in the URL and work without
/// JavaScript. Each control sets its live value (`prop:`) too, for the same reason as the
/// services filters: hydrated, the router updates this form in place after "Clear".
#[component]
pub fn RunFilters(query: RunQuery) -> impl IntoView {
    view! {
        <Form method="GET" action="/runs" attr:class="mb-4 grid grid-cols-2 gap-3 md:grid-cols-6 md:items-end" attr:role="search">
            <TextFilter name="service" label="Service" value=query.service.clone() />
            <TextFilter name="environment" label="Environment" value=query.environment.clone() />
            <TextFilter name="action" label="Action" value=query.action.clone() />
            <TextFilter name="requester" label="Requested by" value=query.requester.clone() />
            <div>
                <label for="runs-state" class=LABEL>"State"</label>
                <select id="runs-state" name="state" class=CONTROL>
                    <option value="" selected=query.state.is_none() prop:selected=query.state.is_none()>"Any"</option>
                    {RunState::ALL
                        .into_iter()
                        .map(|state| {
                            let chosen = query.state == Some(state);
                            view! { <option value=state.as_str() selected=chosen prop:selected=chosen>{state.label()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="flex gap-2">
                <button type="submit" class="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40">
                    "Apply"
                </button>
                <a href="/runs" class="rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800">"Clear"</a>
            </div>
        </Form>
    }
}

#[component]
fn TextFilter(name: &'static str, label: &'static str, value: Option<String>) -> impl IntoView {
    let id = format!("runs-{name}");
    let value = value.unwrap_or_default();
    view! {
        <div>
            <label for=id.clone() class=LABEL>{label}</label>
            <input id=id type="search" name=name value=value.clone() prop:value=value class=CONTROL />
        </div>
    }
}
