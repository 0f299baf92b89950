use domain::catalog::{ServicePage, ServiceQuery};
use leptos::prelude::*;

/// A bordered link between pages of a list or between neighbouring items.
pub const PAGE_LINK: &str =
    "rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";

/// "Showing 26–50 of 160 services" with previous and next links that keep the filters; `href`
/// makes a page's address (the services list's or the environments grid's).
#[component]
pub fn Pagination(page: ServicePage, href: fn(&ServiceQuery) -> String) -> impl IntoView {
    let query = page.query.clone();
    let pages = page.page_count();
    let first = query.offset() + 1;
    let last = query.offset() + page.items.len() as u64;
    let link = |target: u32, label: &'static str, rel: &'static str| {
        if target >= 1 && target <= pages && target != query.page {
            view! { <a href=href(&query.with_page(target)) rel=rel class=PAGE_LINK>{label}</a> }.into_any()
        } else {
            view! { <span aria-disabled="true" class=format!("{PAGE_LINK} text-slate-400 dark:text-slate-600")>{label}</span> }.into_any()
        }
    };
    view! {
        <nav aria-label="Pagination" class="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600 dark:text-slate-400">
            <p>{if page.total == 0 { "No services".to_owned() } else { format!("Showing {first}–{last} of {} services", page.total) }}</p>
            <div class="flex items-center gap-2">
                {link(query.page.saturating_sub(1), "Previous", "prev")}
                <span>{format!("Page {} of {pages}", query.page.min(pages))}</span>
                {link(query.page.saturating_add(1), "Next", "next")}
            </div>
        </nav>
    }
}
