//! A service's environments on its page: per environment, in promotion order, what runs there,
//! its conditions and its instances, with a link to the live logs and the actions the visitor
//! may run there.

use domain::actions::OfferedAction;
use domain::runtime::{GridCell, Instance, Observation, RuntimeStatus};
use leptos::prelude::*;

use super::action_list::{EnvironmentActions, Offered};
use super::environment_facts::{CellFacts, ProductionBadge, VersionText, ago_text, now_unix};
use super::status::{EmptyState, ErrorState, Loading};
use crate::api::environments::service_environments;
use crate::url::logs_href;

/// The "Environments" section of `service`'s page; `offered` adds each environment's actions
/// to its card.
#[component]
pub fn EnvironmentsSection(service: String, #[prop(optional)] offered: Option<Offered>) -> impl IntoView {
    let name = service.clone();
    let cells = Resource::new(move || name.clone(), service_environments);
    view! {
        <section aria-labelledby="environments" class="mt-6">
            <h2 id="environments" class="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">"Environments"</h2>
            <Suspense fallback=|| view! { <Loading label="Loading the environments…" /> }>
                {move || {
                    let service = service.clone();
                    Suspend::new(async move {
                        // The cards show the actions when they load; without them the cards
                        // are still right, so a failure here is shown by the actions section.
                        let actions = match offered {
                            Some(offered) => offered.await.unwrap_or_default(),
                            None => Vec::new(),
                        };
                        match cells.await {
                            Ok(cells) if cells.is_empty() => no_environments().into_any(),
                            Ok(cells) => environment_list(&service, cells, &actions).into_any(),
                            Err(error) => view! { <ErrorState error /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

fn no_environments() -> impl IntoView {
    view! {
        <EmptyState title="This service declares no environments">
            "List where it runs under "<code class="font-mono">"spec.environments"</code>" in its catalog-info.yaml "
            "(dev, then staging, then prod); docs/catalog.md describes the fields."
        </EmptyState>
    }
}

fn environment_list(service: &str, cells: Vec<GridCell>, actions: &[OfferedAction]) -> impl IntoView + use<> {
    let now = now_unix();
    let previous: Vec<Option<String>> =
        std::iter::once(None).chain(cells.iter().map(|cell| Some(cell.environment.clone()))).collect();
    view! {
        <ol class="space-y-3">
            {cells
                .into_iter()
                .zip(previous)
                .map(|(cell, previous)| {
                    let actions = actions.iter().filter(|a| a.environment.as_ref() == Some(&cell.environment)).cloned().collect();
                    view! { <EnvironmentCard service=service.to_owned() cell previous now actions /> }
                })
                .collect_view()}
        </ol>
    }
}

#[component]
fn EnvironmentCard(service: String, cell: GridCell, previous: Option<String>, now: i64, actions: Vec<OfferedAction>) -> impl IntoView {
    let status = cell.observation.as_ref().and_then(|observation| observation.status.as_ref().ok()).cloned();
    let observed = cell.observation.as_ref().map(|Observation { observed_at, .. }| observed_at.unix_timestamp());
    let logs = logs_href(&service, &cell.environment);
    let label = format!("Logs of {service} in {}", cell.environment);
    let (id, environment) = (cell.environment.clone(), cell.environment.clone());
    let runtime = format!("on {}", cell.runtime);
    let production = cell.production;
    view! {
        <li data-environment=id class="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
            <div class="flex flex-wrap items-center justify-between gap-3">
                <h3 class="flex items-center gap-2 font-semibold">
                    {environment}
                    {production.then(|| view! { <ProductionBadge /> })}
                    <span class="text-xs font-normal text-slate-500">{runtime}</span>
                </h3>
                <div class="flex flex-wrap items-center gap-2">
                    <EnvironmentActions actions />
                    <a href=logs aria-label=label class="rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-slate-700 dark:hover:bg-slate-800">
                        "Logs"
                    </a>
                </div>
            </div>
            <div class="mt-3 flex flex-wrap items-start gap-x-8 gap-y-3 text-sm">
                <CellFacts cell previous now />
                {status.clone().map(|status| view! { <MoreFacts status /> })}
                {observed.map(|at| view! { <p class="text-xs text-slate-500">{format!("observed {}", ago_text(at, now))}</p> })}
            </div>
            {status.map(|status| view! {
                <Conditions conditions=status.conditions />
                <Instances instances=status.instances now />
            })}
        </li>
    }
}

/// What the grid leaves out: the runtime's revision and how many instances are up to date.
#[component]
fn MoreFacts(status: RuntimeStatus) -> impl IntoView {
    view! {
        <dl class="grid grid-cols-[auto_auto] gap-x-3 gap-y-1 text-xs">
            <dt class="text-slate-500">"Revision"</dt>
            <dd class="font-mono">{status.revision.unwrap_or_else(|| "—".to_owned())}</dd>
            {status.updated.map(|updated| view! {
                <dt class="text-slate-500">"Up to date"</dt>
                <dd class="tabular-nums">{format!("{updated}/{}", status.desired)}</dd>
            })}
        </dl>
    }
}

#[component]
fn Conditions(conditions: Vec<String>) -> impl IntoView {
    (!conditions.is_empty()).then(|| {
        view! {
            <ul aria-label="Conditions" class="mt-3 list-inside list-disc space-y-0.5 text-xs text-slate-700 dark:text-slate-300">
                {conditions.into_iter().map(|condition| view! { <li>{condition}</li> }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn Instances(instances: Vec<Instance>, now: i64) -> impl IntoView {
    if instances.is_empty() {
        return view! { <p class="mt-3 text-xs text-slate-500">"No instances."</p> }.into_any();
    }
    let head = "px-2 py-1 font-medium";
    view! {
        <div class="mt-3 overflow-x-auto">
            <table data-testid="instances" class="min-w-full text-xs">
                <thead class="text-left text-slate-500">
                    <tr>
                        <th scope="col" class=head>"Instance"</th>
                        <th scope="col" class=head>"State"</th>
                        <th scope="col" class=head>"Version"</th>
                        <th scope="col" class=head>"Started"</th>
                        <th scope="col" class=head>"Restarts"</th>
                        <th scope="col" class=head>"Detail"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
                    {instances.into_iter().map(|instance| view! { <InstanceRow instance now /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn InstanceRow(instance: Instance, now: i64) -> impl IntoView {
    let Instance { id, state, version, started_at, restarts, detail } = instance;
    // Every runtime says "crashed" for an instance that died; other states are not alarming.
    let failed = matches!(state.as_str(), "crashed" | "failed");
    let dash = || view! { <span class="text-slate-400">"—"</span> };
    view! {
        <tr>
            <td class="px-2 py-1 font-mono">{id}</td>
            <td class="px-2 py-1" class=("text-rose-700", failed) class=("dark:text-rose-300", failed)>{state}</td>
            <td class="px-2 py-1">{match version {
                Some(version) => view! { <VersionText version /> }.into_any(),
                None => dash().into_any(),
            }}</td>
            <td class="px-2 py-1 whitespace-nowrap">{match started_at {
                Some(at) => ago_text(at.unix_timestamp(), now).into_any(),
                None => dash().into_any(),
            }}</td>
            <td class="px-2 py-1 tabular-nums">{restarts}</td>
            <td class="px-2 py-1">{match detail {
                Some(detail) => detail.into_any(),
                None => dash().into_any(),
            }}</td>
        </tr>
    }
}
