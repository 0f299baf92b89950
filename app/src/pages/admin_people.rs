use domain::access::{PersonAccess, Role};
use domain::audit::format_time;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::people::{PeopleFlash, PeopleView, PersonRow, people};
use crate::components::layout::PageHeader;
use crate::components::status::EmptyState;
use crate::components::loaded::loaded;
use crate::components::table::DataTable;
use crate::pages::admin_tabs::AdminTabs;

/// Everyone who signed in, their live sessions and API tokens, and a way to end all of a
/// person's access at once. Admins only; the form posts to the server, so it works without
/// JavaScript.
#[component]
pub fn AdminPeoplePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| people());
    view! {
        <Title text="People" />
        <PageHeader title="People" subtitle="Everyone who has signed in, with the sessions and API tokens that still let them in." />
        <AdminTabs current="/admin/people" />
        {loaded(data, "Loading people…", move |view_data| view! { <People data=view_data /> }.into_any())}
    }
}

#[component]
fn People(data: PeopleView) -> impl IntoView {
    let PeopleView { people, flash, membership_minutes, github, token_max_days } = data;
    let membership = match membership_minutes {
        None if !github => format!(
            "GitHub sign-in is not configured, so there are no memberships to follow; API tokens live at most {token_max_days} days."
        ),
        Some(minutes) => format!(
            "Memberships are re-checked on GitHub every {minutes} minutes: someone who leaves an organisation or team loses what it gave by then."
        ),
        None => format!(
            "Memberships are not re-checked on GitHub (no membership token is configured): someone who leaves keeps what it gave until their session ends and their tokens expire (at most {token_max_days} days)."
        ),
    };
    view! {
        {flash.map(|flash| view! { <Outcome flash /> })}
        <p class="mb-4 text-sm text-slate-600 dark:text-slate-400" data-testid="membership-check">{membership}</p>
        {if people.is_empty() {
            view! { <EmptyState title="Nobody has signed in yet">"People appear here after their first sign-in."</EmptyState> }.into_any()
        } else {
            view! { <PeopleTable people /> }.into_any()
        }}
    }
}

#[component]
fn Outcome(flash: PeopleFlash) -> impl IntoView {
    let PeopleFlash { key, sessions, tokens } = flash;
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    view! {
        <p role="status" class="mb-6 rounded-lg border border-slate-300 bg-slate-50 p-4 text-sm dark:border-slate-700 dark:bg-slate-900">
            {format!(
                "Access of {key} ended: {} and {} revoked. They must sign in again, and scripts using those tokens are refused. This is not a ban: while the configuration lets them sign in, they can.",
                plural(sessions, "session", "sessions"),
                plural(tokens, "token", "tokens"),
            )}
        </p>
    }
}

#[component]
fn PeopleTable(people: Vec<PersonRow>) -> impl IntoView {
    let seconds = |at: i64| format_time(at.saturating_mul(1_000_000));
    view! {
        <DataTable headers=&["Person", "Role now", "Last sign-in", "Sessions", "API tokens", ""]>
            {people.into_iter().map(|PersonRow { person, role }| {
                let live = !person.sessions.is_empty() || !person.tokens.is_empty();
                let PersonAccess { key, identity, last_sign_in, sessions, tokens } = person.clone();
                let label = format!("End every session and revoke every token of {key}");
                view! {
                    <tr data-person=key.clone()>
                        <td class="px-4 py-2 align-top">
                            <div class="font-medium">{identity.display_name().to_owned()}</div>
                            <div class="font-mono text-xs text-slate-500">{key.clone()}</div>
                            {person.login_taken().then(|| view! {
                                <div class="mt-1 text-xs text-amber-700 dark:text-amber-300">"Another GitHub account has since taken this login."</div>
                            })}
                        </td>
                        <td class="px-4 py-2 align-top">{role.map_or("none", Role::as_str)}</td>
                        <td class="px-4 py-2 align-top whitespace-nowrap">{seconds(last_sign_in)}</td>
                        <td class="px-4 py-2 align-top" data-testid="sessions">
                            {if sessions.is_empty() { view! { <span class="text-slate-500">"none"</span> }.into_any() } else {
                                view! { <ul class="space-y-1">{sessions.into_iter().map(|session| view! {
                                    <li class="whitespace-nowrap text-xs">
                                        {format!("since {}, last seen {}", seconds(session.started_at), seconds(session.last_seen_at))}
                                        {session.client_addr.map(|addr| format!(" from {addr}"))}
                                    </li>
                                }).collect_view()}</ul> }.into_any()
                            }}
                        </td>
                        <td class="px-4 py-2 align-top" data-testid="tokens">
                            {if tokens.is_empty() { view! { <span class="text-slate-500">"none"</span> }.into_any() } else {
                                view! { <ul class="space-y-1">{tokens.into_iter().map(|token| view! {
                                    <li class="whitespace-nowrap text-xs">
                                        <span class="font-medium">{token.name}</span>
                                        {format!(" ({}, {}, expires {}{})", token.id, token.scope.as_str(), seconds(token.expires_at),
                                            token.last_used_at.map(|at| format!(", last used {}", seconds(at))).unwrap_or_default())}
                                    </li>
                                }).collect_view()}</ul> }.into_any()
                            }}
                        </td>
                        <td class="px-4 py-2 align-top">
                            {live.then(|| view! {
                                <form method="post" action="/auth/people/revoke">
                                    <input type="hidden" name="key" value=key.clone() />
                                    <button type="submit" aria-label=label class="whitespace-nowrap rounded border border-rose-300 px-2 py-1 text-xs text-rose-700 hover:bg-rose-50 focus:outline-none focus:ring-2 focus:ring-rose-500 dark:border-rose-800 dark:text-rose-300 dark:hover:bg-rose-950">
                                        "End all access"
                                    </button>
                                </form>
                            })}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
