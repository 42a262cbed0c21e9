//! `GET /api/face_events/{ticket}`: the desktop face-recognition page's event stream. It sends
//! the ticket's state when it opens and at every change, then ends with the final state. A
//! change reaches it through the process's `FaceHub` — from this process directly, from the
//! others by PostgreSQL `LISTEN portal_face` ([`listen_for_other_processes`]) — and the stream
//! re-reads the ticket from the database at each ping, at expiry and every 30 seconds, so the
//! database stays the single source of truth.

use crate::face_check::repo as tickets;
use crate::platform::caller::Caller;
use crate::platform::error::AppError;
use crate::platform::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::time::Duration;

/// Longest wait between two reads of the ticket while nothing is heard.
const RECHECK: Duration = Duration::from_secs(30);

pub async fn face_events(
    State(state): State<AppState>,
    Path(ticket_id): Path<String>,
    parts: Parts,
) -> Response {
    let caller = Caller::from_parts(state, &parts);
    let signed = match caller.signed_in().await {
        Ok(Some(s)) => s,
        Ok(None) => return (StatusCode::UNAUTHORIZED, "请先登录").into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    // The same rule as the server functions': the caller's own ticket, anyone else's "not found".
    match crate::face_check::api::ssr::own_ticket(&caller, &signed, &ticket_id).await {
        Ok(_) => {}
        Err(AppError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return crate::platform::error::plain_error(&e),
    }
    let state = caller.state;
    let subscription = state.face_hub.subscribe(&ticket_id);
    let stream = futures_util::stream::unfold(
        (state, ticket_id, subscription, None, false),
        |(state, ticket_id, mut sub, last, done)| async move {
            if done {
                return None;
            }
            loop {
                let ticket = match tickets::by_public_id(&state.db, &ticket_id).await {
                    Ok(Some(t)) => t,
                    _ => return None,
                };
                let now = state.clock.now();
                let status = ticket.status(now);
                // A change of state, or of the time left (the hand-off to the provider's page
                // keeps the ticket open longer): the desktop's countdown follows.
                let seen = (status.state, ticket.expires_at);
                if last != Some(seen) {
                    let event = Event::default()
                        .event("state")
                        .json_data(&status)
                        .unwrap_or_else(|_| Event::default());
                    let finished = status.state.is_final();
                    return Some((
                        Ok::<_, Infallible>(event),
                        (state, ticket_id, sub, Some(seen), finished),
                    ));
                }
                let until_expiry = Duration::from_secs((ticket.expires_at - now).max(0) as u64 + 1);
                tokio::select! {
                    _ = sub.receiver.recv() => {}
                    () = tokio::time::sleep(RECHECK.min(until_expiry)) => {}
                }
            }
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

/// With PostgreSQL: hears the other processes' ticket changes and wakes the local listeners.
/// Reconnects by itself (sqlx's listener) if the connection drops.
pub async fn listen_for_other_processes(state: AppState, database_url: String) {
    loop {
        match sqlx::postgres::PgListener::connect(&database_url).await {
            Ok(mut listener) => {
                if let Err(e) = listener.listen(crate::platform::hub::CHANNEL).await {
                    tracing::warn!(error = %e, "LISTEN portal_face failed");
                } else {
                    loop {
                        match listener.recv().await {
                            Ok(n) => state.face_hub.ping_local(n.payload()),
                            Err(e) => {
                                tracing::warn!(error = %e, "LISTEN portal_face interrupted");
                                break;
                            }
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "LISTEN portal_face: cannot connect"),
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}
