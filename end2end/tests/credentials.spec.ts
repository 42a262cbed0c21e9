// Beyond the paper copy: 亮证 on the phone (the phone's own face check, the live QR code, and
// what any camera opens), 授权用证 with the organisation's page and the holder's 用证记录, and
// the certificate exported as an SD-JWT VC with chosen disclosures, checked by an independent
// implementation (@sd-jwt/sd-jwt-vc, end2end/verify-sd-jwt.mjs).
import { test, expect, expectAccessible, hydrated } from "./fixtures";
import { DEMO_PASSWORD, approveOnPhone, desktopLogin, passFaceCheck, phone } from "./face";
import { execFileSync } from "node:child_process";

/** 李秀英: a demo account with one certificate (一级注册造价工程师). */
const LI = { id: "310104199007220044", password: DEMO_PASSWORD };
const TITLE = "中华人民共和国一级造价工程师注册证书";
const ORG = { code: "91110000MA01ABCD1M", name: "中建示范建设有限公司" };

test("亮证 on the phone: its own face check, the live QR code, and what a camera opens", async ({ page, browser, pageErrors }) => {
  const m = await phone(browser);
  await m.page.goto("/m");
  await hydrated(m.page);
  await m.page.getByRole("link", { name: "登录" }).click();
  await hydrated(m.page);
  await m.page.getByLabel("身份证号").fill(LI.id);
  await m.page.getByLabel("密码", { exact: true }).fill(LI.password);
  await m.page.getByRole("button", { name: "登录" }).click();
  await m.page.getByRole("link", { name: "我的证照(亮证)" }).click();
  await expect(m.page.getByRole("heading", { level: 1 })).toHaveText("我的证照");
  // No 亮证 without a face check on this phone: it does one itself, and comes back.
  await expect(m.page.getByRole("note").filter({ hasText: "人脸识别认证" })).toBeVisible();
  await expectAccessible(m.page, "phone: 我的证照 before the face check");
  await m.page.getByRole("button", { name: "人脸识别认证" }).click();
  await expect(m.page).toHaveURL(/\/m\/scan\?t=[0-9a-f]{64}&next=/);
  await expect(m.page.getByText("本机申请出示(亮证)")).toBeVisible();
  await approveOnPhone(m.page, LI.id);
  await expect(m.page).toHaveURL(/\/m\/certificates$/);
  const card = m.page.getByRole("listitem").filter({ hasText: TITLE });
  await expect(card).toContainText(/1\.2\.156\.3005\.2\.11100000000013338W004\.11100000000013338W\.\d{10}\.\d{3}\.[0-9A-Z]/);
  await expectAccessible(m.page, "phone: 我的证照");

  const [shown] = await Promise.all([
    m.page.waitForResponse((r) => r.url().includes("/api/start_showing")),
    card.getByRole("button", { name: `亮证:${TITLE}` }).click(),
  ]);
  const showing = await shown.json();
  const panel = m.page.getByRole("region", { name: "亮证" });
  await expect(panel.getByRole("img", { name: "亮证二维码" })).toBeVisible();
  await expect(panel.getByText(/^出示时间:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)).toBeVisible();
  await expectAccessible(m.page, "phone: 亮证");
  const url: string = showing.code.url;
  expect(url).toMatch(/\/verify\/show\/[0-9a-f]{64}$/);

  // Any camera: the live status, the holder masked, when it was shown.
  const camera = await browser.newContext({ locale: "zh-CN" });
  const seen = await camera.newPage();
  await seen.goto(url);
  await expect(seen.getByRole("heading", { level: 1 })).toHaveText("亮证核验");
  await expect(seen.getByRole("status").filter({ hasText: "证照状态" })).toContainText("证照状态:有效");
  await expect(seen.locator("dl")).toContainText("李**");
  await expect(seen.locator("dl")).toContainText("建[造]11531000001");
  await expect(seen.locator("dl")).toContainText(showing.code.shown_at);
  await expect(seen.locator("body")).not.toContainText("李秀英");
  await expectAccessible(seen, "亮证核验");
  // A code not made by the portal.
  await seen.goto(url.replace(/[0-9a-f]{8}$/, "00000000"));
  await expect(seen.getByRole("status").filter({ hasText: "二维码无效" })).toBeVisible();
  await camera.close();
  await m.context.close();

  // The holder's 安全记录 lists the 亮证; 用证记录 lists the look.
  await desktopLogin(page, LI.id, LI.password);
  await page.goto("/user/security");
  await expect(page.getByRole("table")).toContainText("亮证");
  await page.goto("/user/uses");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("用证记录");
  await expect(page.getByRole("table")).toContainText("亮证核验");
  await expectAccessible(page, "用证记录");
});

test("授权用证: a grant, the organisation's page, the log of who looked, and revoking it", async ({ page, browser, pageErrors }) => {
  await passFaceCheck(page, browser, LI.id, LI.password);
  await page.getByRole("navigation", { name: "用户中心" }).getByRole("link", { name: "授权用证" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("授权用证");
  await hydrated(page);
  const form = page.getByRole("form", { name: "新增授权" });
  await form.getByLabel("被授权单位统一社会信用代码").fill("91110000MA01ABCD1X");
  await form.getByLabel("被授权单位名称").fill(ORG.name);
  await form.getByLabel("授权用途").fill("投标资格审查");
  await form.getByRole("button", { name: "授权" }).click();
  await expect(form.getByText("校验位不正确")).toBeVisible();
  await form.getByLabel("被授权单位统一社会信用代码").fill(ORG.code);
  await form.getByLabel("授权期限").selectOption("3");
  await form.getByRole("button", { name: "授权" }).click();
  const link = page.getByLabel("核验链接");
  await expect(link).toHaveValue(/\/verify\/grant\/[0-9a-f]{32}$/);
  const url = await link.inputValue();
  await expectAccessible(page, "授权用证 with a new grant");
  const row = page.getByRole("row").filter({ hasText: ORG.code });
  await expect(row).toContainText("有效");

  // The organisation opens it: the certificate, the holder by name, never the ID number.
  const org = await (await browser.newContext({ locale: "zh-CN" })).newPage();
  await org.goto(url);
  await expect(org.getByRole("heading", { level: 1 })).toHaveText("授权核验");
  await expect(org.getByRole("note").filter({ hasText: "持证人已授权" })).toContainText(`持证人已授权“${ORG.name}”`);
  await expect(org.locator("dl")).toContainText("李秀英");
  await expect(org.locator("dl")).toContainText("土木建筑工程");
  await expect(org.locator("body")).not.toContainText(LI.id);
  await expectAccessible(org, "授权核验");

  // The holder sees the look, by the organisation's name, and can list grant looks alone.
  await page.goto("/user/uses");
  await expect(page.getByRole("row").filter({ hasText: "授权核验" }).first()).toContainText(ORG.name);
  await page.getByRole("navigation", { name: "按核验方式筛选" }).getByRole("link", { name: "授权核验" }).click();
  await expect(page).toHaveURL(/\/user\/uses\?kind=grant/);
  await expect(page.getByRole("link", { name: "授权核验" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("table")).not.toContainText("亮证核验");
  await expect(page.getByRole("row").filter({ hasText: "授权核验" }).first()).toContainText(ORG.name);

  // Revoked at once: the organisation's page shows nothing more.
  await page.goto("/user/grants");
  await hydrated(page);
  await page.getByRole("row").filter({ hasText: ORG.code }).first().getByRole("button", { name: `撤销对“${ORG.name}”的授权` }).click();
  await expect(page.getByRole("row").filter({ hasText: ORG.code }).first()).toContainText("已撤销");
  await org.reload();
  await expect(org.getByRole("status").filter({ hasText: "授权已被持证人撤销" })).toBeVisible();
  await expect(org.locator("body")).not.toContainText("李秀英");
  await org.context().close();
});

test("导出可验证凭证 with chosen disclosures, checked by an independent verifier", async ({ page, browser, pageErrors }) => {
  await passFaceCheck(page, browser, LI.id, LI.password);
  await hydrated(page);
  const card = page.getByRole("listitem").filter({ hasText: TITLE });
  await expect(card).toContainText("电子证照标识");
  await card.getByRole("button", { name: "存入数字钱包" }).click();
  const dialog = page.getByRole("dialog", { name: "存入数字钱包" });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, "the 存入数字钱包 dialog");
  // The OpenID4VCI offer: a QR code, the same-device link and the 交易码.
  await dialog.getByRole("button", { name: "生成领取二维码" }).click();
  await expect(dialog.getByRole("img", { name: "凭证领取二维码" })).toBeVisible();
  await expect(dialog.getByRole("link", { name: "在本机的数字钱包中打开" })).toHaveAttribute(
    "href",
    /^openid-credential-offer:\/\/\?credential_offer_uri=/,
  );
  await expect(dialog.locator(".tx-code strong")).toHaveText(/^\d{6}$/);
  await expectAccessible(page, "the 存入数字钱包 dialog with its offer");
  // A standard wallet (independent libraries: @openid4vc/openid4vci and @openid4vc/oauth2)
  // redeems it with the 交易码 typed from the desktop: two credentials, each bound to its key.
  const offerUri = (await dialog.getByRole("link", { name: "在本机的数字钱包中打开" }).getAttribute("href"))!;
  const txCode = (await dialog.locator(".tx-code strong").textContent())!;
  const wallet = JSON.parse(
    execFileSync("node", ["wallet-oid4vci.mjs", offerUri, txCode, "2"], { encoding: "utf8" }).trim(),
  );
  expect(wallet.credentials).toHaveLength(2);
  for (const [i, credential] of wallet.credentials.entries()) {
    const checked = JSON.parse(
      execFileSync("node", ["verify-sd-jwt.mjs"], { input: credential, encoding: "utf8" }).trim(),
    );
    expect(checked.verified, JSON.stringify(checked)).toBe(true);
    expect(checked.claims.registration_category).toBe("一级注册造价工程师");
    expect(checked.claims.cnf.jwk).toEqual(wallet.keys[i]);
  }
  console.log(`OpenID4VCI wallet: ${wallet.credentials.length} credentials of ${wallet.configurationId}`);

  // A verifier (a 招标代理, no account) asks for 2 of the 7 claims on /verifier; the npm wallet
  // (@openid4vc/openid4vp with dcql) presents the first credential; the page moves on by itself
  // and shows exactly those two.
  const verifier = await (await browser.newContext()).newPage();
  await verifier.goto("/verifier");
  await hydrated(verifier);
  await expectAccessible(verifier, "the verifier's form");
  await verifier.getByLabel("核验单位名称").fill("某某招标代理有限公司");
  await verifier.getByLabel("要核验的证书类别").selectOption("一级注册造价工程师");
  await verifier.getByRole("button", { name: "生成核验二维码" }).click();
  await expect(verifier.getByRole("img", { name: "数字钱包核验二维码" })).toBeVisible();
  await expectAccessible(verifier, "the verifier's QR code");
  const link = (await verifier.getByRole("link", { name: "在本机数字钱包中打开" }).getAttribute("href"))!;
  expect(link).toMatch(/^openid4vp:\/\/\?client_id=x509_hash%3A/);
  const presented = JSON.parse(
    execFileSync(
      "node",
      ["wallet-oid4vp.mjs", link, wallet.credentials[0], JSON.stringify(wallet.privateKeys[0])],
      { encoding: "utf8" },
    ).trim(),
  );
  expect(presented.status, JSON.stringify(presented)).toBe(200);
  expect(presented.presented.sort()).toEqual(["registration_category", "valid_until"]);
  const result = verifier.getByRole("status").filter({ hasText: "核验通过" });
  await expect(result).toBeVisible();
  await expect(result).toContainText("一级注册造价工程师");
  await expect(result).toContainText("2027-03-19");
  await expect(result.locator("dt")).toHaveText(["注册类别", "注册有效期"]);
  await expect(verifier.locator("body")).not.toContainText("李秀英");
  await expectAccessible(verifier, "the verifier's result");
  // The same-device redirect opened in another browser session: refused.
  const elsewhere = await (await browser.newContext()).newPage();
  await elsewhere.goto(new URL(presented.body.redirect_uri).pathname + new URL(presented.body.redirect_uri).search);
  await expect(elsewhere.getByRole("alert")).toContainText("只能在发起核验的浏览器中查看");
  await elsewhere.context().close();
  await verifier.context().close();
  // Only 注册类别 and 注册有效期.
  for (const label of ["姓名", "注册编号", "注册专业及有效期", "聘用企业", "电子证照标识"]) {
    await dialog.getByLabel(label, { exact: true }).uncheck();
  }
  await dialog.getByRole("button", { name: "导出" }).click();
  const output = dialog.getByLabel("凭证(SD-JWT VC)");
  await expect(output).toHaveValue(/^[\w-]+\.[\w-]+\.[\w-]+~([\w-]+~){2}$/);
  await expect(dialog).toContainText("出示:注册类别、注册有效期");
  const credential = await output.inputValue();

  const answer = JSON.parse(
    execFileSync("node", ["verify-sd-jwt.mjs"], { input: credential, encoding: "utf8" }).trim(),
  );
  expect(answer.verified, JSON.stringify(answer)).toBe(true);
  expect(answer.claims.registration_category).toBe("一级注册造价工程师");
  expect(answer.claims.valid_until).toBe("2027-03-19");
  expect(answer.claims.name).toBeUndefined();
  expect(answer.claims.registration_number).toBeUndefined();
  console.log(`independent verifier: ${JSON.stringify(answer)}`);
});

test("a wallet's authorization code flow: PAR and PKCE, the holder approves after the face check, iss back", async ({ page, browser }) => {
  // The wallet (independent libraries: @openid4vc/oauth2 and @openid4vc/openid4vci) pushes its
  // authorization request for the kind of 李秀英's certificate.
  await passFaceCheck(page, browser, LI.id, LI.password);
  const origin = new URL(page.url()).origin;
  const metadata = await (await page.request.get("/.well-known/openid-credential-issuer")).json();
  const configuration = Object.keys(metadata.credential_configurations_supported).find(
    (id) => metadata.credential_configurations_supported[id].credential_metadata.display[0].name === TITLE,
  )!;
  const stateFile = test.info().outputPath("wallet-code-state.json");
  const started = JSON.parse(
    execFileSync("node", ["wallet-oid4vci-code.mjs", "start", origin, configuration, stateFile], { encoding: "utf8" }).trim(),
  );
  // The browser goes where the wallet sends it; the wallet's own address is caught here.
  let back = "";
  await page.route("https://wallet.example/**", async (route) => {
    back = route.request().url();
    await route.fulfill({ contentType: "text/plain", body: "wallet" });
  });
  await page.goto(started.authorizationUrl);
  await expect(page).toHaveURL(/\/user\/wallet-authorize\?request=/);
  await hydrated(page);
  await expect(page.getByText("wallet.example", { exact: true })).toBeVisible();
  await expect(page.getByRole("radio", { name: /注册编号/ })).toBeChecked();
  await expectAccessible(page, "the wallet authorization page");
  await page.getByRole("button", { name: "同意并存入钱包" }).click();
  await expect.poll(() => back).toMatch(/^https:\/\/wallet\.example\/cb\?code=/);
  expect(new URL(back).searchParams.get("iss")).toBe(origin);
  const wallet = JSON.parse(
    execFileSync("node", ["wallet-oid4vci-code.mjs", "finish", stateFile, back], { encoding: "utf8" }).trim(),
  );
  expect(wallet.credentials).toHaveLength(1);
  const checked = JSON.parse(
    execFileSync("node", ["verify-sd-jwt.mjs"], { input: wallet.credentials[0], encoding: "utf8" }).trim(),
  );
  expect(checked.verified, JSON.stringify(checked)).toBe(true);
  expect(checked.claims.registration_category).toBe("一级注册造价工程师");
  expect(checked.claims.cnf.jwk).toEqual(wallet.keys[0]);
});
