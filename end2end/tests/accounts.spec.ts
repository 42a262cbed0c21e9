// Journeys 2, 3 and 6: registration with the SMS code read from the development outbox,
// login (wrong password, eye button, Caps Lock hint, spaces), logout, and the phone change in
// 账户设置. Needs a fresh database (make e2e makes one): 赵新民 and 刘志强 register only once;
// no spec changes a demo account another spec relies on.
import { test, expect, expectAccessible, hydrated, latestCode, registerPerson } from "./fixtures";
import type { Page } from "@playwright/test";

async function login(page: Page, id: string, password: string) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("身份证号").fill(id);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
}

test("个人用户注册: identity check, phone rule, SMS code from the outbox, then login", async ({ page, request, pageErrors }) => {
  await page.goto("/login");
  await hydrated(page);
  await page.getByRole("link", { name: "立即注册" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("个人用户注册");
  await hydrated(page);

  await page.getByLabel("姓名").fill("赵新民");
  await page.getByLabel("身份证号").fill("110108200001010015");
  // Asking for a code says nothing about whose the number is; the registration says it,
  // once the code has proven the phone (the integration tests cover a bound number).
  await page.getByLabel("手机号").fill("13700137001");
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page.getByText("验证码已发送至 137****7001")).toBeVisible();
  // The button counts down and cannot be pressed again meanwhile.
  const countdown = page.getByRole("button", { name: /秒后重新获取/ });
  await expect(countdown).toBeDisabled();
  const code = await latestCode(request, "13700137001");

  await page.getByLabel("短信验证码").fill(code);
  await page.getByLabel("设置密码").fill("Zhao@2026x");
  await page.getByLabel("确认密码").fill("Zhao@2026y");
  await page.getByRole("button", { name: "注册", exact: true }).click();
  // A mismatch is named at its field, and nothing typed is lost.
  await expect(page.getByText("两次输入的密码不一致")).toBeVisible();
  await expectAccessible(page, "个人用户注册 with a field error");
  await expect(page.getByLabel("确认密码")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("姓名")).toHaveValue("赵新民");
  await expect(page.getByLabel("短信验证码")).toHaveValue(code);

  await page.getByLabel("确认密码").fill("Zhao@2026x");
  await page.getByRole("button", { name: "注册", exact: true }).click();
  await expect(page.getByText("请阅读并同意《隐私政策》后再注册")).toBeVisible();
  await page.getByRole("checkbox", { name: /我已阅读并同意/ }).check();
  await page.getByRole("button", { name: "注册", exact: true }).click();

  await expect(page).toHaveURL(/\/login\?registered=person/);
  await expect(page.getByText("注册成功!请使用身份证号和密码登录。")).toBeVisible();
  await hydrated(page);
  await page.getByLabel("身份证号").fill("110108200001010015");
  await page.getByLabel("密码", { exact: true }).fill("Zhao@2026x");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).toHaveURL(/\/user$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("用户中心");
  await expect(page.getByRole("banner")).toContainText("赵**");
});

test("registration refuses a name that does not match the ID number, suggesting CTID", async ({ page, request, pageErrors }) => {
  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("姓名").fill("陈小华");
  await page.getByLabel("身份证号").fill("310101198807150027");
  await page.getByLabel("手机号").fill("13700137002");
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page.getByText("验证码已发送至 137****7002")).toBeVisible();
  await page.getByLabel("短信验证码").fill(await latestCode(request, "13700137002"));
  await page.getByLabel("设置密码").fill("Zhao@2026x");
  await page.getByLabel("确认密码").fill("Zhao@2026x");
  await page.getByRole("checkbox", { name: /我已阅读并同意/ }).check();
  await page.getByRole("button", { name: "注册", exact: true }).click();
  await expect(page.getByText("身份证号校验位不正确")).toBeVisible();
  // 陈晓华's number with another name.
  await page.getByLabel("身份证号").fill("310101198807150028");
  await page.getByRole("button", { name: "注册", exact: true }).click();
  await expect(page.getByText(/身份信息核验未通过.*CTID 网证/)).toBeVisible();
  await expect(page.getByLabel("姓名")).toHaveValue("陈小华");
});

// The spec's own citizen for wrong passwords (a demo account's failures would count toward
// its lock, which other specs would meet).
const ZHENG = { name: "郑国栋", id: "110108198811300057", phone: "13700137104", password: "Zheng@2026" };

test("login: wrong password message, eye button, Caps Lock hint, spaces refused", async ({ page, request, pageErrors }) => {
  await registerPerson(request, ZHENG);
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("link", { name: "登录", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("个人用户登录");
  await expect(page.getByRole("tab", { name: "法人用户登录" })).toBeVisible();
  await hydrated(page);

  const password = page.getByLabel("密码", { exact: true });
  await page.getByLabel("身份证号").fill(ZHENG.id);
  await password.fill("Wrong@2026");
  await expect(password).toHaveAttribute("type", "password");
  await page.getByRole("button", { name: "显示密码" }).click();
  await expect(password).toHaveAttribute("type", "text");
  await page.getByRole("button", { name: "隐藏密码" }).click();
  await expect(password).toHaveAttribute("type", "password");

  await password.focus();
  await password.dispatchEvent("keyup", { key: "A", modifierCapsLock: true });
  await expect(page.getByText("大写锁定(Caps Lock)已开启")).toBeVisible();
  await password.dispatchEvent("keyup", { key: "a", modifierCapsLock: false });
  await expect(page.getByText("大写锁定(Caps Lock)已开启")).toBeHidden();

  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page.getByText(/身份证号或密码错误,还可尝试\d次/)).toBeVisible();
  await expect(page.getByLabel("身份证号")).toHaveValue(ZHENG.id);

  // An unknown (but valid) number gets the same message.
  await page.getByLabel("身份证号").fill("110108200001010015");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page.getByText(/^身份证号或密码错误,还可尝试\d次\(连续错误5次将锁定账户30分钟\)$/)).toBeVisible();
  await expectAccessible(page, "登录 with a wrong password");

  await page.getByLabel("身份证号").fill("110108 198811300057");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page.getByText("身份证号不能包含空格,请删除空格后重新输入")).toBeVisible();
});

test("法人用户登录 with the credit code, then logout", async ({ page, pageErrors }) => {
  await page.goto("/login");
  await hydrated(page);
  await page.getByRole("tab", { name: "法人用户登录" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("法人用户登录");
  await page.getByLabel("统一社会信用代码").fill("91110000MA01ABCD1M");
  await page.getByLabel("密码", { exact: true }).fill("Demo@2026");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).toHaveURL(/\/user$/);
  const banner = page.getByRole("banner");
  await expect(banner).toContainText("中建示范建设有限公司");
  await banner.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(banner.getByRole("link", { name: "登录", exact: true })).toBeVisible();
  // The session is gone on the server too.
  await page.goto("/user/settings");
  await expect(page).toHaveURL(/\/login\?next=%2Fuser%2Fsettings/);
});

test("账户设置: phone shown masked with a pencil; change needs a code to the new number", async ({ page, request, pageErrors }) => {
  // Its own account (刘志强, known to the development identity source), not a demo one.
  await registerPerson(request, { name: "刘志强", id: "440106197501200033", phone: "13500135077", password: "Liu@2026xy" });
  await login(page, "440106197501200033", "Liu@2026xy");
  await expect(page).toHaveURL(/\/user$/);
  await page.getByRole("navigation", { name: "用户中心" }).getByRole("link", { name: "账户设置" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("账户设置");
  const main = page.getByRole("main");
  await expect(main).toContainText("440106********0033");
  await expect(main).toContainText("刘**");
  await expect(page.getByTestId("bound-phone")).toHaveText("135****5077");
  expect(await page.content()).not.toContain("13500135077");

  await page.getByRole("button", { name: "修改手机号" }).click();
  const form = page.getByRole("form", { name: "修改手机号" });
  await expectAccessible(page, "账户设置 with the phone form open");
  // 王建国's number belongs to another person: said once its code has proven the number
  // (asked here through the same server functions the form uses, in this session).
  const sent = await page.request.post("/api/send_sms_code", { form: { purpose: "change_phone", phone: "13800138000" } });
  expect(sent.ok()).toBeTruthy();
  const { ticket } = await sent.json();
  const taken = await page.request.post("/api/change_phone", {
    form: { phone: "13800138000", sms_code: await latestCode(request, "13800138000"), password: "Liu@2026xy", sms_ticket: ticket },
  });
  expect(taken.status()).toBe(422);
  expect(await taken.text()).toContain("当前手机号已被其他人员绑定");

  await form.getByLabel("新手机号").fill("13600136000");
  await form.getByRole("button", { name: "获取验证码" }).click();
  await expect(form.getByText("验证码已发送至 136****6000")).toBeVisible();
  const code = await latestCode(request, "13600136000");
  await form.getByLabel("短信验证码").fill(code);
  await form.getByLabel("当前登录密码").fill("Liu@2026xy");
  await form.getByRole("button", { name: "确定" }).click();
  await expect(page.getByText("手机号已修改为 136****6000")).toBeVisible();
  await expect(page.getByTestId("bound-phone")).toHaveText("136****6000");

  // 安全记录 lists the change and the login.
  await page.getByRole("navigation", { name: "用户中心" }).getByRole("link", { name: "安全记录" }).click();
  const table = page.getByRole("table");
  await expect(table).toContainText("修改手机号");
  await expect(table).toContainText("135****5077 → 136****6000");
  await expect(table).toContainText("登录成功");
});

test("the user center is guarded and comes back after login", async ({ page, pageErrors }) => {
  await page.goto("/user/security");
  await expect(page).toHaveURL(/\/login\?next=%2Fuser%2Fsecurity/);
  await hydrated(page);
  await page.getByLabel("身份证号").fill("110105198003150039");
  await page.getByLabel("密码", { exact: true }).fill("Demo@2026");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).toHaveURL(/\/user\/security$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("安全记录");
  // One question to the server per navigation inside 用户中心: the guard and the header share
  // the session resource.
  await hydrated(page);
  let asked = 0;
  page.on("request", (r) => {
    if (r.url().includes("/api/current_user")) asked += 1;
  });
  await page.getByRole("navigation", { name: "用户中心" }).getByRole("link", { name: "账户设置" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("账户设置");
  await page.waitForLoadState("networkidle");
  expect(asked).toBe(1);
});

test("继续使用 before the idle timeout keeps the page as it is and restarts the count", async ({ page, request, pageErrors }) => {
  await registerPerson(request, ZHENG);
  await page.clock.install();
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("身份证号").fill(ZHENG.id);
  await page.getByLabel("密码", { exact: true }).fill(ZHENG.password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).toHaveURL(/\/user$/);
  await page.getByRole("navigation", { name: "用户中心" }).getByRole("link", { name: "账户设置" }).click();
  await page.getByRole("button", { name: "修改手机号" }).click();
  const typed = page.getByRole("form", { name: "修改手机号" }).getByLabel("新手机号");
  await typed.fill("13600136999");

  // 25 minutes idle: the warning; 【继续使用】 closes it and nothing typed is lost.
  await page.clock.fastForward("25:01");
  const warning = page.getByRole("alertdialog", { name: "即将退出登录" });
  await expect(warning).toBeVisible();
  await expectAccessible(page, "the idle warning");
  await warning.getByRole("button", { name: "继续使用" }).click();
  await expect(warning).toBeHidden();
  await expect(typed).toHaveValue("13600136999");
  // The count started again from the server's answer: no warning for another 24 minutes.
  await page.clock.fastForward("24:00");
  await expect(warning).toBeHidden();
  await expect(typed).toHaveValue("13600136999");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("login is a plain form: a wrong password comes back with its message, the right one signs in", async ({ page, request, pageErrors }) => {
    await registerPerson(request, ZHENG);
    await page.goto("/login");
    await page.getByLabel("身份证号").fill(ZHENG.id);
    await page.getByLabel("密码", { exact: true }).fill("Wrong@2026");
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByText(/身份证号或密码错误,还可尝试\d次/)).toBeVisible();
    await page.getByLabel("身份证号").fill(ZHENG.id);
    await page.getByLabel("密码", { exact: true }).fill(ZHENG.password);
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await expect(page).toHaveURL(/\/user$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("用户中心");
    await page.getByRole("banner").getByRole("button", { name: "退出" }).click();
    await expect(page.getByRole("banner").getByRole("link", { name: "登录", exact: true })).toBeVisible();
  });
});
