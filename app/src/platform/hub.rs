//! Who is waiting for news of a face-check ticket. A state change pings the local listeners
//! (the desktop pages' event streams in this process) and, on PostgreSQL, every other process
//! through `pg_notify('portal_face', <ticket id>)`; `server/` runs the LISTEN side and pings
//! its own hub. A ping carries no data: listeners re-read the ticket from the database, which
//! stays the one source of truth (so a lost ping costs a poll interval, never a wrong state).

use sqlx::AnyPool;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

pub const CHANNEL: &str = "portal_face";

#[derive(Default)]
pub struct FaceHub {
    channels: Mutex<HashMap<String, broadcast::Sender<()>>>,
    /// Whether other processes share the database and must be told (PostgreSQL).
    notify_others: bool,
}

/// A listener's end; dropping the last one for a ticket forgets the ticket.
pub struct Subscription {
    hub: Arc<FaceHub>,
    ticket_id: String,
    pub receiver: broadcast::Receiver<()>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Ok(mut channels) = self.hub.channels.lock()
            && channels
                .get(&self.ticket_id)
                .is_some_and(|s| s.receiver_count() <= 1)
        {
            channels.remove(&self.ticket_id);
        }
    }
}

impl FaceHub {
    pub fn new(notify_others: bool) -> Self {
        Self {
            channels: Mutex::new(HashMap::new()),
            notify_others,
        }
    }

    pub fn subscribe(self: &Arc<Self>, ticket_id: &str) -> Subscription {
        let receiver = self
            .channels
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(ticket_id.to_string())
            .or_insert_with(|| broadcast::channel(4).0)
            .subscribe();
        Subscription {
            hub: self.clone(),
            ticket_id: ticket_id.to_string(),
            receiver,
        }
    }

    /// Wakes this process's listeners of `ticket_id`.
    pub fn ping_local(&self, ticket_id: &str) {
        if let Ok(channels) = self.channels.lock()
            && let Some(sender) = channels.get(ticket_id)
        {
            let _ = sender.send(());
        }
    }

    /// Wakes every listener of `ticket_id`, in this process and the others.
    pub async fn publish(&self, db: &AnyPool, ticket_id: &str) {
        self.ping_local(ticket_id);
        if self.notify_others
            && let Err(e) = crate::platform::hub::notify(db, CHANNEL, ticket_id).await
        {
            tracing::warn!(error = %e, "pg_notify failed; other processes will notice by polling");
        }
    }

    /// Tickets with at least one listener here (the open event streams).
    pub fn listened(&self) -> usize {
        self.channels.lock().map(|c| c.len()).unwrap_or_default()
    }
}

/// `pg_notify`: tells the other server processes sharing this PostgreSQL database.
pub async fn notify(db: &sqlx::AnyPool, channel: &str, payload: &str) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(channel)
        .bind(payload)
        .execute(db)
        .await?;
    Ok(())
}
