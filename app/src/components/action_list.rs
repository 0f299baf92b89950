//! The actions a visitor may run on a service, as its page lists them: grouped by where they
//! act (the service as a whole, then each environment), each a link to its form.

use domain::actions::{OfferedAction, RunQuery};
use leptos::prelude::*;

use super::environment_facts::ProductionBadge;
use super::status::{EmptyState, Loading};
use crate::api::ApiError;
use crate::url::{action_href, runs_href};

/// What [`offered_actions`](crate::api::actions::offered_actions) answered, shared by the
/// sections of a service's page that show actions.
pub type Offered = Resource<Result<Vec<OfferedAction>, ApiError>>;

/// The "Actions" section of `service`'s page.
#[component]
pub fn ActionsSection(service: String, offered: Offered) -> impl IntoView {
    let runs = runs_href(&RunQuery { service: Some(service), ..RunQuery::default() });
    view! {
        <section aria-labelledby="actions" class="mt-6">
            <div class="mb-2 flex items-baseline justify-between gap-3">
                <h2 id="actions" class="text-sm font-semibold uppercase tracking-wide text-slate-500">"Actions"</h2>
                <a href=runs class="text-sm text-indigo-700 hover:underline dark:text-indigo-300">"Runs of this service"</a>
            </div>
            <Suspense fallback=|| view! { <Loading label="Loading the actions…" /> }>
                {move || Suspend::new(async move {
                    match offered.await {
                        Ok(actions) if actions.is_empty() => no_actions().into_any(),
                        Ok(actions) => action_groups(actions).into_any(),
                        // Only this section failed: the rest of the page stays, with its status.
                        Err(error) => view! {
                            <p role="alert" class="rounded-lg border border-rose-200 bg-rose-50 p-4 text-sm text-rose-900 dark:border-rose-900 dark:bg-rose-950/50 dark:text-rose-200">
                                {format!("The actions could not be loaded. {error}")}
                            </p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn no_actions() -> impl IntoView {
    view! {
        <EmptyState title="No actions you may run here">
            "Actions are declared by the platform team in the portal's action files; those your role lets you run on this service appear here."
        </EmptyState>
    }
}

/// The whole service's actions first, then each environment's in the order they came (the
/// service's promotion order).
fn action_groups(actions: Vec<OfferedAction>) -> impl IntoView {
    let mut groups: Vec<(Option<String>, bool, Vec<OfferedAction>)> = Vec::new();
    for action in actions {
        match groups.iter_mut().find(|(environment, _, _)| *environment == action.environment) {
            Some((_, _, list)) => list.push(action),
            None => groups.push((action.environment.clone(), action.production, vec![action])),
        }
    }
    groups.sort_by_key(|(environment, _, _)| environment.is_some());
    view! {
        <div class="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
            {groups.into_iter().map(|(environment, production, actions)| view! {
                <div data-testid="action-group" class="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
                    <h3 class="mb-2 flex items-center gap-2 font-semibold">
                        {environment.clone().unwrap_or_else(|| "Whole service".to_owned())}
                        {production.then(|| view! { <ProductionBadge /> })}
                    </h3>
                    <ul class="space-y-2">
                        {actions.into_iter().map(|action| view! { <ActionItem action /> }).collect_view()}
                    </ul>
                </div>
            }).collect_view()}
        </div>
    }
}

#[component]
fn ActionItem(action: OfferedAction) -> impl IntoView {
    let href = action_href(&action.service, &action.id, action.environment.as_deref());
    view! {
        <li>
            <a href=href data-testid=link_testid("action-link", &action) class="group block rounded-md border border-slate-200 px-3 py-2 hover:border-indigo-300 hover:bg-indigo-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-slate-700 dark:hover:border-indigo-700 dark:hover:bg-indigo-950/40">
                <span class="flex flex-wrap items-center gap-2">
                    <span class="font-medium text-indigo-700 group-hover:underline dark:text-indigo-300">{action.title.clone()}</span>
                    <span class="font-mono text-xs text-slate-500">{action.kind.clone()}</span>
                    {action.needs_approval.then(|| view! { <ApprovalTag /> })}
                </span>
                {action.description.clone().map(|text| view! { <span class="mt-0.5 block text-sm text-slate-600 dark:text-slate-400">{text}</span> })}
            </a>
        </li>
    }
}

/// The actions of one environment, as small links on its card in the service's environments.
#[component]
pub fn EnvironmentActions(actions: Vec<OfferedAction>) -> impl IntoView {
    (!actions.is_empty()).then(|| {
        view! {
            <ul aria-label="Actions" class="flex flex-wrap gap-2">
                {actions.into_iter().map(|action| {
                    let href = action_href(&action.service, &action.id, action.environment.as_deref());
                    let title = action.description.clone().unwrap_or_default();
                    view! {
                        <li>
                            <a href=href title=title data-testid=link_testid("environment-action", &action) class="inline-flex items-center gap-1 rounded-md border border-indigo-300 px-3 py-1 text-sm font-medium text-indigo-700 hover:bg-indigo-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-indigo-800 dark:text-indigo-300 dark:hover:bg-indigo-950/40">
                                {action.title.clone()}
                                {action.needs_approval.then(|| view! { <ApprovalTag /> })}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}

/// Marks an action whose runs wait for someone's approval.
#[component]
fn ApprovalTag() -> impl IntoView {
    view! {
        <span class="inline-flex rounded bg-amber-100 px-1.5 py-0.5 text-[0.65rem] font-semibold uppercase tracking-wide text-amber-800 dark:bg-amber-900/40 dark:text-amber-300">
            "needs approval"
        </span>
    }
}

/// `action-link-restart-prod`, or `action-link-deploy` for an action on the whole service.
fn link_testid(prefix: &str, action: &OfferedAction) -> String {
    match &action.environment {
        Some(environment) => format!("{prefix}-{}-{environment}", action.id),
        None => format!("{prefix}-{}", action.id),
    }
}
