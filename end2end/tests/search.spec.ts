// Journey 1 (manual §4): home → 热门服务 → 【人员资格查询】 → search → results → detail,
// once with JavaScript (hydrated) and once without (plain forms). A search by 身份证号 never puts
// the number in the address: the results' address carries an opaque 查询凭据 (k=…).
import { test, expect, expectAccessible, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";

async function searchByNameAndCategory(page: Page) {
  await page.getByLabel("人员姓名").fill("王建国");
  await page.getByLabel("注册类别").selectOption("一级注册建造师");
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(/name=%E7%8E%8B%E5%BB%BA%E5%9B%BD/);
  const table = page.getByRole("table");
  await expect(table.getByRole("columnheader")).toHaveText(["序号", "姓名", "证件号码", "注册类别", "注册号(执业印章号)", "注册专业"]);
  const row = table.locator("tbody tr").filter({ hasText: "京1112010000001" });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("110105********0039");
  await expect(row).toContainText("建筑工程、市政公用工程");
  // The whole ID number is nowhere in the page, nor in its hydration data.
  expect(await page.content()).not.toContain("110105198003150039");
  return row;
}

async function openDetail(page: Page, row: Awaited<ReturnType<typeof searchByNameAndCategory>>) {
  await row.getByRole("link", { name: "王建国" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("王建国 · 一级注册建造师");
  const main = page.getByRole("main");
  await expect(main).toContainText("中建示范建设有限公司");
  await expect(main).toContainText("00201000001");
  await expect(page.getByRole("region", { name: "注册专业" })).toContainText("市政公用工程");
  await expect(page.getByRole("region", { name: "变更记录" })).toContainText("变更注册");
  expect(await page.content()).not.toContain("110105198003150039");
}

test.describe("with JavaScript", () => {
  test("home → 人员资格查询 → results → detail", async ({ page, pageErrors }) => {
    await page.goto("/");
    await hydrated(page);
    await page.getByRole("region", { name: "热门服务" }).getByRole("link", { name: /人员资格查询/ }).click();
    await expect(page).toHaveURL(/\/search$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("人员资格查询");
    const row = await searchByNameAndCategory(page);
    await openDetail(page, row);
    expect(pageErrors).toEqual([]);
  });

  test("the rules explain themselves", async ({ page, pageErrors }) => {
    await page.goto("/search");
    await hydrated(page);
    await page.getByLabel("人员姓名").fill("王建国");
    await page.getByRole("button", { name: "查询" }).click();
    await expect(page.getByRole("alert")).toContainText("请同时选择注册类别或填写注册单位");
    await page.getByLabel("人员姓名").fill("");
    await page.getByLabel("身份证号").fill("110105198003150038");
    await page.getByRole("button", { name: "查询" }).click();
    // Named at the 身份证号 field, before anything is sent to the address.
    await expect(page.locator("#q-id-error")).toContainText("校验位");
    await expectAccessible(page, "人员资格查询 with an ID field error");
    await expect(page.getByLabel("身份证号")).toHaveAttribute("aria-invalid", "true");
    await page.getByLabel("身份证号").fill("110105198003150039");
    await page.getByRole("button", { name: "查询" }).click();
    await expect(page.locator("tbody tr")).toHaveCount(2);
    await expect(page.getByRole("status").filter({ hasText: "共" })).toHaveText("共 2 条记录");
    await expect(page).toHaveURL(/[?&]k=[0-9a-f]{32}/);
    expect(page.url()).not.toContain("110105198003150039");
    // Back and forward keep working through the keyed address.
    await page.goBack();
    await page.goForward();
    await expect(page.locator("tbody tr")).toHaveCount(2);
    expect(pageErrors).toEqual([]);
  });

  test("an empty result says what to try", async ({ page }) => {
    await page.goto("/search?reg_no=%E4%B8%8D%E5%AD%98%E5%9C%A8");
    await hydrated(page);
    await expect(page.getByText("未查询到符合条件的注册人员")).toBeVisible();
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the same journey works with plain forms and links", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("region", { name: "热门服务" }).getByRole("link", { name: /人员资格查询/ }).click();
    const row = await searchByNameAndCategory(page);
    await openDetail(page, row);
  });

  test("an ID number search posts, and the address never holds the number", async ({ page }) => {
    await page.goto("/search");
    await page.getByLabel("身份证号").fill("110105198003150039");
    await page.getByRole("button", { name: "查询" }).click();
    await expect(page.locator("tbody tr")).toHaveCount(2);
    await expect(page).toHaveURL(/[?&]k=[0-9a-f]{32}/);
    expect(page.url()).not.toContain("110105198003150039");
    expect(await page.content()).not.toContain("110105198003150039");
  });

  test("a registration number alone finds the holder", async ({ page }) => {
    await page.goto("/search");
    await page.getByLabel("注册编号(执业印章号)").fill("建[造]11531000001");
    await page.getByRole("button", { name: "查询" }).click();
    const rows = page.locator("tbody tr");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("李秀英");
    await expect(rows.first()).toContainText("310104********0044");
  });
});
