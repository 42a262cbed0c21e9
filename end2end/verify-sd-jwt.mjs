// An independent check of a credential the portal issued: `@sd-jwt/sd-jwt-vc` (0.20.0, the
// OpenWallet Foundation's implementation) verifies the issuer's ES256 signature with the key the
// issuer publishes at `<iss>/.well-known/jwt-vc-issuer`, every disclosure against the signed
// digests, and the credential's status in the status list it names (fetched from the portal and
// its signature checked too), and the x5c chain in each header up to the portal's trust anchor.
// Node's own crypto does the hashing, the signature checks and the X.509 parsing.
//
//   node end2end/verify-sd-jwt.mjs < credential.sd-jwt
//
// Prints one line of JSON — {"verified":true,"claims":{…}} or {"verified":false,"error":"…"} —
// and exits 0 when verified, 1 when refused, 2 on a usage error.

import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import { X509Certificate, createHash, createPublicKey, verify } from "node:crypto";

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

  // The trust anchor the x5c chains lead to (HAIP): a verifier gets it from the operator; here
  // the copy the portal publishes, read by Node's own X.509 parser.
  const anchorResponse = await fetch(`${iss.origin}/trust-anchor.pem`);
  if (!anchorResponse.ok) throw new Error(`trust anchor: HTTP ${anchorResponse.status}`);
  const anchor = new X509Certificate(await anchorResponse.text());
  // The signer's key from a header's x5c: each certificate issued and signed by the next, the
  // last by the anchor, all valid now, and the signer's key the one the issuer publishes.
  const chainKey = (header) => {
    if (!Array.isArray(header.x5c) || header.x5c.length === 0) throw new Error("no x5c in the header");
    const chain = header.x5c.map((der) => new X509Certificate(Buffer.from(der, "base64")));
    const now = Date.now();
    chain.forEach((cert, i) => {
      const up = chain[i + 1] ?? anchor;
      if (!cert.checkIssued(up) || !cert.verify(up.publicKey)) throw new Error(`x5c[${i}] is not issued by the next certificate`);
      if (Date.parse(cert.validFrom) > now || Date.parse(cert.validTo) < now) throw new Error(`x5c[${i}] is not valid now`);
    });
    return chain[0].publicKey;
  };
  // Any JWT of this issuer (the credential, the status list): the key its header names, which
  // its x5c chain must certify.
  const verifier = async (data, signature) => {
    const header = decode(data.split(".")[0]);
    const jwk = metadata.jwks.keys.find((k) => k.kid === header.kid);
    if (!jwk || header.alg !== "ES256") return false;
    const key = createPublicKey({ key: jwk, format: "jwk" });
    const certified = chainKey(header);
    if (!certified.equals(key)) throw new Error("the x5c certificate is not the published key");
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
