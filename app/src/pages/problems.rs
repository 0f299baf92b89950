use domain::catalog::Problem;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::catalog::catalog_problems;
use crate::components::layout::PageHeader;
use crate::components::status::{EmptyState, ErrorState, Loading};
use crate::components::table::DataTable;

/// Every manifest problem found when the catalog was last read, by file and line.
#[component]
pub fn ProblemsPage() -> impl IntoView {
    let problems = Resource::new(|| (), |_| catalog_problems());
    view! {
        <Title text="Catalog problems" />
        <PageHeader
            title="Catalog problems"
            subtitle="Manifests, or parts of them, that could not be read. Everything else in the catalog loaded."
        />
        <Suspense fallback=|| view! { <Loading label="Loading problems…" /> }>
            {move || Suspend::new(async move {
                match problems.await {
                    Ok(problems) if problems.is_empty() => view! {
                        <EmptyState title="No problems">"Every manifest in the catalog was read."</EmptyState>
                    }.into_any(),
                    Ok(problems) => view! { <ProblemTable problems /> }.into_any(),
                    Err(error) => view! { <ErrorState error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProblemTable(problems: Vec<Problem>) -> impl IntoView {
    view! {
        <DataTable headers=&["File", "Line", "Field", "Problem"]>
            {problems.into_iter().map(|problem| view! {
                <tr class="align-top">
                    <td class="break-all px-4 py-2 font-mono text-xs">{problem.file}</td>
                    <td class="px-4 py-2 font-mono text-xs">{problem.line.map(|line| line.to_string()).unwrap_or_default()}</td>
                    <td class="px-4 py-2 font-mono text-xs">{problem.field.unwrap_or_default()}</td>
                    <td class="px-4 py-2">{problem.message}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}
