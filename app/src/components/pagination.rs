use domain::actions::{RUN_PAGE_SIZE, RunList};
use domain::catalog::{EntityList, ServiceList, ServiceQuery};
use leptos::prelude::*;

/// A bordered link between pages of a list or between neighbouring items.
pub const PAGE_LINK: &str =
    "rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";

/// "Showing 26–50 of 160 services" with previous and next links that keep the filters; `href`
/// makes a page's address (the services list's or the environments grid's).
#[component]
pub fn Pagination(page: ServiceList, href: fn(&ServiceQuery) -> String) -> impl IntoView {
    let query = page.query.clone();
    let first = query.offset() + 1;
    let last = query.offset() + page.items.len() as u64;
    let summary = if page.total == 0 { "No services".to_owned() } else { format!("Showing {first}–{last} of {} services", page.total) };
    view! { <PageNav summary page=query.page pages=page.page_count() href=move |target| href(&query.with_page(target)) /> }
}

/// The same for a page of the catalog's search across kinds.
#[component]
pub fn EntityPagination(page: EntityList) -> impl IntoView {
    let query = page.query.clone();
    let first = query.offset() + 1;
    let last = query.offset() + page.items.len() as u64;
    let summary = if page.total == 0 { "No entities".to_owned() } else { format!("Showing {first}–{last} of {}", page.total) };
    view! { <PageNav summary page=query.page pages=page.page_count() href=move |target| crate::url::catalog_href(&query.with_page(target)) /> }
}

/// The same for a page of runs; `href` makes the address of page `n` with the list's filters.
#[component]
pub fn RunPagination(page: RunList, href: impl Fn(u32) -> String + 'static) -> impl IntoView {
    let first = u64::from(page.page.saturating_sub(1)) * u64::from(RUN_PAGE_SIZE) + 1;
    let last = (first + page.runs.len() as u64).saturating_sub(1);
    let summary = match (page.total, page.runs.is_empty()) {
        (0, _) => "No runs".to_owned(),
        (total, true) => format!("No runs on this page; {total} in all"),
        (total, false) => format!("Showing {first}–{last} of {total} runs"),
    };
    view! { <PageNav summary page=page.page pages=page.page_count() href /> }
}

/// The summary line, then previous and next links around "Page 2 of 7".
#[component]
fn PageNav(summary: String, page: u32, pages: u32, href: impl Fn(u32) -> String + 'static) -> impl IntoView {
    let link = |target: u32, label: &'static str, rel: &'static str| {
        if target >= 1 && target <= pages && target != page {
            view! { <a href=href(target) rel=rel class=PAGE_LINK>{label}</a> }.into_any()
        } else {
            view! { <span aria-disabled="true" class=format!("{PAGE_LINK} text-slate-400 dark:text-slate-600")>{label}</span> }.into_any()
        }
    };
    view! {
        <nav aria-label="Pagination" class="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600 dark:text-slate-400">
            <p>{summary}</p>
            <div class="flex items-center gap-2">
                {link(page.saturating_sub(1), "Previous", "prev")}
                <span>{format!("Page {} of {pages}", page.min(pages))}</span>
                {link(page.saturating_add(1), "Next", "next")}
            </div>
        </nav>
    }
}
