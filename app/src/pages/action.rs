use domain::actions::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::not_found::set_not_found_status;
use crate::api::ApiError;
use crate::api::actions::{RequestRun, action_form};
use crate::components::action_form::RunForm;
use crate::components::environment_facts::ProductionBadge;
use crate::components::status::{EmptyState, ErrorState, Loading};
use crate::url::service_href;

/// The form of one action on a service (`?environment=` for the environment it acts on):
/// fields drawn from the action's schema, checked as they are typed, and the run requested.
#[component]
pub fn ActionPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = Memo::new(move |_| {
        let (service, action) = params.with(|map| (map.get("name").unwrap_or_default(), map.get("action").unwrap_or_default()));
        let environment = query.with(|map| map.get("environment")).filter(|e| !e.is_empty());
        (action, service, environment)
    });
    let form = Resource::new(move || key.get(), |(action, service, environment)| action_form(action, service, environment));
    // Created here, under the router, so a rejected post without JavaScript finds its error
    // in the address it was sent back to.
    let submit = ServerAction::<RequestRun>::new();
    let service = move || key.with(|(_, service, _)| service.clone());
    view! {
        <nav aria-label="Breadcrumb" class="mb-4 text-sm text-slate-500">
            <a href="/services" class="hover:underline">"Services"</a>
            " / "
            <a href=move || service_href(&service()) class="hover:underline">{service}</a>
            " / "
            <span aria-current="page">{move || key.with(|(action, _, _)| action.clone())}</span>
        </nav>
        <Suspense fallback=|| view! { <Loading label="Loading the form…" /> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(form) => view! { <FormPage form submit /> }.into_any(),
                    Err(ApiError::NotFound(message)) => {
                        set_not_found_status();
                        view! {
                            <Title text="Action not found" />
                            <EmptyState title="No such action here">
                                {message} " "
                                <a href=service_href(&key.get_untracked().1) class="underline">"Back to the service"</a>
                            </EmptyState>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorState error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FormPage(form: ActionForm, submit: ServerAction<RequestRun>) -> impl IntoView {
    let action = form.action.clone();
    let place = match &action.environment {
        Some(environment) => format!("on {} in {environment}", action.service),
        None => format!("on {}", action.service),
    };
    view! {
        <Title text=format!("{} · {}", action.title, action.service) />
        <div class="mb-6">
            <h1 class="flex flex-wrap items-center gap-2 text-2xl font-semibold tracking-tight">
                {action.title.clone()}
                {action.production.then(|| view! { <ProductionBadge /> })}
            </h1>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">
                {place} " · " <span class="font-mono">{action.kind.clone()}</span>
            </p>
            {action.description.clone().map(|text| view! { <p class="mt-2 max-w-3xl text-slate-700 dark:text-slate-300">{text}</p> })}
        </div>
        {form.approval.clone().map(|who| view! {
            <div role="note" data-testid="approval-needed" class="mb-4 max-w-2xl rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200">
                <p class="font-medium">"This run waits for approval before it starts."</p>
                <p>{format!("Needs {who}. You cannot approve your own request.")}</p>
            </div>
        })}
        <RunForm form submit />
    }
}
