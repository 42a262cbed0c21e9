//! A modal dialog as WCAG 2.2 asks of one: it takes the focus when it opens (its `autofocus`
//! control, or its first), keeps Tab and Shift+Tab inside it while open, lets Escape do what
//! the dialog says (usually 取消), and gives the focus back to where it was when it closes.
//! Used by the 证照加注 dialog, the session-timeout warning and the mini-program's
//! authorisation sheet.

use leptos::prelude::*;

/// What can take the focus inside a dialog.
#[cfg(feature = "hydrate")]
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), \
                         select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";

#[component]
pub fn Dialog(
    /// `modal` (centred) or `sheet` (from the bottom of a phone's screen).
    #[prop(default = "modal")]
    kind: &'static str,
    /// `dialog`, or `alertdialog` for a warning that needs an answer.
    #[prop(default = "dialog")]
    role: &'static str,
    /// The id of the dialog's title.
    #[prop(into)]
    labelled_by: String,
    /// The id of the text that says what the dialog is about, if any.
    #[prop(optional)]
    described_by: Option<&'static str>,
    /// What Escape does; without it Escape does nothing (the dialog must be answered).
    #[prop(optional)]
    on_escape: Option<Callback<()>>,
    children: Children,
) -> impl IntoView {
    let panel = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    focus::hold(panel);
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            if let Some(escape) = on_escape {
                ev.prevent_default();
                escape.run(());
            }
        } else if ev.key() == "Tab" {
            #[cfg(feature = "hydrate")]
            focus::keep_inside(&ev, panel);
        }
    };
    view! {
        <div class=format!("{kind}-backdrop")>
            <div
                class=kind
                role=role
                aria-modal="true"
                aria-labelledby=labelled_by
                aria-describedby=described_by
                node_ref=panel
                on:keydown=keydown
            >
                {children()}
            </div>
        </div>
    }
}

/// The browser's side: where the focus goes.
#[cfg(feature = "hydrate")]
mod focus {
    use super::FOCUSABLE;
    use leptos::prelude::*;
    use send_wrapper::SendWrapper;
    use wasm_bindgen::JsCast;
    use web_sys::HtmlElement;

    fn focusables(panel: &web_sys::Element) -> Vec<HtmlElement> {
        let Ok(list) = panel.query_selector_all(FOCUSABLE) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
            // Shown ones only (an element without a box has no offsetParent).
            .filter(|e| e.offset_parent().is_some())
            .collect()
    }

    /// On opening, the focus moves into the dialog; on closing it goes back to the control
    /// that had it (if that is still on the page).
    pub fn hold(panel: NodeRef<leptos::html::Div>) {
        let opener = SendWrapper::new(
            document()
                .active_element()
                .and_then(|e| e.dyn_into::<HtmlElement>().ok()),
        );
        Effect::new(move || {
            let Some(panel) = panel.get() else {
                return;
            };
            let first = panel
                .query_selector("[autofocus]")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<HtmlElement>().ok())
                .or_else(|| focusables(&panel).into_iter().next());
            if let Some(first) = first {
                let _ = first.focus();
            }
        });
        on_cleanup(move || {
            if let Some(opener) = opener.take()
                && opener.is_connected()
            {
                let _ = opener.focus();
            }
        });
    }

    /// Tab from the last control goes to the first, Shift+Tab from the first to the last.
    pub fn keep_inside(ev: &web_sys::KeyboardEvent, panel: NodeRef<leptos::html::Div>) {
        let Some(panel) = panel.get_untracked() else {
            return;
        };
        let all = focusables(&panel);
        let (Some(first), Some(last)) = (all.first(), all.last()) else {
            ev.prevent_default();
            return;
        };
        let active = document().active_element();
        let on = |e: &HtmlElement| active.as_ref().is_some_and(|a| a.is_same_node(Some(e)));
        let inside = active.as_ref().is_some_and(|a| panel.contains(Some(a)));
        if ev.shift_key() && (on(first) || !inside) {
            ev.prevent_default();
            let _ = last.focus();
        } else if !ev.shift_key() && (on(last) || !inside) {
            ev.prevent_default();
            let _ = first.focus();
        }
    }
}
