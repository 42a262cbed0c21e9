//! 个人用户注册 and 企业用户注册: the proof of the phone, the identity checks and the new account.

#[cfg(feature = "ssr")]
use crate::platform::caller::serve_calling_out;
use crate::platform::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What every registration form and 找回密码 asks alike: the phone with its 短信验证码 and the
/// 验证码凭据 获取验证码 answered with, the new password twice, and (to register) the consent to
/// the 隐私政策. The server functions take it flattened, so the forms' fields keep their names
/// and post the same with or without JavaScript; [`ssr::common_fields`] validates it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneAndPassword {
    pub phone: String,
    pub sms_code: String,
    pub password: String,
    pub password_confirm: String,
    #[serde(default)]
    pub consent: Option<String>,
    #[serde(default)]
    pub sms_ticket: Option<String>,
}

/// 个人用户注册.
#[server(endpoint = "register_person")]
pub async fn register_person(
    name: String,
    id_number: String,
    #[server(default)] id_kind: String,
    #[server(default)] id_country: String,
    #[server(flatten)] common: PhoneAndPassword,
) -> Result<(), AppError> {
    serve_calling_out(|caller| async move {
        use crate::accounts::repo::{NewAccount, person_login_key};
        use crate::domain::person::document_digest;
        use crate::domain::{IdDocument, names};

        let name = names::person_name(&name).map_err(|e| AppError::field("name", e))?;
        let id = IdDocument::from_form(&id_kind, &id_number, &id_country)
            .map_err(|e| AppError::document("id_number", e))?;
        let form = ssr::common_fields(&common)?;
        ssr::prove_applicant(&caller, &form, &id, "id_number").await?;
        let digest = document_digest(&caller.settings.data_key, &id);
        let login_key = person_login_key(&digest);
        if crate::accounts::repo::login_key_exists(&caller.db, &login_key).await? {
            return Err(AppError::field(
                "id_number",
                crate::platform::error::Message::new(
                    format!(
                        "该{}已注册账户,请直接登录;如忘记密码,可通过【忘记密码】找回",
                        id.kind().number_label()
                    ),
                    format!(
                        "An account already exists for this {}: sign in, or if you have \
                         forgotten your password, reset it with 'Forgotten your password?'",
                        id.kind().english()
                    ),
                ),
            ));
        }
        ssr::verify_identity(&caller, &name, &id, "id_number").await?;
        let new = NewAccount {
            kind: crate::domain::account::AccountKind::Person,
            status: crate::domain::account::AccountStatus::Active,
            login_key: &login_key,
            person_digest: &digest,
            name: &name,
            id_number_masked: &id.masked(),
            id_kind: id.kind(),
            id_country: id.country().unwrap_or_default(),
            org_name: None,
            credit_code: None,
            phone: form.phone.as_str(),
            password_hash: "",
        };
        ssr::finish_registration(&caller, new, &form).await?;
        leptos_axum::redirect("/login?registered=person");
        Ok(())
    })
    .await
}

/// 企业用户注册 (法人用户).
#[server(endpoint = "register_enterprise")]
pub async fn register_enterprise(
    org_name: String,
    credit_code: String,
    legal_name: String,
    legal_id_number: String,
    #[server(default)] legal_id_kind: String,
    #[server(default)] legal_id_country: String,
    #[server(flatten)] common: PhoneAndPassword,
) -> Result<(), AppError> {
    serve_calling_out(|caller| async move {
        use crate::accounts::repo::{NewAccount, enterprise_login_key};
        use crate::domain::account::AccountStatus;
        use crate::domain::person::document_digest;
        use crate::domain::{CreditCode, IdDocument, names};
        use crate::platform::ports::enterprise::EnterpriseClaim;

        let org = names::org_name(&org_name).map_err(|e| AppError::field("org_name", e))?;
        let code =
            CreditCode::parse(&credit_code).map_err(|e| AppError::field("credit_code", e))?;
        let legal_name =
            names::person_name(&legal_name).map_err(|e| AppError::field("legal_name", e))?;
        let legal_id = IdDocument::from_form(&legal_id_kind, &legal_id_number, &legal_id_country)
            .map_err(|e| AppError::document("legal_id_number", e))?;
        let form = ssr::common_fields(&common)?;
        ssr::prove_applicant(&caller, &form, &legal_id, "legal_id_number").await?;
        let login_key = enterprise_login_key(code.as_str());
        // A claim its legal representative left unconfirmed for 7 days lapses: a squatter
        // cannot hold a credit code.
        crate::accounts::repo::lapse_pending_claim(&caller.db, &login_key, caller.clock.now())
            .await?;
        if crate::accounts::repo::login_key_exists(&caller.db, &login_key).await? {
            return Err(ssr::credit_code_claimed());
        }
        // Naming a legal representative proves nothing: the enterprise registry must know the
        // enterprise by this code and name with this representative, and the account stays
        // pending until the representative confirms it with a face check.
        let claim = EnterpriseClaim {
            credit_code: code.as_str(),
            org_name: &org,
            legal_name: &legal_name,
            legal_id: &legal_id,
        };
        ssr::verify_enterprise(&caller, &claim).await?;
        ssr::verify_identity(&caller, &legal_name, &legal_id, "legal_id_number").await?;
        let digest = document_digest(&caller.settings.data_key, &legal_id);
        let new = NewAccount {
            kind: crate::domain::account::AccountKind::Enterprise,
            status: AccountStatus::Pending,
            login_key: &login_key,
            person_digest: &digest,
            name: &legal_name,
            id_number_masked: &legal_id.masked(),
            id_kind: legal_id.kind(),
            id_country: legal_id.country().unwrap_or_default(),
            org_name: Some(&org),
            credit_code: Some(code.as_str()),
            phone: form.phone.as_str(),
            password_hash: "",
        };
        ssr::finish_registration(&caller, new, &form).await?;
        leptos_axum::redirect("/login?registered=enterprise");
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use crate::accounts::repo::{self as accounts, CreateError, NewAccount};
    use crate::accounts::sms::{SmsPurpose, is_code_shaped};
    use crate::domain::{IdDocument, Password, Phone};
    use crate::platform::audit;
    use crate::platform::caller::Caller;
    use crate::platform::error::{AppError, Message};
    use crate::platform::lang::Text;
    use crate::platform::ports::identity::IdentityCheck;
    use crate::platform::state::AppState;

    /// The end of every refusal that comes after the code was used up.
    const CODE_USED: &str = " (the code has been used: ask for a new one)";

    /// The fields registration and recovery share, validated.
    pub struct CommonFields {
        pub phone: Phone,
        pub sms_code: String,
        /// The 验证码凭据 获取验证码 answered with.
        pub sms_ticket: String,
        pub password: Password,
    }

    pub fn common_fields(form: &super::PhoneAndPassword) -> Result<CommonFields, AppError> {
        let phone = Phone::parse(&form.phone).map_err(|e| AppError::field("phone", e))?;
        let sms_code = form.sms_code.trim().to_string();
        if sms_code.is_empty() {
            return Err(AppError::field(
                "sms_code",
                Text::new("请输入短信验证码", "Enter the code from the text message"),
            ));
        }
        if !is_code_shaped(&sms_code) {
            return Err(AppError::field(
                "sms_code",
                Text::new(
                    "短信验证码为6位数字",
                    "Enter the 6-digit code from the text message",
                ),
            ));
        }
        let password =
            Password::parse(&form.password).map_err(|e| AppError::field("password", e))?;
        if password.expose() != form.password_confirm {
            return Err(AppError::field(
                "password_confirm",
                Text::new(
                    "两次输入的密码不一致",
                    "The passwords do not match: type the same password twice",
                ),
            ));
        }
        if form.consent.as_deref().is_none_or(str::is_empty) {
            return Err(AppError::field(
                "consent",
                Text::new(
                    "请阅读并同意《隐私政策》后再注册",
                    "Read the privacy notice and agree to it to register",
                ),
            ));
        }
        Ok(CommonFields {
            phone,
            sms_code,
            sms_ticket: form.sms_ticket.clone().unwrap_or_default(),
            password,
        })
    }

    pub fn phone_taken() -> AppError {
        AppError::field(
            "phone",
            Text::new(
                "当前手机号已被其他人员绑定",
                "This mobile number is used by another person's account: enter your own number",
            ),
        )
    }

    /// The answer to a second claim of a credit code: there is one account per enterprise, and
    /// a dispute goes to the contact page.
    pub fn credit_code_claimed() -> AppError {
        AppError::field(
            "credit_code",
            Text::new(
                "该统一社会信用代码已注册法人账户,每个企业只能有一个法人账户。如忘记密码,可通过【忘记密码】找回;\
                 如该账户并非贵单位注册,法定代表人可登录个人账户,在“确认法人账户”页(/user/enterprise)提出申诉",
                "An organisation's account is already registered with this unified social credit \
                 code, and an organisation can have only one. If you have forgotten its password, \
                 reset it with 'Forgotten your password?'. If your organisation did not register \
                 it, the legal representative can sign in to their personal account and file a \
                 dispute on 'Confirm an organisation's account' (/user/enterprise)",
            ),
        )
    }

    /// Identity checks a day for one masked ID number (the region and last four characters
    /// a third party can read): a sweep of its ≈2,000 possible birth dates takes months.
    pub const IDENTITY_PER_TARGET_PER_DAY: i64 = 10;

    /// Takes a slot of the per-client and per-ID daily limits before an identity question.
    pub async fn identity_attempt(
        caller: &Caller,
        id: &IdDocument,
        field: &str,
    ) -> Result<(), AppError> {
        use crate::platform::counters::{repo as counters, scopes};
        let now = caller.clock.now();
        let client = caller.client_key();
        let by_client =
            counters::take(&caller.db, scopes::IDENTITY_CLIENT, &client, 86_400, now).await?;
        let by_target = counters::take(
            &caller.db,
            scopes::IDENTITY_TARGET,
            &id.counter_key(),
            86_400,
            now,
        )
        .await?;
        let per_client = i64::from(caller.identity_per_client_per_day);
        if (per_client == 0 || by_client.within(per_client))
            && by_target.within(IDENTITY_PER_TARGET_PER_DAY)
        {
            Ok(())
        } else {
            Err(AppError::field(
                field,
                Text::new(
                    "今日身份核验次数已达上限,请明天再试;如需帮助,请通过“联系我们”咨询",
                    "You have reached today's limit of identity checks: try again tomorrow. For \
                     help, use the Contact page",
                ),
            ))
        }
    }

    /// The first step of both registrations once the fields are valid: the code proves the
    /// phone, then a slot of the identity limits is taken for `id`. Nothing about the ID number
    /// is answered before this, and every identity question costs a code and a slot.
    pub async fn prove_applicant(
        caller: &Caller,
        form: &CommonFields,
        id: &IdDocument,
        field: &str,
    ) -> Result<(), AppError> {
        crate::accounts::api::sms::ssr::redeem(
            caller,
            &form.phone,
            SmsPurpose::Register,
            "",
            &form.sms_ticket,
            &form.sms_code,
        )
        .await?;
        identity_attempt(caller, id, field).await
    }

    /// The enterprise registry must know the enterprise by this code and name with this
    /// legal representative.
    pub async fn verify_enterprise(
        caller: &Caller,
        claim: &crate::platform::ports::enterprise::EnterpriseClaim<'_>,
    ) -> Result<(), AppError> {
        use crate::platform::ports::enterprise::EnterpriseCheck;
        match caller.enterprises.verify(claim).await {
            Ok(EnterpriseCheck::Match) => Ok(()),
            Ok(EnterpriseCheck::NoMatch) => Err(AppError::field(
                "credit_code",
                Message::new(
                    "企业信息核验未通过:统一社会信用代码、企业名称与法定代表人信息与企业登记信息不一致。\
                     请按营业执照核对后重新输入(本次验证码已使用,请重新获取)",
                    format!(
                        "The organisation check failed: the unified social credit code, the \
                         organisation's name and the legal representative do not match the \
                         business register. Check them against the business licence and enter \
                         them again{CODE_USED}"
                    ),
                ),
            )),
            Err(e) => {
                tracing::error!(error = %e, "enterprise identity source");
                Err(AppError::unavailable(Message::new(
                    "企业信息核验服务暂时不可用,请稍后重试(本次验证码已使用,请重新获取)",
                    format!(
                        "The organisation check service is unavailable: please try again \
                         later{CODE_USED}"
                    ),
                )))
            }
        }
    }

    /// Name and number checked with the identity source (FAQ 5 explains a refusal). A kind
    /// the source cannot check (a 通行证, 永居证 or passport with the commercial sources) is
    /// checked against the national registry of 注册执业人员 instead, whose document the
    /// registration authority saw: such a holder registers only as the professional the
    /// registry holds, and any 电子证照 work still needs 协助核验 in person.
    pub async fn verify_identity(
        state: &AppState,
        name: &str,
        id: &IdDocument,
        field: &str,
    ) -> Result<(), AppError> {
        if !state.identity.checks(id.kind()) {
            let names =
                crate::registry::repo::names_for_document(&state.db, &state.settings.data_key, id)
                    .await?;
            return if names.iter().any(|n| n == name) {
                Ok(())
            } else {
                Err(AppError::field(
                    field,
                    Message::new(
                        format!(
                            "{}暂不能通过公安身份信息库在线核验。持该证件的注册执业人员,请按全国注册执业人员库中登记的姓名和证件号码注册\
                             (本次验证码已使用,请重新获取);如仍无法注册,请通过“联系我们”咨询",
                            id.kind().label()
                        ),
                        format!(
                            "A {} cannot yet be checked online against the national identity \
                             database. Registered professionals holding one register with the \
                             name and document number in the national register of registered \
                             professionals{CODE_USED}. If you still cannot register, ask for \
                             help on the Contact page",
                            id.kind().english()
                        ),
                    ),
                ))
            };
        }
        match state.identity.verify(name, id).await {
            Ok(IdentityCheck::Match) => Ok(()),
            Ok(IdentityCheck::NoMatch) => Err(AppError::field(
                field,
                Message::new(
                    "身份信息核验未通过:姓名与证件号码不一致,或身份信息库中暂无该身份信息。\
                     请核对姓名、证件号码后重新输入(本次验证码已使用,请重新获取);如确认无误仍无法通过,可使用 CTID 网证(国家网络身份认证)进行实名注册。",
                    format!(
                        "The identity check failed: the name and document number do not match, \
                         or the identity database does not hold them. Check the name and number \
                         and enter them again{CODE_USED}. If they are right and the check still \
                         fails, you can register with a CTID (China's national online identity)."
                    ),
                ),
            )),
            Err(e) => {
                tracing::error!(error = %e, "identity source");
                Err(AppError::unavailable(Message::new(
                    "身份信息核验服务暂时不可用,请稍后重试(本次验证码已使用,请重新获取)",
                    format!(
                        "The identity check service is unavailable: please try again \
                         later{CODE_USED}"
                    ),
                )))
            }
        }
    }

    pub async fn hash(state: &AppState, password: &Password) -> Result<String, AppError> {
        state
            .passwords
            .hash(password.expose().to_string())
            .await
            .map_err(|e| AppError::internal("password hash", e))
    }

    /// The common end of both registrations (the code was redeemed first): phone rule, hash,
    /// insert, audit.
    pub async fn finish_registration(
        caller: &Caller,
        mut new: NewAccount<'_>,
        form: &CommonFields,
    ) -> Result<(), AppError> {
        if accounts::phone_bound_to_other(&caller.db, form.phone.as_str(), new.person_digest)
            .await?
        {
            return Err(phone_taken());
        }
        let hash = hash(caller, &form.password).await?;
        new.password_hash = &hash;
        let id = match accounts::create(&caller.db, &new, caller.clock.now()).await {
            Ok(id) => id,
            Err(CreateError::Duplicate) => {
                return Err(AppError::invalid(Text::new(
                    "该账户已注册,请直接登录",
                    "This account is already registered: sign in",
                )));
            }
            Err(CreateError::PhoneTaken) => return Err(phone_taken()),
            Err(CreateError::Db(e)) => return Err(AppError::internal("create account", e)),
        };
        caller
            .audit(Some(id), audit::REGISTERED, new.kind.label())
            .await;
        // A personal account's registration is a 办件 done; an enterprise's is done when its
        // representative confirms it.
        if new.kind == crate::domain::account::AccountKind::Person {
            crate::evaluation::repo::open_case_logged(
                &caller.db,
                id,
                crate::evaluation::Service::Register,
                "注册个人账户",
                caller.clock.now(),
            )
            .await;
        }
        Ok(())
    }
}
