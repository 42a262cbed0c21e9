//! The portal's one table of records (安全记录, 我的授权, exported credentials, 用证记录, a
//! registration's specialties and changes), and the three arms of a list the server answered:
//! its error, a line when there is nothing, or the records.

use crate::platform::error::AppError;
use crate::ui::status::ErrorAlert;
use leptos::prelude::*;

/// Records as a table, in the page's scrolling wrapper: a caption for screen readers when
/// the section's heading does not name it, one header cell per column, one row per record.
#[component]
pub fn RecordTable<T, F, V>(
    /// Read by screen readers only (the section's heading shows it).
    #[prop(optional, into)]
    caption: Option<String>,
    columns: &'static [&'static str],
    rows: Vec<T>,
    /// One record's `<tr>`.
    row: F,
) -> impl IntoView
where
    T: 'static,
    F: Fn(T) -> V + 'static,
    V: IntoView + 'static,
{
    // A group keyboard users can scroll when it is wider than a phone (WCAG 2.1.1), named by
    // its caption: a group, not a region, because the section around it is the region and
    // often bears the same name (two landmarks of one name confuse a screen reader's list).
    let label = caption.clone();
    view! {
        <div
            class="table-wrap"
            tabindex=label.is_some().then_some("0")
            role=label.is_some().then_some("group")
            aria-label=label.clone()
        >
            <table class="data-table">
                {caption.map(|c| view! { <caption class="visually-hidden">{c}</caption> })}
                <thead>
                    <tr>{columns.iter().map(|c| view! { <th scope="col">{*c}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{rows.into_iter().map(row).collect_view()}</tbody>
            </table>
        </div>
    }
}

/// A list as the server answered it: the error, `empty` when there are no records, or what
/// `records` makes of them.
pub fn loaded_list<T>(
    outcome: Result<Vec<T>, AppError>,
    empty: &'static str,
    records: impl FnOnce(Vec<T>) -> AnyView,
) -> AnyView {
    match outcome {
        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
        Ok(rows) if rows.is_empty() => view! { <p class="hint">{empty}</p> }.into_any(),
        Ok(rows) => records(rows),
    }
}
