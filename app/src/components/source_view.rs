//! A definition's source text, highlighted from the spans the server found: plain elements
//! with colour classes, no script.

use domain::catalog::api_doc::{HighlightedSource, SourceLine, TokenClass};
use leptos::prelude::*;

/// The highlighted text, with how much was cut.
#[component]
pub fn SourceView(source: HighlightedSource) -> impl IntoView {
    let left_out = source.lines.left_out;
    view! {
        {source.notice.map(|notice| view! { <p role="note" class="mb-2 text-sm text-amber-800 dark:text-amber-300">{notice}</p> })}
        <pre data-testid="definition-source" class="max-h-[40rem] overflow-auto rounded-lg bg-slate-900 p-4 text-xs leading-relaxed text-slate-100"><code>
            {source.lines.items.into_iter().map(line).collect_view()}
        </code></pre>
        {(left_out > 0).then(|| view! { <p class="mt-1 text-xs text-slate-500">{format!("and {left_out} more lines")}</p> })}
    }
}

fn line(line: SourceLine) -> impl IntoView {
    let cut = (line.chars_left_out > 0).then(|| view! { <span class="text-slate-500">{format!(" … {} more characters", line.chars_left_out)}</span> });
    view! {
        <span class="block">
            {line.spans.into_iter().map(|span| view! { <span class=colour(span.class)>{span.text}</span> }).collect_view()}
            {cut}
            "\n"
        </span>
    }
}

fn colour(class: TokenClass) -> &'static str {
    match class {
        TokenClass::Keyword => "text-fuchsia-300",
        TokenClass::String => "text-emerald-300",
        TokenClass::Number => "text-amber-300",
        TokenClass::Comment => "text-slate-400 italic",
        TokenClass::Punctuation => "text-slate-400",
        TokenClass::Key => "text-sky-300",
        TokenClass::Plain => "",
    }
}
