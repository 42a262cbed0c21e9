//! `POST /care`: the 无障碍工具条 as a browser without JavaScript uses it. The button's choice
//! (长辈模式, 高对比度, 大鼠标, 放大, 缩小, 重置) is kept in the `portal_care` cookie and the
//! browser goes back to the page it was on, which the server now renders as chosen. With
//! JavaScript the toolbar changes the page in place and writes the same cookie itself.

use crate::care::{COOKIE, Care, CareAction};
use crate::platform::caller::{back_with_cookie, cookie};
use crate::platform::state::AppState;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug, Default, serde::Deserialize)]
pub struct CareForm {
    #[serde(rename = "do", default)]
    action: String,
    #[serde(default)]
    next: String,
}

pub async fn post_care(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CareForm>,
) -> Response {
    let Some(action) = CareAction::parse(&form.action) else {
        return (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "无障碍工具条:未知的操作",
        )
            .into_response();
    };
    let kept = cookie(&headers, COOKIE).unwrap_or_default();
    let care = Care::parse(&kept).apply(action);
    let secure = state.settings.env.is_production();
    back_with_cookie(&form.next, &care.set_cookie(secure))
}
