//! The services × environments table. Its data sits in a signal that live updates replace;
//! rows, columns and cells are keyed, so a refresh only rewrites the cells whose facts changed
//! and a keyboard user's focus stays where it was.

use domain::runtime::{GridCell, GridPage};
use leptos::prelude::*;

use super::environment_facts::{CellFacts, ProductionBadge};
use crate::url::{logs_href, service_href};

/// The grid of `grid`'s current page; `now` dates the "deployed … ago" texts.
#[component]
pub fn EnvironmentGrid(grid: RwSignal<GridPage>, now: RwSignal<i64>) -> impl IntoView {
    let columns = Memo::new(move |_| grid.with(|page| page.columns.clone()));
    let services = Memo::new(move |_| grid.with(|page| page.rows.iter().map(|row| row.service.clone()).collect::<Vec<_>>()));
    view! {
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table data-testid="environment-grid" class="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
                <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 dark:bg-slate-900 dark:text-slate-400">
                    <tr>
                        <th scope="col" class="px-4 py-2">"Service"</th>
                        <For each=move || columns.get() key=String::clone let:column>
                            <ColumnHeader column grid />
                        </For>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
                    <For each=move || services.get() key=String::clone let:service>
                        <ServiceRow service columns grid now />
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// A service's name, then one cell per column.
#[component]
fn ServiceRow(service: String, columns: Memo<Vec<String>>, grid: RwSignal<GridPage>, now: RwSignal<i64>) -> impl IntoView {
    let (id, name, href) = (service.clone(), service.clone(), service_href(&service));
    view! {
        <tr data-service=id class="align-top">
            <th scope="row" class="whitespace-nowrap px-4 py-3 text-left font-medium">
                <a href=href class="rounded text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-300">
                    {name}
                </a>
            </th>
            <For each=move || columns.get() key=String::clone let:column>
                <Cell service=service.clone() column grid now />
            </For>
        </tr>
    }
}

/// An environment column's name, marked when any service runs production there.
#[component]
fn ColumnHeader(column: String, grid: RwSignal<GridPage>) -> impl IntoView {
    let name = column.clone();
    let production = Memo::new(move |_| {
        grid.with(|page| page.rows.iter().flat_map(|row| &row.cells).any(|cell| cell.environment == name && cell.production))
    });
    let id = column.clone();
    view! {
        <th scope="col" data-environment=id class="px-4 py-2">
            <span class="flex items-center gap-2">
                {column}
                {move || production.get().then(|| view! { <ProductionBadge /> })}
            </span>
        </th>
    }
}

/// One service in one environment: its facts linking to its logs, or a dash when the service
/// has no such environment.
#[component]
fn Cell(service: String, column: String, grid: RwSignal<GridPage>, now: RwSignal<i64>) -> impl IntoView {
    let (row_name, cell_name) = (service.clone(), column.clone());
    // The cell and the name of the environment before it in the service's path.
    let found = Memo::new(move |_| grid.with(|page| find(page, &row_name, &cell_name)));
    let present = Memo::new(move |_| found.with(Option::is_some));
    let label = format!("Logs of {service} in {column}");
    let href = logs_href(&service, &column);
    let missing = format!("{service} has no {column} environment");
    view! {
        <td data-environment=column class="px-4 py-3">
            {move || if present.get() {
                view! {
                    <a
                        href=href.clone()
                        title=label.clone()
                        class="-m-1 block rounded p-1 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:hover:bg-slate-800/60"
                    >
                        {move || found.get().map(|(cell, previous)| view! { <CellFacts cell previous now=now.get() /> })}
                    </a>
                }
                .into_any()
            } else {
                view! { <span class="text-slate-400" title=missing.clone()>"—"</span> }.into_any()
            }}
        </td>
    }
}

fn find(page: &GridPage, service: &str, environment: &str) -> Option<(GridCell, Option<String>)> {
    let row = page.rows.iter().find(|row| row.service == service)?;
    let at = row.cells.iter().position(|cell| cell.environment == environment)?;
    let previous = at.checked_sub(1).map(|before| row.cells[before].environment.clone());
    Some((row.cells[at].clone(), previous))
}
