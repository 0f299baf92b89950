use domain::access::{ApiToken, Role, TokenFormErrors};
use domain::audit::format_time;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::tokens::{TokenFlash, TokensView, my_tokens};
use crate::components::layout::PageHeader;
use crate::components::status::EmptyState;
use crate::components::loaded::loaded;
use crate::components::table::DataTable;

/// Personal API tokens: create one (its secret shown once), list them, revoke them. The forms
/// post to the server directly, so they work without JavaScript.
#[component]
pub fn TokensPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| my_tokens());
    view! {
        <Title text="API tokens" />
        <PageHeader
            title="API tokens"
            subtitle="For scripts and agents calling the portal's API. A token acts as you, never with more than its scope, and every use is in the audit log."
        />
        {loaded(data, "Loading your tokens…", move |view_data| view! { <Tokens data=view_data /> }.into_any())}
    }
}

#[component]
fn Tokens(data: TokensView) -> impl IntoView {
    let TokensView { tokens, flash, scopes, lifetimes, now } = data;
    // A month unless the portal allows less.
    let usual = lifetimes.iter().copied().filter(|days| *days <= 30).max().unwrap_or(30).to_string();
    let (errors, values) = match &flash {
        Some(TokenFlash::Invalid { errors, name, scope, lifetime_days }) => {
            (errors.clone(), (name.clone(), scope.clone(), lifetime_days.clone()))
        }
        _ => (TokenFormErrors::default(), (String::new(), String::new(), usual)),
    };
    view! {
        {flash.map(|flash| view! { <Outcome flash /> })}
        <CreateForm errors values scopes lifetimes />
        <h2 class="mb-3 mt-8 text-lg font-semibold">"Your tokens"</h2>
        {if tokens.is_empty() {
            view! { <EmptyState title="No tokens yet">"Create one above when a script needs to call the portal."</EmptyState> }.into_any()
        } else {
            view! { <TokenTable tokens now /> }.into_any()
        }}
    }
}

#[component]
fn Outcome(flash: TokenFlash) -> impl IntoView {
    let box_class = "mb-6 rounded-lg border p-4 text-sm";
    match flash {
        TokenFlash::Created { id, name, secret } => view! {
            <div role="status" data-testid="new-token" class=format!("{box_class} border-emerald-300 bg-emerald-50 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-100")>
                <p class="font-medium">{format!("Token “{name}” ({id}) created. Copy it now: it will not be shown again.")}</p>
                <label for="token-secret" class="sr-only">"Token secret"</label>
                <input id="token-secret" readonly value=secret class="mt-2 w-full rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs text-slate-900" />
            </div>
        }.into_any(),
        TokenFlash::Revoked { id } => view! {
            <p role="status" class=format!("{box_class} border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-900")>{format!("Token {id} revoked. Scripts using it are refused from now on.")}</p>
        }.into_any(),
        TokenFlash::NotFound { id } => view! {
            <p role="alert" class=format!("{box_class} border-amber-300 bg-amber-50 dark:border-amber-800 dark:bg-amber-950/50")>{format!("Token {id} is not one of your active tokens; nothing was revoked.")}</p>
        }.into_any(),
        TokenFlash::Invalid { .. } => view! {
            <p role="alert" class=format!("{box_class} border-rose-300 bg-rose-50 text-rose-900 dark:border-rose-900 dark:bg-rose-950/50 dark:text-rose-200")>"The token was not created: see the fields below."</p>
        }.into_any(),
    }
}

#[component]
fn CreateForm(errors: TokenFormErrors, values: (String, String, String), scopes: Vec<Role>, lifetimes: Vec<u32>) -> impl IntoView {
    let (name, scope, lifetime) = values;
    let field_error = |id: &'static str, error: Option<String>| {
        error.map(|text| view! { <p id=id class="mt-1 text-xs text-rose-700 dark:text-rose-300">{text}</p> })
    };
    let input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900";
    view! {
        <form method="post" action="/auth/tokens" class="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-start dark:border-slate-800 dark:bg-slate-900" aria-label="Create a token">
            <div>
                <label for="token-name" class="text-sm font-medium">"Name"</label>
                <input id="token-name" name="name" value=name required maxlength="64" class=input
                    aria-invalid=errors.name.is_some().then_some("true") aria-describedby=errors.name.is_some().then_some("token-name-error") />
                {field_error("token-name-error", errors.name.clone())}
            </div>
            <div>
                <label for="token-scope" class="text-sm font-medium">"Scope"</label>
                <select id="token-scope" name="scope" class=input aria-describedby=errors.scope.is_some().then_some("token-scope-error")>
                    {scopes.into_iter().map(|role| view! {
                        <option value=role.as_str() selected=scope == role.as_str()>{role.as_str()}</option>
                    }).collect_view()}
                </select>
                {field_error("token-scope-error", errors.scope.clone())}
            </div>
            <div>
                <label for="token-lifetime" class="text-sm font-medium">"Expires after"</label>
                <select id="token-lifetime" name="lifetime_days" class=input aria-describedby=errors.lifetime_days.is_some().then_some("token-lifetime-error")>
                    {lifetimes.into_iter().map(|days| view! {
                        <option value=days.to_string() selected=lifetime == days.to_string()>{format!("{days} days")}</option>
                    }).collect_view()}
                </select>
                {field_error("token-lifetime-error", errors.lifetime_days.clone())}
            </div>
            <button type="submit" class="self-end rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 focus:outline-none focus:ring-2 focus:ring-slate-500 dark:bg-white dark:text-slate-900">
                "Create token"
            </button>
        </form>
    }
}

#[component]
fn TokenTable(tokens: Vec<ApiToken>, now: i64) -> impl IntoView {
    let seconds = |at: i64| format_time(at.saturating_mul(1_000_000));
    view! {
        <DataTable headers=&["Name", "Id", "Scope", "Created", "Expires", "Last used", "State", ""]>
            {tokens.into_iter().map(|token| {
                let state = if token.revoked_at.is_some() { "revoked" } else if token.expires_at <= now { "expired" } else { "active" };
                let active = token.is_active(now);
                let label = format!("Revoke {}", token.name);
                view! {
                    <tr data-token=token.id.clone()>
                        <td class="px-4 py-2 font-medium">{token.name.clone()}</td>
                        <td class="px-4 py-2 font-mono text-xs">{token.id.clone()}</td>
                        <td class="px-4 py-2">{token.scope.as_str()}</td>
                        <td class="px-4 py-2 whitespace-nowrap">{seconds(token.created_at)}</td>
                        <td class="px-4 py-2 whitespace-nowrap">{seconds(token.expires_at)}</td>
                        <td class="px-4 py-2 whitespace-nowrap">{token.last_used_at.map_or("never".to_owned(), seconds)}</td>
                        <td class="px-4 py-2" data-testid="token-state">{state}</td>
                        <td class="px-4 py-2">
                            {active.then(|| view! {
                                <form method="post" action="/auth/tokens/revoke">
                                    <input type="hidden" name="id" value=token.id.clone() />
                                    <button type="submit" aria-label=label class="rounded border border-rose-300 px-2 py-1 text-xs text-rose-700 hover:bg-rose-50 dark:border-rose-800 dark:text-rose-300 dark:hover:bg-rose-950">"Revoke"</button>
                                </form>
                            })}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
