//! A service's deployment history on its page: every version each environment started running,
//! newest first, with how it got there (which run, for whom, how that run ended) or that it was
//! deployed outside the portal. Pages follow each other by a link, so they work without
//! JavaScript.

use domain::audit::format_time;
use domain::delivery::{Deployment, DeploymentPage, Origin};
use leptos::prelude::*;

use super::environment_facts::VersionText;
use super::run_state::RunStateBadge;
use super::status::{EmptyState, ErrorState, Loading};
use super::table::DataTable;
use crate::api::environments::service_deployments;
use crate::url::{run_href, service_deployments_href};

/// The "Deployments" section of `service`'s page, showing the page of history older than
/// `before` (the newest page when `None`).
#[component]
pub fn DeploymentsSection(service: String, before: Signal<Option<i64>>) -> impl IntoView {
    let name = service.clone();
    let page = Resource::new(move || (name.clone(), before.get()), |(name, before)| service_deployments(name, before));
    view! {
        <section aria-labelledby="deployments" class="mt-6">
            <h2 id="deployments" class="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">"Deployments"</h2>
            <Suspense fallback=|| view! { <Loading label="Loading the deployments…" /> }>
                {move || {
                    let service = service.clone();
                    Suspend::new(async move {
                        match page.await {
                            Ok(page) if page.items.is_empty() && before.get_untracked().is_none() => no_deployments().into_any(),
                            Ok(page) => history(&service, page, before.get_untracked().is_some()).into_any(),
                            Err(error) => view! { <ErrorState error /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

fn no_deployments() -> impl IntoView {
    view! {
        <EmptyState title="No deployments yet">
            "A version joins this history when the portal deploys it (a promote or a rollback) "
            "or first sees it running in one of the service's environments."
        </EmptyState>
    }
}

fn history(service: &str, page: DeploymentPage, older_page: bool) -> impl IntoView + use<> {
    let DeploymentPage { items, older } = page;
    let newest = older_page.then(|| service_deployments_href(service, None));
    let older = older.map(|id| service_deployments_href(service, Some(id)));
    view! {
        <DataTable headers=&["When", "Environment", "Version", "How", "Outcome"] testid="deployments">
            {items.into_iter().map(|deployment| view! { <DeploymentRow deployment /> }).collect_view()}
        </DataTable>
        <nav aria-label="Deployment pages" class="mt-2 flex gap-4 text-sm">
            {newest.map(|href| view! { <a href=href class="text-indigo-700 hover:underline dark:text-indigo-300">"← Newest"</a> })}
            {older.map(|href| view! { <a href=href class="text-indigo-700 hover:underline dark:text-indigo-300">"Older deployments →"</a> })}
        </nav>
    }
}

#[component]
fn DeploymentRow(deployment: Deployment) -> impl IntoView {
    let Deployment { environment, version, at, origin, .. } = deployment;
    let cell = "px-4 py-2";
    let (how, outcome) = describe(origin);
    view! {
        <tr data-testid="deployment">
            <td class=format!("{cell} whitespace-nowrap tabular-nums text-slate-600 dark:text-slate-400")>{format_time(at)}</td>
            <td class=cell>{environment}</td>
            <td class=cell><VersionText version /></td>
            <td class=cell>{how}</td>
            <td class=cell>{outcome}</td>
        </tr>
    }
}

/// How the version got there, and how that went, for the row's last two cells.
fn describe(origin: Origin) -> (AnyView, AnyView) {
    let quiet = |text: &'static str| view! { <span class="text-slate-500">{text}</span> }.into_any();
    match origin {
        Origin::Portal { run, action, requester, state } => (
            view! {
                <a href=run_href(&run) class="text-indigo-700 hover:underline dark:text-indigo-300">{action_label(&action)}</a>
                " for "{requester}
            }
            .into_any(),
            match state {
                Some(state) => view! { <RunStateBadge state /> }.into_any(),
                None => quiet("run no longer kept"),
            },
        ),
        Origin::PutBack { run } => (
            view! { <a href=run_href(&run) class="text-indigo-700 hover:underline dark:text-indigo-300">"Put back by its run"</a> }.into_any(),
            quiet("after the deployment did not go through"),
        ),
        Origin::Outside => (view! { <span>"Outside the portal"</span> }.into_any(), quiet("seen running")),
        Origin::FirstSeen => (view! { <span>"Running when first seen"</span> }.into_any(), quiet("seen running")),
        Origin::Earlier => (view! { <span>"Recorded before the history said how"</span> }.into_any(), quiet("seen running")),
    }
}

/// `promote` → "Promote", as a run's action kind reads in a sentence.
fn action_label(kind: &str) -> String {
    let mut chars = kind.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect::<String>().replace('_', " ")).unwrap_or_default()
}
