use domain::actions::RunSummary;
use domain::audit::format_time;
use leptos::prelude::*;

use super::environment_facts::ProductionBadge;
use super::run_state::RunStateBadge;
use super::table::DataTable;
use crate::url::{run_href, service_href};

const HEADERS: &[&str] = &["Action", "Service", "Environment", "Requested by", "State", "Requested", "Finished"];

/// Runs as the runs list and the approvals inbox show them, each linking to its page.
#[component]
pub fn RunTable(runs: Vec<RunSummary>, testid: &'static str) -> impl IntoView {
    view! {
        <DataTable headers=HEADERS testid=testid>
            {runs.into_iter().map(|run| view! { <RunRow run /> }).collect_view()}
        </DataTable>
    }
}

#[component]
fn RunRow(run: RunSummary) -> impl IntoView {
    let RunSummary { id, action_title, service, environment, production, requester, state, created_at, finished_at, .. } = run;
    let environment = if environment.is_empty() {
        view! { <span class="text-slate-500">"whole service"</span> }.into_any()
    } else {
        view! { <span class="flex items-center gap-1">{environment}{production.then(|| view! { <ProductionBadge /> })}</span> }.into_any()
    };
    view! {
        <tr data-testid="run-row" data-run=id.clone() class="align-top hover:bg-slate-50 dark:hover:bg-slate-800/50">
            <td class="px-4 py-2">
                <a href=run_href(&id) class="font-medium text-indigo-700 hover:underline dark:text-indigo-300">{action_title}</a>
                <p class="font-mono text-xs text-slate-500">{id.clone()}</p>
            </td>
            <td class="px-4 py-2"><a href=service_href(&service) class="hover:underline">{service.clone()}</a></td>
            <td class="px-4 py-2">{environment}</td>
            <td class="px-4 py-2">{requester}</td>
            <td class="px-4 py-2"><RunStateBadge state /></td>
            <td class="whitespace-nowrap px-4 py-2">{format_time(created_at)}</td>
            <td class="whitespace-nowrap px-4 py-2">{finished_at.map_or_else(|| "—".to_owned(), format_time)}</td>
        </tr>
    }
}
