use axum::Form;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::local_path::is_local_path;

#[derive(Deserialize)]
pub struct ThemeForm {
    theme: String,
    back: Option<String>,
}

/// Stores the chosen theme in a cookie and sends the browser back where it was.
pub async fn set_theme(headers: HeaderMap, Form(form): Form<ThemeForm>) -> Response {
    let max_age = match form.theme.as_str() {
        "light" | "dark" => 60 * 60 * 24 * 365,
        "system" => 0,
        _ => return (StatusCode::BAD_REQUEST, "Unknown theme: choose light, dark or system.").into_response(),
    };
    let https = headers.get("x-forwarded-proto").is_some_and(|proto| proto == "https");
    let cookie = format!(
        "portico_theme={}; Path=/; Max-Age={max_age}; SameSite=Lax; HttpOnly{}",
        form.theme,
        if https { "; Secure" } else { "" }
    );
    let back = form.back.filter(|path| is_local_path(path)).unwrap_or_else(|| "/".to_owned());
    ([(header::SET_COOKIE, cookie)], Redirect::to(&back)).into_response()
}
