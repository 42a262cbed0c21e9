// A wallet from independent libraries (@openid4vc/openid4vp with @openid4vc/oauth2, dcql and
// @sd-jwt/sd-jwt-vc, pinned in package.json): it answers an OpenID4VP 1.0 request with an SD-JWT
// VC. It resolves the signed request object behind request_uri (x509_hash client id, its x5c
// certificate issued by the portal's trust anchor), matches the DCQL query against the
// credential, presents only the claims asked for with a Key Binding JWT (aud the client_id,
// the request's nonce), and posts the vp_token encrypted to the verifier's key as
// direct_post.jwt (JWE ECDH-ES with A128GCM or A256GCM). Node's own crypto does the signing,
// the X.509 checks and the encryption.
//
//   node wallet-oid4vp.mjs '<openid4vp://?client_id=…&request_uri=…>' '<SD-JWT ending ~>' '<holder private JWK>'
//
// Prints one line of JSON — {"status":…,"body":…,"presented":[claim names]} or {"error":"…"} —
// and exits 0 when the verifier answers 200, 1 otherwise, 2 on a usage error.
import { Openid4vpClient, calculateX509HashClientIdPrefixValue } from "@openid4vc/openid4vp";
import { setGlobalConfig } from "@openid4vc/oauth2";
import { DcqlQuery } from "dcql";
import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import {
  X509Certificate, createCipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman,
  generateKeyPairSync, randomBytes, sign, verify,
} from "node:crypto";

// The portal under test speaks plain HTTP on 127.0.0.1.
setGlobalConfig({ allowInsecureUrls: true });

const [requestUri, credential, holderJwkText] = process.argv.slice(2);
if (!requestUri?.startsWith("openid4vp://") || !credential?.includes("~") || !holderJwkText) {
  console.error("usage: node wallet-oid4vp.mjs '<openid4vp://…>' '<SD-JWT ending with ~>' '<holder private JWK>'");
  process.exit(2);
}

const b64 = (bytes) => Buffer.from(bytes).toString("base64url");
const decode = (part) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
const hash = (data, alg) => new Uint8Array(createHash(alg.replace("-", "").toLowerCase()).update(data).digest());

// RFC 7518 §4.6.2: the Concat KDF (SHA-256) of the shared secret z; AlgorithmID is `enc` in
// direct key agreement, PartyUInfo and PartyVInfo the decoded apu and apv.
function concatKdf(z, enc, apu, apv, bytes) {
  const field = (b) => Buffer.concat([u32(b.length), b]);
  const info = Buffer.concat([field(Buffer.from(enc)), field(apu), field(apv), u32(bytes * 8)]);
  const rounds = [];
  for (let i = 1; rounds.length * 32 < bytes; i++) rounds.push(createHash("sha256").update(u32(i)).update(z).update(info).digest());
  return Buffer.concat(rounds).subarray(0, bytes);
}
const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };

// A compact JWE (RFC 7516 §7.1) of `data` to the verifier's P-256 key: ECDH-ES direct key
// agreement with an ephemeral key (epk), so the encrypted key is empty; AES-GCM with the
// protected header's ASCII as AAD.
function encryptJwe(encryptor, data) {
  const { publicJwk, alg, enc, apu, apv } = encryptor;
  const bytes = { A128GCM: 16, A256GCM: 32 }[enc];
  if (alg !== "ECDH-ES" || !bytes || publicJwk.kty !== "EC" || publicJwk.crv !== "P-256") {
    throw new Error(`unsupported response encryption ${alg}/${enc} to a ${publicJwk.kty} ${publicJwk.crv} key`);
  }
  const { kty, crv, x, y } = publicJwk;
  const theirs = createPublicKey({ key: { kty, crv, x, y }, format: "jwk" });
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const epk = publicKey.export({ format: "jwk" });
  const header = { alg, enc, epk: { kty: epk.kty, crv: epk.crv, x: epk.x, y: epk.y } };
  if (publicJwk.kid) header.kid = publicJwk.kid;
  if (apu) header.apu = apu;
  if (apv) header.apv = apv;
  const z = diffieHellman({ privateKey, publicKey: theirs });
  const key = concatKdf(z, enc, Buffer.from(apu ?? "", "base64url"), Buffer.from(apv ?? "", "base64url"), bytes);
  const protectedHeader = b64(JSON.stringify(header));
  const iv = randomBytes(12);
  const cipher = createCipheriv(`aes-${bytes * 8}-gcm`, key, iv);
  cipher.setAAD(Buffer.from(protectedHeader, "ascii"));
  const ciphertext = Buffer.concat([cipher.update(data, "utf8"), cipher.final()]);
  return { jwe: `${protectedHeader}..${b64(iv)}.${b64(ciphertext)}.${b64(cipher.getAuthTag())}`, encryptionJwk: publicJwk };
}

// The trust anchor the verifier's certificate must chain to (HAIP): a wallet has it from its
// trust list; here the copy the portal publishes next to its request endpoint.
async function trustAnchor() {
  const response = await fetch(new URL("/trust-anchor.pem", new URL(new URL(requestUri).searchParams.get("request_uri"))));
  if (!response.ok) throw new Error(`trust anchor: HTTP ${response.status}`);
  return new X509Certificate(await response.text());
}

const callbacks = {
  fetch,
  hash,
  encryptJwe,
  // The request object: ES256 by the key of x5c[0], each certificate issued and signed by the
  // next and the last by the trust anchor, all valid now.
  verifyJwt: async (signer, { header, compact }) => {
    if (signer.method !== "x5c" || header.alg !== "ES256") return { verified: false };
    const anchor = await trustAnchor();
    const chain = signer.x5c.map((der) => new X509Certificate(Buffer.from(der, "base64")));
    chain.forEach((cert, i) => {
      const up = chain[i + 1] ?? anchor;
      if (!cert.checkIssued(up) || !cert.verify(up.publicKey)) throw new Error(`x5c[${i}] is not issued by the trust anchor's chain`);
      if (Date.parse(cert.validFrom) > Date.now() || Date.parse(cert.validTo) < Date.now()) throw new Error(`x5c[${i}] is not valid now`);
    });
    const [input, signature] = [compact.slice(0, compact.lastIndexOf(".")), compact.split(".")[2]];
    const key = chain[0].publicKey;
    const verified = verify("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"));
    return { verified, signerJwk: key.export({ format: "jwk" }) };
  },
  // Needed by the library for every x509_* client id prefix (only x509_san_* use the names).
  getX509CertificateMetadata: (certificate) => {
    const names = (new X509Certificate(Buffer.from(certificate, "base64")).subjectAltName ?? "").split(", ");
    const of = (prefix) => names.filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
    return { sanDnsNames: of("DNS:"), sanUriNames: of("URI:") };
  },
};

const done = (ok, fields) => {
  console.log(JSON.stringify(fields));
  process.exit(ok ? 0 : 1);
};

try {
  const client = new Openid4vpClient({ callbacks });
  // 1. The request: fetched by request_uri, its signature and x5c checked, the x509_hash client id
  // checked by the library against the certificate, and once more here.
  const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: requestUri });
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params });
  const request = resolved.authorizationRequestPayload;
  if (!resolved.jar || resolved.client.prefix !== "x509_hash") throw new Error("the request is not a signed x509_hash request");
  const certHash = await calculateX509HashClientIdPrefixValue({ x509Certificate: resolved.client.x5c[0], hash });
  if (request.client_id !== `x509_hash:${certHash}`) throw new Error("client_id is not the hash of the verifier's certificate");
  if (request.response_mode !== "direct_post.jwt" || !resolved.dcql) throw new Error("expected a DCQL request answered by direct_post.jwt");

  // 2. The DCQL query against the credential's claims.
  const holderJwk = JSON.parse(holderJwkText);
  const kbKey = createPrivateKey({ key: holderJwk, format: "jwk" });
  const sdjwt = new SDJwtVcInstance({
    hasher: hash,
    hashAlg: "sha-256",
    kbSignAlg: "ES256",
    kbSigner: (data) => b64(sign("sha256", Buffer.from(data), { key: kbKey, dsaEncoding: "ieee-p1363" })),
  });
  const claims = await sdjwt.getClaims(credential);
  if (claims.cnf?.jwk?.x !== holderJwk.x || claims.cnf?.jwk?.y !== holderJwk.y) throw new Error("the holder key is not the credential's cnf key");
  const query = DcqlQuery.parse(resolved.dcql.query);
  DcqlQuery.validate(query);
  const result = DcqlQuery.query(query, [
    { credential_format: "dc+sd-jwt", vct: claims.vct, claims, cryptographic_holder_binding: true },
  ]);
  const issues = (o) => (!o || typeof o !== "object" ? [] : o.issues ? [JSON.stringify(o.issues)] : Object.values(o).flatMap(issues));
  if (!result.can_be_satisfied) throw new Error(`the credential does not match the DCQL query: ${[...new Set(issues(result.credential_matches))].join("; ")}`);

  // 3. The presentation: only the claims of the matching claim set, and the Key Binding JWT.
  const [queryId, match] = Object.entries(result.credential_matches).find(([, m]) => m.success);
  const frame = (value) => (value && typeof value === "object" && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, frame(v)]))
    : true);
  const presentation = await sdjwt.present(credential, frame(match.valid_credentials[0].claims.valid_claim_sets[0].output), {
    kb: { payload: { aud: request.client_id, nonce: request.nonce, iat: Math.floor(Date.now() / 1000) } },
  });
  const presented = presentation.split("~").slice(1, -1).map((d) => decode(d)).filter((d) => d.length === 3).map((d) => d[1]);

  // 4. The answer, encrypted to the verifier's key with the first content encryption it offers
  // that this wallet has; apu a nonce of the wallet's, apv the request's nonce (as the library sets).
  const offered = request.client_metadata?.encrypted_response_enc_values_supported ?? ["A128GCM"];
  const response = await client.createOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request,
    authorizationResponsePayload: { vp_token: { [queryId]: [presentation] } },
    jarm: {
      encryption: { nonce: b64(randomBytes(16)) },
      serverMetadata: {
        authorization_signing_alg_values_supported: ["ES256"],
        authorization_encryption_alg_values_supported: ["ECDH-ES"],
        authorization_encryption_enc_values_supported: offered.filter((e) => ["A128GCM", "A256GCM"].includes(e)),
      },
    },
  });
  const { response: answer } = await client.submitOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request,
    authorizationResponsePayload: response.authorizationResponsePayload,
    jarm: { responseJwt: response.jarm.responseJwt },
  });
  const text = await answer.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  done(answer.status === 200, { status: answer.status, body, presented });
} catch (e) {
  done(false, { error: String(e && e.message ? e.message : e) });
}
