//! 证件类型 and 证件号码, as every form that takes an identity document asks them: a select of
//! the kinds (居民身份证 first, the default), the number, and a passport's issuing country.
//! The country field shows only while 护照 is chosen, by CSS (`:has`), so it works the same
//! before and without the page's script. The number's hint follows the chosen kind.

use crate::domain::DocumentKind;
use crate::platform::lang::{Lang, Text, use_lang};
use crate::ui::form_errors::{FieldError, FormErrors, described_by};
use leptos::html::{Input, Select};
use leptos::prelude::*;

/// The hint under the number for each kind.
pub fn number_hint(kind: DocumentKind) -> Text {
    match kind {
        DocumentKind::ResidentId => Text::new(
            "18位居民身份证号码,最后一位可为X",
            "18 characters; the last may be X",
        ),
        DocumentKind::ResidencePermit => Text::new(
            "18位,以810000(香港)、820000(澳门)或830000(台湾)开头",
            "18 characters beginning 810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan)",
        ),
        DocumentKind::PermanentResidence => Text::new(
            "新版为18位数字(以9开头),2017版为3位字母加12位数字",
            "18 digits beginning with 9 (cards from 2023), or 3 letters and 12 digits (2017 cards)",
        ),
        DocumentKind::HongKongMacaoPermit => Text::new(
            "字母H(香港)或M(澳门)加8位数字,如H12345678",
            "H (Hong Kong) or M (Macao) and 8 digits, such as H12345678",
        ),
        DocumentKind::TaiwanPermit => Text::new("8位数字", "8 digits"),
        DocumentKind::Passport => Text::new("5–17位字母和数字", "5 to 17 letters and digits"),
    }
}

const KIND: Text = Text::new("证件类型", "Identity document");
const COUNTRY: Text = Text::new("护照签发国家或地区", "Passport issuing country");
const COUNTRY_HINT: Text = Text::new(
    "三位字母代码,见护照资料页“国籍/签发国”,如 GBR、USA、SGP",
    "Its 3-letter code, as on the passport's data page, such as GBR, USA or SGP",
);

/// A kind's name and its number's label in `lang`.
fn kind_names(kind: DocumentKind, lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Zh => (kind.label(), kind.number_label()),
        Lang::En => (kind.english(), kind.english_number_label()),
    }
}

/// The field names a form posts the document with.
#[derive(Clone, Copy)]
pub struct DocumentNames {
    pub kind: &'static str,
    pub number: &'static str,
    pub country: &'static str,
}

impl DocumentNames {
    /// `id_kind`, `id_number`, `id_country`.
    pub const PLAIN: Self = Self {
        kind: "id_kind",
        number: "id_number",
        country: "id_country",
    };
}

/// The login and recovery forms': the number is their `login_id`.
pub const LOGIN_NAMES: DocumentNames = DocumentNames {
    kind: "id_kind",
    number: "login_id",
    country: "id_country",
};

/// The node refs of a form that reads the fields itself (the search form).
#[derive(Clone, Copy, Default)]
pub struct DocumentRefs {
    pub kind: NodeRef<Select>,
    pub number: NodeRef<Input>,
    pub country: NodeRef<Input>,
}

impl DocumentRefs {
    /// (kind code, number, country) as typed.
    pub fn read(self) -> (String, String, String) {
        let input = |r: NodeRef<Input>| r.get_untracked().map(|i| i.value()).unwrap_or_default();
        let kind = self
            .kind
            .get_untracked()
            .map(|s| s.value())
            .unwrap_or_default();
        (kind, input(self.number), input(self.country))
    }
}

/// 证件类型, 证件号码 and 签发国家(护照). `prefix` makes the ids (`{prefix}-kind` …);
/// `whose` goes before the labels (e.g. 法定代表人). The number's label follows the kind.
#[component]
pub fn DocumentFields(
    prefix: &'static str,
    #[prop(optional)] names: Option<DocumentNames>,
    #[prop(optional)] errors: Option<FormErrors>,
    #[prop(optional)] refs: Option<DocumentRefs>,
    #[prop(optional)] whose: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    /// Shown while the number is empty (e.g. after a search by 查询凭据).
    #[prop(optional, into)]
    placeholder: Signal<Option<&'static str>>,
    /// A message of the form's own about the number (the search form).
    #[prop(optional, into)]
    problem: Signal<Option<String>>,
    /// The number may be left empty (the search form, where it is one field of several).
    #[prop(optional)]
    optional: bool,
) -> impl IntoView {
    let lang = use_lang();
    let names = names.unwrap_or(DocumentNames::PLAIN);
    let refs = refs.unwrap_or_default();
    let kind = RwSignal::new(DocumentKind::ResidentId);
    let [kind_id, number_id, country_id, hint_id] =
        ["kind", "number", "country", "hint"].map(|part| format!("{prefix}-{part}"));
    let problem_id = format!("{prefix}-error");
    let invalid = move |field: &'static str| errors.and_then(|e| e.invalid(field));
    let number_described = {
        let (hint_id, problem_id) = (hint_id.clone(), problem_id.clone());
        move || {
            described_by([
                Some(hint_id.clone()),
                errors
                    .and_then(|e| e.message(names.number))
                    .map(|_| format!("{}-error", names.number)),
                problem.get().map(|_| problem_id.clone()),
            ])
        }
    };
    let field_error =
        move |field: &'static str| errors.map(|e| view! { <FieldError errors=e field=field/> });
    view! {
        <div class="id-document">
            <div class="field">
                <label for=kind_id.clone()>{whose}{KIND.of(lang)}</label>
                <select
                    id=kind_id
                    name=names.kind
                    node_ref=refs.kind
                    aria-invalid=move || invalid(names.kind)
                    on:change=move |ev| {
                        if let Some(k) = DocumentKind::from_code(&event_target_value(&ev)) {
                            kind.set(k);
                        }
                    }
                >
                    {DocumentKind::ALL
                        .into_iter()
                        .map(|k| view! { <option value=k.code()>{kind_names(k, lang).0}</option> })
                        .collect_view()}
                </select>
                {field_error(names.kind)}
            </div>
            <div class="field">
                <label for=number_id.clone()>{whose}{move || kind_names(kind.get(), lang).1}</label>
                <input
                    id=number_id
                    name=names.number
                    type="text"
                    node_ref=refs.number
                    autocomplete=if autocomplete.is_empty() { "off" } else { autocomplete }
                    maxlength="20"
                    required=!optional
                    spellcheck="false"
                    autocapitalize="characters"
                    placeholder=move || placeholder.get()
                    aria-invalid=move || invalid(names.number).or(problem.get().map(|_| "true"))
                    aria-describedby=number_described
                />
                <p class="field-hint" id=hint_id>{move || number_hint(kind.get()).of(lang)}</p>
                {field_error(names.number)}
                {move || problem.get().map(|p| view! { <p id=problem_id.clone() class="field-error" role="alert">{p}</p> })}
            </div>
            <div class="field id-country">
                <label for=country_id.clone()>{COUNTRY.of(lang)}</label>
                <input
                    id=country_id
                    name=names.country
                    type="text"
                    node_ref=refs.country
                    autocomplete="off"
                    maxlength="3"
                    spellcheck="false"
                    autocapitalize="characters"
                    aria-invalid=move || invalid(names.country)
                    aria-describedby=format!("{prefix}-country-hint")
                />
                <p class="field-hint" id=format!("{prefix}-country-hint")>{COUNTRY_HINT.of(lang)}</p>
                {field_error(names.country)}
            </div>
        </div>
    }
}
