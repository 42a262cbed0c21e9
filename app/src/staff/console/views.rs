//! The console's pages, rendered on the server.

use crate::staff::audit::{Entry, Verified};
use crate::staff::repo::StaffRow;
use crate::staff::{Action, Role, StaffMember};
use axum::response::Html;
use leptos::prelude::*;

/// The console's own small stylesheet (served at `/admin/console.css`; the console loads
/// nothing else).
pub const STYLESHEET: &str = "\
body{margin:0;font:16px/1.6 system-ui,'PingFang SC','Microsoft YaHei',sans-serif;color:#1f1f1f;background:#f4f5f7}\
header{background:#8f1d1d;color:#fff;padding:.75rem 1.5rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}\
header h1{font-size:1.15rem;margin:0;flex:1}header a{color:#fff}\
main{max-width:72rem;margin:1.5rem auto;padding:0 1.5rem}\
section{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:1rem 1.25rem;margin-bottom:1.25rem}\
label{display:block;margin:.5rem 0 .25rem;font-weight:600}\
input[type=text],input[type=password]{font:inherit;padding:.5rem;border:1px solid #6b7280;border-radius:4px;width:min(22rem,100%)}\
button{font:inherit;padding:.45rem 1.1rem;border-radius:4px;border:1px solid #8f1d1d;background:#8f1d1d;color:#fff;cursor:pointer;min-height:44px}\
button.plain{background:#fff;color:#8f1d1d}\
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}\
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d0d4da;padding:.4rem .5rem;text-align:left;vertical-align:top}\
.error{color:#a50e0e;font-weight:600}.ok{color:#0b6b2b;font-weight:600}\
.secret{font-family:ui-monospace,monospace;word-break:break-all;background:#fff7e0;padding:.5rem}\
fieldset{border:0;padding:0;margin:.5rem 0}fieldset label{display:inline-block;font-weight:400;margin-right:1rem}\
tr.overdue{background:#fdecec}\
";

/// A whole console page.
pub fn page(title: &str, member: Option<&StaffMember>, body: AnyView) -> Html<String> {
    page_with(title, member, body, None)
}

/// A whole console page that reloads itself every `refresh` seconds (a job's progress).
pub fn page_with(
    title: &str,
    member: Option<&StaffMember>,
    body: AnyView,
    refresh: Option<u32>,
) -> Html<String> {
    let refresh = refresh.map(|s| view! { <meta http-equiv="refresh" content=s.to_string()/> });
    let title = title.to_string();
    let heading = title.clone();
    let signed_in = member.map(|m| format!("{}({})", m.display_name, m.role_labels()));
    let html = Owner::new().with(move || {
        view! {
            <html lang="zh-CN">
                <head>
                    <meta charset="utf-8"/>
                    <meta name="viewport" content="width=device-width, initial-scale=1"/>
                    <meta name="robots" content="noindex"/>
                    {refresh}
                    <title>{format!("{title} - 工作人员控制台")}</title>
                    <link rel="stylesheet" href="/admin/console.css"/>
                </head>
                <body>
                    <header>
                        <h1>"住房和城乡建设部政务服务门户 · 工作人员控制台"</h1>
                        {signed_in.map(|who| view! {
                            <span>{who}</span>
                            <a href="/admin">"工作台"</a>
                            <form method="post" action="/admin/logout">
                                <button type="submit" class="plain">"退出"</button>
                            </form>
                        })}
                    </header>
                    <main id="main">
                        <h2>{heading}</h2>
                        {body}
                    </main>
                </body>
            </html>
        }
        .to_html()
    });
    Html(format!("<!DOCTYPE html>{html}"))
}

pub fn notice(text: &str) -> AnyView {
    let text = text.to_string();
    view! { <section><p class="error" role="alert">{text}</p></section> }.into_any()
}

pub fn login_form(username: &str, error: Option<&str>) -> AnyView {
    let username = username.to_string();
    let error = error.map(str::to_string);
    view! {
        <section>
            {error.map(|e| view! { <p class="error" role="alert" id="login-error">{e}</p> })}
            <form method="post" action="/admin/login">
                <label for="username">"用户名"</label>
                <input type="text" id="username" name="username" value=username autocomplete="username" required/>
                <label for="password">"密码"</label>
                <input type="password" id="password" name="password" autocomplete="current-password" required/>
                <label for="code">"动态口令(身份验证器中的 6 位数字)"</label>
                <input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required/>
                <p><button type="submit">"登录"</button></p>
            </form>
            <p>"连续错误 5 次将锁定 30 分钟;15 分钟无操作自动退出。"</p>
        </section>
    }
    .into_any()
}

pub fn home(member: &StaffMember) -> AnyView {
    let links: Vec<(&str, &str, Action)> = vec![
        ("/admin/audit", "审计记录(防篡改校验)", Action::ViewAudit),
        ("/admin/staff", "工作人员与角色", Action::ManageStaff),
        (
            "/admin/withdrawals",
            "申请注销或撤销注册",
            Action::ProposeWithdrawal,
        ),
        ("/admin/assisted", "协助核验", Action::AssistVerification),
        ("/admin/disputes", "法人账户申诉", Action::HandleDispute),
        ("/admin/orders", "差评工单", Action::HandleWorkOrder),
        ("/admin/approvals", "待审核事项", Action::Approve),
        (
            "/admin/registry",
            "上传注册人员库变更文件",
            Action::ApplyFeed,
        ),
    ];
    let allowed: Vec<_> = links
        .into_iter()
        .filter(|(_, _, action)| member.may(*action))
        .map(|(href, label, _)| view! { <li><a href=href>{label}</a></li> })
        .collect();
    let empty = allowed.is_empty();
    view! {
        <section>
            <p>{format!("{},您好。您的角色:{}。", member.display_name, member.role_labels())}</p>
            {(!empty).then(|| view! { <ul>{allowed}</ul> })}
            {empty.then(|| view! { <p>"您的角色目前没有可用的功能页。"</p> })}
        </section>
    }
    .into_any()
}

pub fn audit(verified: &Verified, entries: &[(Entry, String)]) -> AnyView {
    let status = match verified {
        Verified::Intact { entries, last_hash } => view! {
            <p class="ok" id="chain-status">{format!("链完整:共 {entries} 条,末条哈希 {last_hash}")}</p>
        }
        .into_any(),
        Verified::Broken { seq, reason } => view! {
            <p class="error" role="alert" id="chain-status">{format!("链在第 {seq} 条断开:{reason}")}</p>
        }
        .into_any(),
    };
    let rows: Vec<_> = entries
        .iter()
        .map(|(e, hash)| {
            let at = crate::domain::time::format_beijing_second(e.at);
            let short = hash.chars().take(16).collect::<String>();
            view! {
                <tr>
                    <td>{e.seq}</td>
                    <td>{at}</td>
                    <td>{e.actor.clone()}</td>
                    <td>{e.action.clone()}</td>
                    <td>{e.subject.clone()}</td>
                    <td>{e.detail.clone()}</td>
                    <td><code>{short}</code></td>
                </tr>
            }
        })
        .collect();
    view! {
        <section>
            {status}
            <table>
                <caption>"最近 100 条(新的在前);每条带前一条的 SM3 哈希"</caption>
                <thead><tr><th>"序号"</th><th>"时间"</th><th>"操作人"</th><th>"操作"</th><th>"对象"</th><th>"详情"</th><th>"哈希"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}

fn role_boxes(prefix: &str, checked: &[Role]) -> AnyView {
    let boxes: Vec<_> = Role::ALL
        .into_iter()
        .map(|role| {
            let id = format!("{prefix}-{}", role.code());
            let label_for = id.clone();
            let on = checked.contains(&role);
            view! {
                <label for=label_for>
                    <input type="checkbox" id=id name=role.code() value="1" checked=on/>
                    {role.label()}
                </label>
            }
        })
        .collect();
    view! { <fieldset><legend>"角色"</legend>{boxes}</fieldset> }.into_any()
}

pub fn staff(
    member: &StaffMember,
    rows: &[StaffRow],
    created: Option<&super::service::NewStaff>,
    error: Option<&str>,
) -> AnyView {
    let created = created.map(|c| {
        let qr = crate::platform::qr::qr_svg(&c.provisioning_uri).unwrap_or_default();
        view! {
            <section aria-labelledby="created-heading">
                <h3 id="created-heading">{format!("已添加 {}:以下内容只显示这一次", c.username)}</h3>
                <p>"初始密码(请当面交给本人):"</p>
                <p class="secret" id="created-password">{c.password.clone()}</p>
                <p>"请本人用身份验证器扫描二维码,或输入下面的地址:"</p>
                <div inner_html=qr></div>
                <p class="secret" id="created-uri">{c.provisioning_uri.clone()}</p>
            </section>
        }
    });
    let error = error.map(|e| {
        let e = e.to_string();
        view! { <p class="error" role="alert" id="staff-error">{e}</p> }
    });
    let me = member.id;
    let list: Vec<_> = rows
        .iter()
        .map(|row| {
            let m = &row.member;
            let state = if row.active { "在用" } else { "已停用" };
            let own = m.id == me;
            let roles_action = format!("/admin/staff/{}/roles", m.id);
            let disable_action = format!("/admin/staff/{}/disable", m.id);
            let prefix = format!("roles-{}", m.id);
            view! {
                <tr>
                    <td>{m.username.clone()}</td>
                    <td>{m.display_name.clone()}</td>
                    <td>{m.role_labels()}</td>
                    <td>{state}</td>
                    <td>
                        {(!own && row.active).then(|| view! {
                            <form method="post" action=roles_action>
                                {role_boxes(&prefix, &m.roles)}
                                <button type="submit" class="plain">"修改角色"</button>
                            </form>
                            <form method="post" action=disable_action>
                                <button type="submit" class="plain">"停用"</button>
                            </form>
                        })}
                    </td>
                </tr>
            }
        })
        .collect();
    view! {
        {created}
        <section>
            <h3>"添加工作人员"</h3>
            {error}
            <form method="post" action="/admin/staff">
                <label for="new-username">"用户名"</label>
                <input type="text" id="new-username" name="username" required/>
                <label for="new-name">"姓名"</label>
                <input type="text" id="new-name" name="display_name" required/>
                {role_boxes("new", &[])}
                <p><button type="submit">"添加"</button></p>
            </form>
        </section>
        <section>
            <table>
                <caption>"工作人员"</caption>
                <thead><tr><th>"用户名"</th><th>"姓名"</th><th>"角色"</th><th>"状态"</th><th>"操作"</th></tr></thead>
                <tbody>{list}</tbody>
            </table>
        </section>
    }
    .into_any()
}

fn decision_label(decision: &str) -> &'static str {
    match decision {
        "approved" => "已批准并生效",
        "rejected" => "已驳回",
        _ => "待审核",
    }
}

fn messages(done: Option<&str>, error: Option<&str>) -> AnyView {
    let done = done.map(|d| {
        let d = d.to_string();
        view! { <p class="ok" role="status" id="done">{d}</p> }
    });
    let error = error.map(|e| {
        let e = e.to_string();
        view! { <p class="error" role="alert" id="error">{e}</p> }
    });
    view! { {done} {error} }.into_any()
}

fn proposal_rows(
    list: &[crate::staff::proposals::Proposal],
    actions: impl Fn(&crate::staff::proposals::Proposal) -> Option<AnyView>,
) -> Vec<AnyView> {
    list.iter()
        .map(|p| {
            let at = crate::domain::time::format_beijing_minute(p.proposed_at);
            let decider = (!p.decider.is_empty()).then(|| format!("({})", p.decider));
            view! {
                <tr>
                    <td>{p.id}</td>
                    <td>{p.kind.clone()}</td>
                    <td>{p.subject.clone()}</td>
                    <td>{p.reason.clone()}</td>
                    <td>{format!("{} {at}", p.proposer)}</td>
                    <td>{decision_label(&p.decision)}{decider}</td>
                    <td>{actions(p)}</td>
                </tr>
            }
            .into_any()
        })
        .collect()
}

pub fn withdrawals(
    list: &[crate::staff::proposals::Proposal],
    done: Option<&str>,
    error: Option<&str>,
) -> AnyView {
    let rows = proposal_rows(list, |_| None);
    view! {
        <section>
            <h3>"申请注销或撤销一项注册"</h3>
            <p>"提交后须由另一位审核员批准才生效;生效后该注册的电子证照在所有服务器上立即失效。"</p>
            {messages(done, error)}
            <form method="post" action="/admin/withdrawals">
                <label for="registration_no">"注册编号"</label>
                <input type="text" id="registration_no" name="registration_no" required/>
                <fieldset>
                    <legend>"类型"</legend>
                    <label for="kind-cancel"><input type="radio" id="kind-cancel" name="kind" value="注销" checked=true/>"注销"</label>
                    <label for="kind-revoke"><input type="radio" id="kind-revoke" name="kind" value="撤销"/>"撤销"</label>
                </fieldset>
                <label for="reason">"原因"</label>
                <input type="text" id="reason" name="reason" maxlength="200" required/>
                <p><button type="submit">"提交审核"</button></p>
            </form>
        </section>
        <section>
            <table>
                <caption>"申请记录(待审核的在前)"</caption>
                <thead><tr><th>"编号"</th><th>"类型"</th><th>"注册编号"</th><th>"原因"</th><th>"申请人"</th><th>"状态"</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}

pub fn assisted(
    records: &[crate::face_check::assisted::repo::Record],
    done: Option<&str>,
    error: Option<&str>,
) -> AnyView {
    use crate::face_check::assisted::{EVIDENCE_KINDS, repo::state_label};
    let kinds = EVIDENCE_KINDS
        .into_iter()
        .enumerate()
        .map(|(i, k)| {
            let id = format!("evidence-{i}");
            let target = id.clone();
            view! { <label for=target><input type="radio" id=id name="evidence_kind" value=k checked=i == 0/>{k}</label> }
        })
        .collect::<Vec<_>>();
    let rows = records
        .iter()
        .map(|r| {
            let at = crate::domain::time::format_beijing_minute(r.recorded_at);
            let resend = matches!(r.state.as_str(), "recorded" | "approved" | "issued").then(|| {
                let action = format!("/admin/assisted/{}/resend", r.id);
                view! { <form method="post" action=action><button type="submit" class="plain">{format!("重新发送第 {} 号核验码", r.id)}</button></form> }
            });
            view! {
                <tr>
                    <td>{r.id}</td>
                    <td>{r.holder_masked.clone()}</td>
                    <td>{format!("{}({})", r.evidence_kind, r.evidence_ref)}</td>
                    <td>{r.reason.clone()}</td>
                    <td>{format!("{} {at}", r.recorder)}</td>
                    <td>{state_label(&r.state)}</td>
                    <td>{resend}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <section>
            <h3>"记录一次协助核验"</h3>
            <p>"按本部核验程序核实本人身份后填写。系统将向该账户绑定的手机发送一次性核验码(30 分钟内有效),本人在“人脸识别认证”页面输入后,本次登录视为已完成人脸识别认证。本人名下有注册证书的,须另一位审核员批准后才发送。"</p>
            {messages(done, error)}
            <form method="post" action="/admin/assisted">
                <label for="id_kind">"证件类型"</label>
                <select id="id_kind" name="id_kind">
                    {crate::domain::DocumentKind::ALL
                        .into_iter()
                        .map(|k| view! { <option value=k.code()>{k.label()}</option> })
                        .collect_view()}
                </select>
                <label for="id_number">"本人身份证号"</label>
                <input type="text" id="id_number" name="id_number" autocomplete="off" maxlength="20" required/>
                <label for="id_country">"护照签发国家或地区(仅护照,三位字母代码)"</label>
                <input type="text" id="id_country" name="id_country" autocomplete="off" maxlength="3"/>
                <label for="phone_tail">"本人绑定手机号后四位(请本人报出,核验码将发送至该手机)"</label>
                <input type="text" id="phone_tail" name="phone_tail" autocomplete="off" inputmode="numeric" maxlength="4" required/>
                <fieldset><legend>"核验方式"</legend>{kinds}</fieldset>
                <label for="evidence_ref">"凭证编号(受理单号、视频记录编号等)"</label>
                <input type="text" id="evidence_ref" name="evidence_ref" maxlength="64" required/>
                <label for="assist-reason">"原因"</label>
                <input type="text" id="assist-reason" name="reason" maxlength="200" required/>
                <p><button type="submit">"提交"</button></p>
            </form>
        </section>
        <section>
            <table>
                <caption>"协助核验记录(最新的在前)"</caption>
                <thead><tr><th>"编号"</th><th>"本人"</th><th>"核验方式(凭证)"</th><th>"原因"</th><th>"记录人"</th><th>"状态"</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}

pub fn disputes(
    list: &[crate::staff::disputes::Dispute],
    done: Option<&str>,
    error: Option<&str>,
) -> AnyView {
    let rows = list
        .iter()
        .map(|d| {
            let at = crate::domain::time::format_beijing_minute(d.filed_at);
            let actions = (d.state == "open").then(|| {
                let note_id = format!("note-{}", d.id);
                let propose = format!("/admin/disputes/{}/propose", d.id);
                let decline = format!("/admin/disputes/{}/decline", d.id);
                let label = format!("第 {} 号核查意见", d.id);
                let target = note_id.clone();
                view! {
                    <form method="post" action=propose>
                        <label for=target>{label}</label>
                        <input type="text" id=note_id name="note" maxlength="200" required/>
                        <button type="submit">{format!("提请释放第 {} 号", d.id)}</button>
                        <button type="submit" class="plain" formaction=decline>{format!("不予支持第 {} 号", d.id)}</button>
                    </form>
                }
            });
            let state = match d.state.as_str() {
                "open" => "待核查".to_string(),
                "proposed" => "已提请释放,待审核员审核".to_string(),
                _ => d.outcome.clone(),
            };
            view! {
                <tr>
                    <td>{d.id}</td>
                    <td>{format!("{}({})", d.org_name, d.credit_code)}</td>
                    <td>{d.filer.clone()}</td>
                    <td>{if d.holder.is_empty() { "(已不存在)".to_string() } else { d.holder.clone() }}</td>
                    <td>{d.statement.clone()}</td>
                    <td>{at}</td>
                    <td>{state}{actions}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <section>
            <p>"法定代表人经人脸识别和企业登记信息核验后提出的申诉。核查属实的,提请释放该统一社会信用代码,经另一位审核员批准后,占用该代码的账户被注销,双方均收到短信通知。"</p>
            {messages(done, error)}
            <table>
                <caption>"法人账户申诉(待处理的在前)"</caption>
                <thead><tr><th>"编号"</th><th>"企业"</th><th>"申诉人(法定代表人)"</th><th>"占用该代码的账户"</th><th>"申诉理由"</th><th>"提出时间"</th><th>"状态与处理"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}

pub fn orders(
    list: &[crate::evaluation::repo::Order],
    now: i64,
    done: Option<&str>,
    error: Option<&str>,
) -> AnyView {
    use crate::evaluation::{level_label, order_state_label};
    use crate::staff::orders::{next_step, step_label};
    let overdue = list
        .iter()
        .filter(|o| o.state != "closed" && o.due_at < now)
        .count();
    let rows = list
        .iter()
        .map(|o| {
            let late = o.state != "closed" && o.due_at < now;
            let due = crate::domain::time::format_beijing_minute(o.due_at);
            let notes = [
                ("核实", &o.verified),
                ("整改", &o.rectified),
                ("回访", &o.visited),
            ]
            .into_iter()
            .filter(|(_, n)| !n.is_empty())
            .map(|(label, n)| format!("{label}:{n}"))
            .collect::<Vec<_>>()
            .join(";");
            let form = next_step(&o.state).map(|step| {
                let label = step_label(step);
                let id = format!("order-{}-note", o.id);
                let target = id.clone();
                let action = format!("/admin/orders/{}/{step}", o.id);
                view! {
                    <form method="post" action=action>
                        <label for=target>{format!("第 {} 号{label}情况", o.id)}</label>
                        <input type="text" id=id name="note" maxlength="300" required/>
                        <button type="submit">{format!("记录{label}")}</button>
                    </form>
                }
            });
            let fix = (o.fix_level != 0).then(|| format!(";整改评价:{}", level_label(o.fix_level)));
            view! {
                <tr class=if late { "overdue" } else { "" }>
                    <td>{o.id}</td>
                    <td>{format!("{} {}", o.service, o.case_no)}</td>
                    <td>{format!("{}({})", level_label(o.level), o.reasons)}" "{o.comment.clone()}</td>
                    <td>{due}{late.then(|| view! { <strong class="error">" 已超期"</strong> })}</td>
                    <td>{order_state_label(&o.state)}</td>
                    <td>{notes}{fix}{form}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <section>
            <p>{format!("差评须在 5 个工作日内依次核实、整改、回访。当前超期未办结:{overdue} 件。")}</p>
            {messages(done, error)}
            <table>
                <caption>"差评工单(未办结的按时限在前)"</caption>
                <thead><tr><th>"编号"</th><th>"办件"</th><th>"评价"</th><th>"办结时限"</th><th>"状态"</th><th>"处理"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}

pub fn feed_form(done: Option<&str>, error: Option<&str>) -> AnyView {
    view! {
        <section>
            <p>"上传全国注册人员库的变更文件(JSON 行或 CSV,格式见运维手册),与命令 server registry apply 相同。上传后须由另一位审核员在“待审核事项”中批准才应用:按批在事务中应用,同一文件重复应用不会重复变更,每一条被拒绝的行都会列出原因;注销、撤销立即使相应电子证照失效,并以短信通知持证人。"</p>
            {messages(done, error)}
            <form method="post" action="/admin/registry" enctype="multipart/form-data">
                <label for="feed">"变更文件"</label>
                <input type="file" id="feed" name="feed" accept=".jsonl,.json,.csv,.txt" required/>
                <p><button type="submit">"上传并应用"</button></p>
            </form>
        </section>
    }
    .into_any()
}

pub fn feed_job(job: &crate::staff::console::feed_upload::Job) -> AnyView {
    let percent = (job.done * 100).checked_div(job.lines).unwrap_or(100);
    let line = if job.queued {
        format!("{}:排队中,等待前一个文件应用完毕", job.file)
    } else {
        format!(
            "{}:已处理 {} / {} 行({percent}%)",
            job.file, job.done, job.lines
        )
    };
    let report = match &job.finished {
        None => view! { <p>"正在应用,本页每 2 秒自动刷新。"</p> }.into_any(),
        Some(Err(e)) => {
            let e = format!("应用中断:{e}(已提交的批次保留,重新上传同一文件即可继续)");
            view! { <p class="error" role="alert">{e}</p> }.into_any()
        }
        Some(Ok(report)) => {
            let summary = format!(
                "完成:共 {} 行,应用 {} 行,此前已应用 {} 行,拒绝 {} 行。",
                report.lines, report.applied, report.already, job.rejected
            );
            let rows = report
                .rejected
                .iter()
                .map(|(line, reason)| view! { <tr><td>{*line}</td><td>{reason.clone()}</td></tr> })
                .collect::<Vec<_>>();
            let more = (job.rejected > report.rejected.len()).then(|| {
                format!(
                    "(仅列出前 {} 行,共 {} 行被拒绝)",
                    report.rejected.len(),
                    job.rejected
                )
            });
            view! {
                <p class="ok" role="status" id="done">{summary}</p>
                {(!rows.is_empty()).then(|| view! {
                    <table>
                        <caption>"被拒绝的行"{more}</caption>
                        <thead><tr><th>"行号"</th><th>"原因"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                })}
                <p><a href="/admin/registry">"继续上传"</a></p>
            }
            .into_any()
        }
    };
    view! {
        <section>
            <p role="status" id="progress">{line}</p>
            <progress max=job.lines.to_string() value=job.done.to_string()>{format!("{percent}%")}</progress>
            {report}
        </section>
    }
    .into_any()
}

pub fn approvals(
    member: &StaffMember,
    list: &[crate::staff::proposals::Proposal],
    done: Option<&str>,
    error: Option<&str>,
) -> AnyView {
    let me = member.id;
    let rows = proposal_rows(list, move |p| {
        if !p.decision.is_empty() {
            return None;
        }
        if p.proposed_by == me {
            return Some(view! { <span>"本人提交,须由他人审核"</span> }.into_any());
        }
        let approve = format!("/admin/approvals/{}/approve", p.id);
        let reject = format!("/admin/approvals/{}/reject", p.id);
        Some(
            view! {
                <form method="post" action=approve><button type="submit">{format!("批准第 {} 号", p.id)}</button></form>
                <form method="post" action=reject><button type="submit" class="plain">{format!("驳回第 {} 号", p.id)}</button></form>
            }
            .into_any(),
        )
    });
    view! {
        <section>
            {messages(done, error)}
            <table>
                <caption>"待审核事项(批准后立即生效)"</caption>
                <thead><tr><th>"编号"</th><th>"类型"</th><th>"事项"</th><th>"原因"</th><th>"申请人"</th><th>"状态"</th><th>"审核"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}

pub fn enrol(uri: &str, error: Option<&str>) -> AnyView {
    let qr = crate::platform::qr::qr_svg(uri).unwrap_or_default();
    let uri = uri.to_string();
    let error = error.map(|e| {
        let e = e.to_string();
        view! { <p class="error" role="alert" id="enrol-error">{e}</p> }
    });
    view! {
        <section>
            <p>"这是您第一次登录。初始密码和身份验证器由创建账户的管理员交给您;请设置只有您本人知道的新密码,并在身份验证器中添加新的本账户(原来的那一项随后作废)。完成前不能使用其他功能。"</p>
            {error}
            <div inner_html=qr></div>
            <p class="secret" id="enrol-uri">{uri}</p>
            <form method="post" action="/admin/enrol">
                <label for="new-password">"新密码"</label>
                <input type="password" id="new-password" name="password" autocomplete="new-password" required/>
                <label for="confirm">"再次输入新密码"</label>
                <input type="password" id="confirm" name="confirm" autocomplete="new-password" required/>
                <label for="enrol-code">"新添加账户的动态口令(6 位数字)"</label>
                <input type="text" id="enrol-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required/>
                <p><button type="submit">"完成设置"</button></p>
            </form>
        </section>
    }
    .into_any()
}
