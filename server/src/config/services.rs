//! The outside services' configuration: each service's address and keys, all set or none,
//! `https://` in production (the provider simulator's loopback `http://` elsewhere).

use super::is_loopback_host;

/// A Tencent Cloud service: its address and the operator's API key (SecretId, SecretKey).
#[derive(Clone)]
pub struct TencentKey {
    pub endpoint: String,
    pub secret_id: String,
    /// Never logged.
    pub secret_key: String,
}

impl std::fmt::Debug for TencentKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TencentKey")
            .field("endpoint", &self.endpoint)
            .field("secret_id", &self.secret_id)
            .finish_non_exhaustive()
    }
}

/// The carrier that sends SMS: 腾讯云短信 (`PORTAL_SMS_PROVIDER=tencent`) or 阿里云短信
/// (`aliyun`).
#[derive(Clone)]
pub struct SmsCarrier {
    /// `tencent` or `aliyun`.
    pub provider: String,
    /// The API's address and key (`PORTAL_SMS_ENDPOINT`, `PORTAL_SMS_ACCESS_KEY` = SecretId or
    /// AccessKey ID, `PORTAL_SMS_SECRET` = SecretKey or AccessKey secret).
    pub key: TencentKey,
    pub sign_name: String,
    /// `PORTAL_SMS_APP_ID`: the SMS application (Tencent's SmsSdkAppId; "" for Aliyun).
    pub app_id: String,
    /// `PORTAL_SMS_TEMPLATE_ID`: the approved template taking the code and its minutes
    /// (Tencent: parameters {1} and {2}; Aliyun: `${code}` and `${minutes}`).
    pub template_id: String,
    /// `PORTAL_SMS_TEMPLATE_ID_EN` (optional): the approved English template of codes asked
    /// for from English pages, with the same parameters; without it those codes go by
    /// `PORTAL_SMS_TEMPLATE_ID`.
    pub template_id_en: String,
    /// `PORTAL_SMS_NOTICE_TEMPLATE_ID`: the approved template of notices (a registration's
    /// 注销/撤销, a dispute's outcome) taking the matter and the result (Tencent: {1} and {2};
    /// Aliyun: `${matter}` and `${result}`).
    pub notice_template_id: String,
}

impl std::fmt::Debug for SmsCarrier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsCarrier")
            .field("provider", &self.provider)
            .field("key", &self.key)
            .field("app_id", &self.app_id)
            .finish_non_exhaustive()
    }
}

/// `PORTAL_FACE_PROVIDER`.
#[derive(Clone)]
pub enum FaceChoice {
    /// 支付宝 实人认证: `PORTAL_ALIPAY_APP_ID`, `PORTAL_ALIPAY_PRIVATE_KEY_FILE`,
    /// `PORTAL_ALIPAY_PUBLIC_KEY_FILE`.
    Alipay {
        app_id: String,
        private_key_file: String,
        public_key_file: String,
        /// `PORTAL_ALIPAY_GATEWAY` (default Alipay's public gateway).
        gateway: String,
    },
    /// 微信 人脸核身 (腾讯云 FaceId): `PORTAL_WECHAT_SECRET_ID`, `PORTAL_WECHAT_SECRET_KEY`,
    /// `PORTAL_WECHAT_RULE_ID`.
    Wechat {
        /// `PORTAL_FACEID_ENDPOINT` (default FaceId's public address) and the API key.
        key: TencentKey,
        rule_id: String,
    },
}

impl std::fmt::Debug for FaceChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Alipay {
                app_id, gateway, ..
            } => f
                .debug_struct("Alipay")
                .field("app_id", app_id)
                .field("gateway", gateway)
                .finish_non_exhaustive(),
            Self::Wechat { key, rule_id } => f
                .debug_struct("Wechat")
                .field("key", key)
                .field("rule_id", rule_id)
                .finish(),
        }
    }
}

/// The real adapters of the outside services. Production needs every one; development uses
/// the built-in stand-ins and ignores these.
#[derive(Debug, Clone, Default)]
pub struct Adapters {
    /// 身份核验 by 腾讯云慧眼 `IdCardVerification`: `PORTAL_IDENTITY_APP_ID` (SecretId),
    /// `PORTAL_IDENTITY_SECRET` (SecretKey), `PORTAL_IDENTITY_URL` (default FaceId's address).
    pub identity: Option<TencentKey>,
    /// 企业核验 by 腾讯云 OCR `VerifyBizLicenseEnterprise4`: `PORTAL_ENTERPRISE_APP_ID`
    /// (SecretId), `PORTAL_ENTERPRISE_SECRET` (SecretKey), `PORTAL_ENTERPRISE_URL` (default
    /// OCR's address).
    pub enterprise: Option<TencentKey>,
    /// `PORTAL_SMS_PROVIDER`, `PORTAL_SMS_ACCESS_KEY`, `PORTAL_SMS_SECRET`,
    /// `PORTAL_SMS_SIGN_NAME`, `PORTAL_SMS_APP_ID`, `PORTAL_SMS_TEMPLATE_ID`,
    /// `PORTAL_SMS_NOTICE_TEMPLATE_ID`, `PORTAL_SMS_ENDPOINT`.
    pub sms: Option<SmsCarrier>,
    pub face: Option<FaceChoice>,
    /// `PORTAL_PROVIDER_CA_FILE`: a certificate authority (PEM) trusted besides the public
    /// ones, for a government network gateway with its own CA.
    pub provider_ca_file: Option<String>,
}

impl Adapters {
    /// Reads the adapters; every missing or refused variable is added to `problems`. In
    /// production every service is required and every address must be `https://`; otherwise
    /// (development, staging) a service is used when its variables are set, and may also be
    /// `http://` on this machine (the provider simulator).
    pub(super) fn read(
        var: &dyn Fn(&str) -> Option<String>,
        problems: &mut Vec<String>,
        production: bool,
    ) -> Self {
        let mut reading = Reading {
            var,
            problems: Vec::new(),
            refused: Vec::new(),
            production,
        };
        let identity = reading.tencent_key(
            [
                "PORTAL_IDENTITY_APP_ID",
                "PORTAL_IDENTITY_SECRET",
                "PORTAL_IDENTITY_URL",
            ],
            app::platform::providers::tencent::FACEID_ENDPOINT,
            "身份信息核验服务(腾讯云慧眼 SecretId/SecretKey)",
        );
        let enterprise = reading.tencent_key(
            [
                "PORTAL_ENTERPRISE_APP_ID",
                "PORTAL_ENTERPRISE_SECRET",
                "PORTAL_ENTERPRISE_URL",
            ],
            app::platform::providers::tencent::OCR_ENDPOINT,
            "企业信息核验服务(腾讯云营业执照核验 SecretId/SecretKey)",
        );
        let sms = reading.sms();
        let face = reading.face();
        // The missing values first, then those present but not allowed.
        problems.append(&mut reading.problems);
        problems.append(&mut reading.refused);
        Self {
            identity,
            enterprise,
            sms,
            face,
            provider_ca_file: var("PORTAL_PROVIDER_CA_FILE"),
        }
    }
}

/// The environment being read for the adapters: what is missing (`problems`) and what is set
/// but not allowed (`refused`), gathered as each service is read.
struct Reading<'a> {
    var: &'a dyn Fn(&str) -> Option<String>,
    problems: Vec<String>,
    refused: Vec<String>,
    production: bool,
}

impl Reading<'_> {
    /// A Tencent Cloud service known by its SecretId, SecretKey and address variables (`names`,
    /// in that order; the address defaults to `default`), or `None`: in production with its
    /// missing variables added to `problems`; elsewhere when neither key variable is set.
    fn tencent_key(
        &mut self,
        names: [&'static str; 3],
        default: &str,
        what: &str,
    ) -> Option<TencentKey> {
        if !self.production && names[..2].iter().all(|n| (self.var)(n).is_none()) {
            return None;
        }
        let v = self.need(&names[..2], what)?;
        let endpoint = self.address(names[2], default)?;
        Some(TencentKey {
            endpoint,
            secret_id: v[0].clone(),
            secret_key: v[1].clone(),
        })
    }

    /// The SMS carrier, or `None`: in production with its missing variables added to
    /// `problems` and an unknown provider to `refused`; elsewhere when no provider is set.
    fn sms(&mut self) -> Option<SmsCarrier> {
        use app::platform::providers::{aliyun, tencent};
        if !self.production && (self.var)("PORTAL_SMS_PROVIDER").is_none() {
            return None;
        }
        let v = self.need(
            &[
                "PORTAL_SMS_PROVIDER",
                "PORTAL_SMS_ACCESS_KEY",
                "PORTAL_SMS_SECRET",
                "PORTAL_SMS_SIGN_NAME",
                "PORTAL_SMS_TEMPLATE_ID",
                "PORTAL_SMS_NOTICE_TEMPLATE_ID",
            ],
            "短信服务",
        )?;
        let (default, app_id) = match v[0].as_str() {
            "tencent" => (
                tencent::SMS_ENDPOINT,
                self.need(&["PORTAL_SMS_APP_ID"], "腾讯云短信的 SmsSdkAppId")?
                    .remove(0),
            ),
            "aliyun" => (aliyun::SMS_ENDPOINT, String::new()),
            other => {
                self.refused.push(format!(
                    "PORTAL_SMS_PROVIDER 取值 \"{other}\" 无效,应为 tencent(腾讯云短信)或 aliyun(阿里云短信)"
                ));
                return None;
            }
        };
        let endpoint = self.address("PORTAL_SMS_ENDPOINT", default)?;
        Some(SmsCarrier {
            provider: v[0].clone(),
            key: TencentKey {
                endpoint,
                secret_id: v[1].clone(),
                secret_key: v[2].clone(),
            },
            sign_name: v[3].clone(),
            app_id,
            template_id: v[4].clone(),
            template_id_en: (self.var)("PORTAL_SMS_TEMPLATE_ID_EN").unwrap_or_default(),
            notice_template_id: v[5].clone(),
        })
    }

    /// The face-check provider, or `None`: in production with its missing variables added to
    /// `problems` and a missing or unusable `PORTAL_FACE_PROVIDER` to `refused`; elsewhere when
    /// `PORTAL_FACE_PROVIDER` is unset or `development`.
    fn face(&mut self) -> Option<FaceChoice> {
        use app::platform::providers::{alipay, tencent};
        match (self.var)("PORTAL_FACE_PROVIDER").as_deref() {
            Some("alipay") => {
                let v = self.need(
                    &[
                        "PORTAL_ALIPAY_APP_ID",
                        "PORTAL_ALIPAY_PRIVATE_KEY_FILE",
                        "PORTAL_ALIPAY_PUBLIC_KEY_FILE",
                    ],
                    "支付宝实人认证",
                )?;
                let gateway = self.address("PORTAL_ALIPAY_GATEWAY", alipay::GATEWAY)?;
                Some(FaceChoice::Alipay {
                    app_id: v[0].clone(),
                    private_key_file: v[1].clone(),
                    public_key_file: v[2].clone(),
                    gateway,
                })
            }
            Some("wechat") => {
                let v = self.need(
                    &[
                        "PORTAL_WECHAT_SECRET_ID",
                        "PORTAL_WECHAT_SECRET_KEY",
                        "PORTAL_WECHAT_RULE_ID",
                    ],
                    "微信人脸核身(腾讯云慧眼)",
                )?;
                let endpoint = self.address("PORTAL_FACEID_ENDPOINT", tencent::FACEID_ENDPOINT)?;
                Some(FaceChoice::Wechat {
                    key: TencentKey {
                        endpoint,
                        secret_id: v[0].clone(),
                        secret_key: v[1].clone(),
                    },
                    rule_id: v[2].clone(),
                })
            }
            None | Some("development") if !self.production => None,
            None => {
                self.refused
                    .push("PORTAL_FACE_PROVIDER(alipay 或 wechat,人脸核身服务)".into());
                None
            }
            Some(other) => {
                self.refused.push(format!(
                    "PORTAL_FACE_PROVIDER 取值 \"{other}\" 不可用{},应为 alipay 或 wechat",
                    if self.production {
                        "于生产环境"
                    } else {
                        ""
                    }
                ));
                None
            }
        }
    }

    /// An outside service's address: `name`'s value or the provider's public `default`. Production
    /// takes `https://` only; development and staging also take `http://` on this machine (the
    /// provider simulator). A refused address is added to `refused`.
    fn address(&mut self, name: &str, default: &str) -> Option<String> {
        let value = (self.var)(name).map_or_else(|| default.to_string(), |v| v.trim().to_string());
        match url::Url::parse(&value) {
            Ok(u) if u.scheme() == "https" && u.host_str().is_some() => Some(value),
            Ok(u) if u.scheme() == "http" && !self.production && is_loopback_host(&u) => {
                Some(value)
            }
            _ => {
                self.refused.push(format!(
                    "{name} 须为 https:// 开头的完整地址{}",
                    if self.production {
                        ""
                    } else {
                        "(开发和测试部署也可用本机的 http:// 地址)"
                    }
                ));
                None
            }
        }
    }

    /// The values of `names`, all set; or `None`, with the missing ones and `what` they are for
    /// added to `problems`.
    fn need(&mut self, names: &[&'static str], what: &str) -> Option<Vec<String>> {
        let values: Vec<Option<String>> = names.iter().map(|n| (self.var)(n)).collect();
        if values.iter().all(Option::is_some) {
            return Some(values.into_iter().flatten().collect());
        }
        let missing: Vec<&str> = names
            .iter()
            .zip(&values)
            .filter(|(_, v)| v.is_none())
            .map(|(n, _)| *n)
            .collect();
        self.problems
            .push(format!("{}({what})", missing.join("、")));
        None
    }
}
