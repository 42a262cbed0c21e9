//! How a form shows what the server said about it: a message under the field at fault
//! (marked `aria-invalid`), or one alert for the whole form.

use crate::platform::error::AppError;
use crate::platform::lang::{Lang, use_lang};
use leptos::prelude::*;

/// The latest error of a form's action, and the page's language its messages are shown in.
#[derive(Clone, Copy)]
pub struct FormErrors(Signal<Option<AppError>>, Lang);

impl FormErrors {
    pub fn new(error: Signal<Option<AppError>>) -> Self {
        Self(error, use_lang())
    }

    /// From a server action's value.
    pub fn of<T, S>(value: S) -> Self
    where
        T: 'static,
        S: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    {
        Self::new(Signal::derive(move || {
            value.with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))
        }))
    }

    /// The message for `field`, if the error is about it.
    pub fn message(self, field: &'static str) -> Option<String> {
        self.0.with(|e| {
            e.as_ref()
                .filter(|e| e.field_name() == Some(field))
                .map(|e| e.message(self.1))
        })
    }

    /// `aria-invalid` of a field.
    pub fn invalid(self, field: &'static str) -> Option<&'static str> {
        self.message(field).map(|_| "true")
    }

    /// An error that is not about one field.
    pub fn general(self) -> Option<String> {
        self.0.with(|e| {
            e.as_ref()
                .filter(|e| e.field_name().is_none())
                .map(|e| e.message(self.1))
        })
    }
}

/// The message under one field; its id is `<field>-error` for `aria-describedby`.
/// An `aria-describedby` value: the ids of what describes a field (its hint, its error …).
pub fn described_by(ids: impl IntoIterator<Item = Option<String>>) -> String {
    ids.into_iter().flatten().collect::<Vec<_>>().join(" ")
}

#[component]
pub fn FieldError(errors: FormErrors, field: &'static str) -> impl IntoView {
    move || {
        errors.message(field).map(|message| {
            view! {
                <p class="field-error" id=format!("{field}-error") role="alert">
                    {message}
                </p>
            }
        })
    }
}

/// The form-wide alert.
#[component]
pub fn FormAlert(errors: FormErrors) -> impl IntoView {
    move || {
        errors
            .general()
            .map(|message| view! { <p class="alert" role="alert">{message}</p> })
    }
}
