// Shared by the Lighthouse scripts: a session of the demo account 王建国 (README), as the
// `Cookie` value a signed-in page is asked for with.
export async function demoSession(base) {
  const res = await fetch(`${base}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ kind: "person", login_id: "110105198003150039", password: "Demo@2026" }),
    redirect: "manual",
  });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  if (!cookie.includes("=")) throw new Error(`login failed: ${res.status}`);
  return cookie;
}
