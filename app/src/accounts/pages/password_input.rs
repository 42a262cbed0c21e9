//! A password field with an eye button (显示密码) and a hint while Caps Lock is on (FAQ 1:
//! most 密码错误 come from a stray space or Caps Lock).

use crate::accounts::text;
use crate::ui::form_errors::{FieldError, FormErrors, described_by};
use leptos::prelude::*;

#[component]
pub fn PasswordInput(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    /// `current-password` or `new-password`.
    autocomplete: &'static str,
    errors: FormErrors,
    /// A rule shown under the field.
    #[prop(optional)]
    hint: Option<&'static str>,
) -> impl IntoView {
    let lang = crate::platform::lang::use_lang();
    let shown = RwSignal::new(false);
    let caps = RwSignal::new(false);
    let track_caps =
        move |ev: leptos::ev::KeyboardEvent| caps.set(ev.get_modifier_state("CapsLock"));
    let hint_id = format!("{id}-hint");
    let caps_id = format!("{id}-caps");
    let described = {
        let hint_id = hint_id.clone();
        let caps_id = caps_id.clone();
        move || {
            described_by([
                hint.map(|_| hint_id.clone()),
                caps.get().then(|| caps_id.clone()),
                errors.message(name).map(|_| format!("{name}-error")),
            ])
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <div class="password-box">
                <input
                    id=id
                    name=name
                    type=move || if shown.get() { "text" } else { "password" }
                    autocomplete=autocomplete
                    maxlength="64"
                    required
                    spellcheck="false"
                    autocapitalize="off"
                    aria-invalid=move || errors.invalid(name)
                    aria-describedby=described
                    on:keydown=track_caps
                    on:keyup=track_caps
                    on:blur=move |_| caps.set(false)
                />
                <button
                    type="button"
                    class="eye-button"
                    aria-label=move || if shown.get() { text::HIDE_PASSWORD.of(lang) } else { text::SHOW_PASSWORD.of(lang) }
                    aria-pressed=move || shown.get().to_string()
                    aria-controls=id
                    on:click=move |_| shown.update(|s| *s = !*s)
                >
                    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                        <path d="M12 5C6.5 5 2.7 9.6 1.5 12c1.2 2.4 5 7 10.5 7s9.3-4.6 10.5-7C21.3 9.6 17.5 5 12 5zm0 11.5A4.5 4.5 0 1 1 12 7.5a4.5 4.5 0 0 1 0 9zm0-7a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z" fill="currentColor"/>
                        <Show when=move || !shown.get()>
                            <path d="M3 3l18 18" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>
                        </Show>
                    </svg>
                </button>
            </div>
            <Show when=move || caps.get()>
                <p class="caps-hint" id=caps_id.clone() role="status">{text::CAPS_LOCK.of(lang)}</p>
            </Show>
            {hint.map(|text| view! { <p class="field-hint" id=hint_id.clone()>{text}</p> })}
            <FieldError errors=errors field=name/>
        </div>
    }
}
