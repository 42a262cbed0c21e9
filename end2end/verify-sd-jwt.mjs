// An independent check of a credential the portal issued: `@sd-jwt/sd-jwt-vc` (0.20.0, the
// OpenWallet Foundation's implementation) verifies the issuer's ES256 signature with the key the
// issuer publishes at `<iss>/.well-known/jwt-vc-issuer`, every disclosure against the signed
// digests, and the credential's status in the status list it names (fetched from the portal and
// its signature checked too). Node's own crypto does the hashing and the signature checks.
//
//   node end2end/verify-sd-jwt.mjs < credential.sd-jwt
//
// Prints one line of JSON — {"verified":true,"claims":{…}} or {"verified":false,"error":"…"} —
// and exits 0 when verified, 1 when refused, 2 on a usage error.

import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import { createHash, createPublicKey, verify } from "node:crypto";

const done = (ok, fields) => {
  console.log(JSON.stringify({ verified: ok, ...fields }));
  process.exit(ok ? 0 : 1);
};

let input = "";
for await (const chunk of process.stdin) input += chunk;
input = input.trim();
if (!input.includes("~")) {
  console.error("usage: node end2end/verify-sd-jwt.mjs < credential (an SD-JWT: <jwt>~<disclosure>~…~)");
  process.exit(2);
}

const decode = (part) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

try {
  const [jwt] = input.split("~");
  const payload = decode(jwt.split(".")[1]);
  // The issuer's keys, from where its identifier says (draft-ietf-oauth-sd-jwt-vc §5).
  const iss = new URL(payload.iss);
  const path = iss.pathname === "/" ? "" : iss.pathname;
  const response = await fetch(`${iss.origin}/.well-known/jwt-vc-issuer${path}`);
  if (!response.ok) throw new Error(`issuer metadata: HTTP ${response.status}`);
  const metadata = await response.json();
  if (metadata.issuer !== payload.iss) throw new Error("issuer metadata names another issuer");

  // Any JWT of this issuer (the credential, the status list): the key its header names.
  const verifier = async (data, signature) => {
    const header = decode(data.split(".")[0]);
    const jwk = metadata.jwks.keys.find((k) => k.kid === header.kid);
    if (!jwk || header.alg !== "ES256") return false;
    const key = createPublicKey({ key: jwk, format: "jwk" });
    return verify("sha256", Buffer.from(data), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"));
  };
  const hasher = (data, alg) => {
    if (alg.toLowerCase() !== "sha-256") throw new Error(`unexpected hash ${alg}`);
    return new Uint8Array(createHash("sha256").update(data).digest());
  };
  const sdjwt = new SDJwtVcInstance({ hasher, hashAlg: "sha-256", verifier, statusVerifier: verifier });
  const result = await sdjwt.verify(input);
  const claims = await sdjwt.getClaims(input);
  done(true, { claims, typ: result.header.typ, status: result.payload.status });
} catch (e) {
  done(false, { error: String(e && e.message ? e.message : e) });
}
