//! Errors as one line of text for logs and pages: the error and each cause it wraps, skipping
//! causes its own message already repeats (HTTP clients often do).

/// `error: cause: deeper cause`.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let said = cause.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        source = cause.source();
    }
    text
}
