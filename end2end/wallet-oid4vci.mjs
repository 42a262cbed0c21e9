// A wallet from independent libraries (@openid4vc/openid4vci and @openid4vc/oauth2, pinned in
// package.json): it redeems a Credential Offer with its tx_code by the pre-authorized code flow
// with DPoP, asks the nonce endpoint for a c_nonce, and requests a batch of credentials with
// jwt proofs. Usage: node wallet-oid4vci.mjs '<openid-credential-offer://…>' <tx_code> [batch]
// Prints {"credentials": [...], "keys": [...], "privateKeys": [...], "configurationId": …} as JSON:
// the holder keys' public JWKs and, in the same order, their private JWKs (to present with).
import { Openid4vciClient } from "@openid4vc/openid4vci";
import { clientAuthenticationAnonymous, setGlobalConfig } from "@openid4vc/oauth2";
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign } from "node:crypto";

// The portal under test speaks plain HTTP on 127.0.0.1.
setGlobalConfig({ allowInsecureUrls: true });

const [offerUri, txCode, batchText] = process.argv.slice(2);
const batch = Number(batchText ?? 1);

const b64 = (bytes) => Buffer.from(bytes).toString("base64url");

function newKey() {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = privateKey.export({ format: "jwk" });
  const publicJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  return { privateKey, publicJwk };
}

const keys = new Map();
const remember = (key) => {
  keys.set(JSON.stringify(key.publicJwk), key);
  return key;
};

const callbacks = {
  fetch,
  // Pre-authorized code, anonymous access (the issuer's metadata says it allows it).
  clientAuthentication: clientAuthenticationAnonymous(),
  hash: (data, alg) => createHash(alg.replace("-", "").toLowerCase()).update(data).digest(),
  generateRandom: (n) => randomBytes(n),
  signJwt: async (signer, { header, payload }) => {
    const key = keys.get(JSON.stringify(signer.publicJwk));
    const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
    const signature = sign("sha256", Buffer.from(input), {
      key: createPrivateKey(key.privateKey.export({ format: "pem", type: "pkcs8" })),
      dsaEncoding: "ieee-p1363",
    });
    return { jwt: `${input}.${b64(signature)}`, signerJwk: key.publicJwk };
  },
};

const client = new Openid4vciClient({ callbacks });
const credentialOffer = await client.resolveCredentialOffer(offerUri);
const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
const configurationId = credentialOffer.credential_configuration_ids[0];

const dpopKey = remember(newKey());
const { accessTokenResponse, dpop } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
  credentialOffer,
  issuerMetadata,
  txCode,
  dpop: { signer: { method: "jwk", alg: "ES256", publicJwk: dpopKey.publicJwk } },
});

const { c_nonce: nonce } = await client.requestNonce({ issuerMetadata });
const holderKeys = Array.from({ length: batch }, () => remember(newKey()));
const proofs = [];
for (const key of holderKeys) {
  const { jwt } = await client.createCredentialRequestJwtProof({
    issuerMetadata,
    credentialConfigurationId: configurationId,
    signer: { method: "jwk", alg: "ES256", publicJwk: key.publicJwk },
    nonce,
  });
  proofs.push(jwt);
}
const response = await client.retrieveCredentials({
  issuerMetadata,
  accessToken: accessTokenResponse.access_token,
  credentialConfigurationId: configurationId,
  proofs: { jwt: proofs },
  dpop,
});
const credentials = response.credentialResponse.credentials.map((c) => c.credential);
const privateKeys = holderKeys.map((k) => {
  const { kty, crv, x, y, d } = k.privateKey.export({ format: "jwk" });
  return { kty, crv, x, y, d };
});
console.log(JSON.stringify({ credentials, keys: holderKeys.map((k) => k.publicJwk), privateKeys, configurationId }));
