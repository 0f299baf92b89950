use domain::audit::{AuditQuery, Outcome, kinds, minute_text};
use leptos::prelude::*;
use leptos_router::components::Form;

const LABEL: &str = "block text-xs font-medium text-slate-600 dark:text-slate-400";
const CONTROL: &str = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 dark:border-slate-700 dark:bg-slate-900";

/// The audit log's filters. A GET form, so the filters live in the URL: without JavaScript the
/// browser loads the filtered page; hydrated, the router navigates to it without a reload.
/// Submitting starts from the newest matching event (the form carries no cursor).
#[component]
pub fn AuditFilters(query: AuditQuery) -> impl IntoView {
    let time = |value: Option<i64>| value.and_then(minute_text).unwrap_or_default();
    view! {
        <Form method="GET" action="/audit" attr:class="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4 lg:grid-cols-7 md:items-end" attr:role="search">
            <TextFilter id="audit-actor" name="actor" label="Actor" value=query.actor.clone() placeholder="GitHub login" />
            <TextFilter id="audit-action" name="action" label="Action" value=query.action.clone() placeholder="auth.sign_in" list="audit-actions" />
            <datalist id="audit-actions">
                {kinds::ALL.into_iter().map(|(action, records)| view! { <option value=action>{records}</option> }).collect_view()}
            </datalist>
            <TextFilter id="audit-service" name="service" label="Service" value=query.service.clone() placeholder="Service name" />
            <TextFilter id="audit-environment" name="environment" label="Environment" value=query.environment.clone() placeholder="prod" />
            <div>
                <label for="audit-outcome" class=LABEL>"Outcome"</label>
                <select id="audit-outcome" name="outcome" class=CONTROL>
                    <option value="">"Any"</option>
                    {Outcome::ALL
                        .into_iter()
                        .map(|outcome| view! { <option value=outcome.as_str() selected=query.outcome == Some(outcome)>{outcome.as_str()}</option> })
                        .collect_view()}
                </select>
            </div>
            <div>
                <label for="audit-from" class=LABEL>"From"</label>
                <input id="audit-from" type="datetime-local" name="from" value=time(query.from) aria-describedby="audit-utc" class=CONTROL />
            </div>
            <div>
                <label for="audit-to" class=LABEL>"To"</label>
                <input id="audit-to" type="datetime-local" name="to" value=time(query.to) aria-describedby="audit-utc" class=CONTROL />
            </div>
            {(query.per_page != domain::audit::DEFAULT_PER_PAGE).then(|| view! { <input type="hidden" name="per_page" value=query.per_page.to_string() /> })}
            <div class="col-span-2 flex flex-wrap items-center gap-2 md:col-span-4 lg:col-span-7">
                <button type="submit" class="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40">
                    "Apply filters"
                </button>
                <a href="/audit" class="rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800">"Clear"</a>
                <p id="audit-utc" class="text-xs text-slate-500">"Times are UTC; “To” is exclusive. Text filters match whole values."</p>
            </div>
        </Form>
    }
}

#[component]
fn TextFilter(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    value: Option<String>,
    placeholder: &'static str,
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional)]
    list: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div>
            <label for=id class=LABEL>{label}</label>
            <input id=id type="text" name=name value=value.unwrap_or_default() placeholder=placeholder list=list maxlength="200" autocomplete="off" class=CONTROL />
        </div>
    }
}
