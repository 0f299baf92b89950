use domain::audit::{AuditQuery, Event, format_time};
use leptos::prelude::*;

use super::badge::OutcomeBadge;
use crate::url::{audit_event_href, audit_href};

/// One event in the audit log's table: time, who (and with which token, from where), what
/// (linking to its page), on what, and how it ended. `fresh` marks a row that arrived live.
#[component]
pub fn AuditRow(event: Event, #[prop(optional)] fresh: bool) -> impl IntoView {
    let Event { seq, at, actor, token_id, origin, action, service, environment, outcome, .. } = event;
    let by_actor = audit_href(&AuditQuery { actor: Some(actor.clone()), ..AuditQuery::default().normalised() });
    let target = match (service, environment) {
        (None, None) => None,
        (service, environment) => Some(
            [service, environment.map(|environment| format!("in {environment}"))].into_iter().flatten().collect::<Vec<_>>().join(" "),
        ),
    };
    let row_class = if fresh { "align-top bg-indigo-50/60 dark:bg-indigo-950/30" } else { "align-top hover:bg-slate-50 dark:hover:bg-slate-800/50" };
    view! {
        <tr class=row_class data-seq=seq data-fresh=fresh.then_some("")>
            <td class="whitespace-nowrap px-4 py-2 tabular-nums text-slate-600 dark:text-slate-400">{format_time(at)}</td>
            <td class="px-4 py-2">
                <a href=by_actor class="font-medium hover:underline">{actor}</a>
                <span class="block text-xs text-slate-500">
                    {origin.as_str()}
                    {token_id.map(|id| format!(" · token {id}"))}
                </span>
            </td>
            <td class="px-4 py-2 font-mono text-xs">
                <a href=audit_event_href(seq) class="text-indigo-700 hover:underline dark:text-indigo-300">{action}</a>
            </td>
            <td class="px-4 py-2">
                {match target {
                    Some(target) => view! { <span>{target}</span> }.into_any(),
                    None => view! { <span class="text-slate-400">"—"</span> }.into_any(),
                }}
            </td>
            <td class="px-4 py-2"><OutcomeBadge outcome /></td>
        </tr>
    }
}
