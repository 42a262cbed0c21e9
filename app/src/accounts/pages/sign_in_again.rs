//! 再次验证: the password again, for a page that needs a recent sign-in (个人信息导出). A
//! new session replaces the current one; `done` runs when it has.

use crate::accounts::api::session::SignInAgain;
use crate::accounts::pages::password_input::PasswordInput;
use crate::platform::lang::{Text, use_lang};
use crate::ui::form_errors::{FormAlert, FormErrors};
use leptos::form::ActionForm;
use leptos::prelude::*;

const CONFIRM: Text = Text::new("确认", "Confirm");
const PASSWORD: Text = Text::new("登录密码", "Your password");

#[component]
pub fn SignInAgainForm(#[prop(into)] done: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let again = ServerAction::<SignInAgain>::new();
    let errors = FormErrors::of(again.value());
    Effect::new(move || {
        if matches!(again.value().get(), Some(Ok(()))) {
            done.run(());
        }
    });
    view! {
        <ActionForm action=again attr:class="auth-form" attr:aria-label=CONFIRM.of(lang)>
            <PasswordInput id="again-password" name="password" label=PASSWORD.of(lang) autocomplete="current-password" errors=errors/>
            <FormAlert errors=errors/>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || again.pending().get()>{CONFIRM.of(lang)}</button>
            </div>
        </ActionForm>
    }
}
