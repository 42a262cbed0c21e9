// Shared by the Lighthouse scripts: a session of the demo account 王建国 (README), as the
// `Cookie` value a signed-in page is asked for with.
/** The demo account 王建国 (README). */
export const DEMO_ID = "110105198003150039";
export const DEMO_PASSWORD = "Demo@2026";

export async function demoSession(base) {
  const res = await fetch(`${base}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ kind: "person", login_id: DEMO_ID, password: DEMO_PASSWORD }),
    redirect: "manual",
  });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  if (!cookie.includes("=")) throw new Error(`login failed: ${res.status}`);
  return cookie;
}
