// A wallet from independent libraries (@openid4vc/openid4vci and @openid4vc/oauth2, pinned in
// package.json) for the authorization code flow, wallet-initiated, in two steps with the
// holder's browser in between:
//   node wallet-oid4vci-code.mjs start <issuer> <credential_configuration_id> <state file>
// resolves the metadata, pushes the authorization request (PAR, RFC 9126; PKCE S256; the
// configuration by its `scope`) and prints {"authorizationUrl": …} for the browser to open;
//   node wallet-oid4vci-code.mjs finish <state file> '<https://wallet.example/cb?code=…>'
// checks `iss` (RFC 9207) and `state`, exchanges the code with its verifier and DPoP, asks the
// nonce endpoint for a c_nonce and requests one credential with a jwt proof. Prints
// {"credentials": [...], "keys": [...], "privateKeys": [...], "configurationId": …} as JSON:
// the holder key's public JWK and, in the same order, its private JWK (to present with).
import { Openid4vciClient } from "@openid4vc/openid4vci";
import {
  Oauth2Client,
  clientAuthenticationNone,
  getAuthorizationServerMetadataFromList,
  setGlobalConfig,
} from "@openid4vc/oauth2";
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

// The portal under test speaks plain HTTP on 127.0.0.1.
setGlobalConfig({ allowInsecureUrls: true });

const CLIENT_ID = "wallet.example";
const REDIRECT_URI = "https://wallet.example/cb";

const b64 = (bytes) => Buffer.from(bytes).toString("base64url");

const publicOf = ({ kty, crv, x, y }) => ({ kty, crv, x, y });
const privateOf = (privateKey) => {
  const { kty, crv, x, y, d } = privateKey.export({ format: "jwk" });
  return { kty, crv, x, y, d };
};
function newKey() {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { privateKey, publicJwk: publicOf(privateKey.export({ format: "jwk" })) };
}
const keyFrom = (jwk) => ({ privateKey: createPrivateKey({ key: jwk, format: "jwk" }), publicJwk: publicOf(jwk) });

const keys = new Map();
const remember = (key) => {
  keys.set(JSON.stringify(key.publicJwk), key);
  return key;
};
const jwkSigner = (key) => ({ method: "jwk", alg: "ES256", publicJwk: key.publicJwk });

const callbacks = {
  fetch,
  // A public client (token_endpoint_auth_methods_supported: none): client_id in the body.
  clientAuthentication: clientAuthenticationNone({ clientId: CLIENT_ID }),
  hash: (data, alg) => createHash(alg.replace("-", "").toLowerCase()).update(data).digest(),
  generateRandom: (n) => randomBytes(n),
  signJwt: async (signer, { header, payload }) => {
    const key = keys.get(JSON.stringify(signer.publicJwk));
    const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
    const signature = sign("sha256", Buffer.from(input), { key: key.privateKey, dsaEncoding: "ieee-p1363" });
    return { jwt: `${input}.${b64(signature)}`, signerJwk: key.publicJwk };
  },
};

const client = new Openid4vciClient({ callbacks });
const oauth2 = new Oauth2Client({ callbacks });

async function resolve(issuer) {
  const issuerMetadata = await client.resolveIssuerMetadata(issuer);
  const { credential_issuer, authorization_servers } = issuerMetadata.credentialIssuer;
  const authorizationServerMetadata = getAuthorizationServerMetadataFromList(
    issuerMetadata.authorizationServers,
    authorization_servers?.[0] ?? credential_issuer,
  );
  return { issuerMetadata, authorizationServerMetadata };
}

const [command, ...args] = process.argv.slice(2);

if (command === "start") {
  const [issuer, configurationId, stateFile] = args;
  const { issuerMetadata, authorizationServerMetadata } = await resolve(issuer);
  const configuration = issuerMetadata.credentialIssuer.credential_configurations_supported[configurationId];
  if (!configuration?.scope) throw new Error(`no scope for configuration ${configurationId}`);
  const dpopKey = remember(newKey());
  const state = b64(randomBytes(32));
  // PAR (the metadata requires it), PKCE with the method the metadata names (S256).
  const { authorizationRequestUrl, pkce } = await oauth2.initiateAuthorization({
    authorizationServerMetadata,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    scope: configuration.scope,
    resource: issuerMetadata.credentialIssuer.credential_issuer,
    state,
    dpop: { signer: jwkSigner(dpopKey) },
  });
  if (pkce?.codeChallengeMethod !== "S256") throw new Error("the server does not take PKCE S256");
  const { codeVerifier: pkceCodeVerifier } = pkce;
  const dpopPrivateJwk = privateOf(dpopKey.privateKey);
  const saved = { issuer, configurationId, redirectUri: REDIRECT_URI, state, pkceCodeVerifier, dpopPrivateJwk };
  writeFileSync(stateFile, JSON.stringify(saved), { mode: 0o600 });
  console.log(JSON.stringify({ authorizationUrl: authorizationRequestUrl }));
} else if (command === "finish") {
  const [stateFile, url] = args;
  const saved = JSON.parse(readFileSync(stateFile, "utf8"));
  const { issuerMetadata, authorizationServerMetadata } = await resolve(saved.issuer);
  // RFC 9207: `iss` must be there (authorization_response_iss_parameter_supported) and be
  // the authorization server's issuer; an error response has no `code`.
  const response = client.parseAndVerifyAuthorizationResponseRedirectUrl({ url, authorizationServerMetadata });
  if (response.state !== saved.state) throw new Error("state does not match the request's");
  if (!response.code) throw new Error(`authorization refused: ${response.error} ${response.error_description ?? ""}`);

  const dpopKey = remember(keyFrom(saved.dpopPrivateJwk));
  // The server answers `use_dpop_nonce` first; the library retries with its DPoP-Nonce.
  const { accessTokenResponse, dpop } = await oauth2.retrieveAuthorizationCodeAccessToken({
    authorizationServerMetadata,
    authorizationCode: response.code,
    pkceCodeVerifier: saved.pkceCodeVerifier,
    redirectUri: saved.redirectUri,
    resource: issuerMetadata.credentialIssuer.credential_issuer,
    dpop: { signer: jwkSigner(dpopKey) },
  });

  const { c_nonce: nonce } = await client.requestNonce({ issuerMetadata });
  const holderKey = remember(newKey());
  const { jwt } = await client.createCredentialRequestJwtProof({
    issuerMetadata,
    credentialConfigurationId: saved.configurationId,
    signer: jwkSigner(holderKey),
    nonce,
  });
  const result = await client.retrieveCredentials({
    issuerMetadata,
    accessToken: accessTokenResponse.access_token,
    credentialConfigurationId: saved.configurationId,
    proofs: { jwt: [jwt] },
    dpop,
  });
  const credentials = result.credentialResponse.credentials.map((c) => c.credential);
  console.log(
    JSON.stringify({
      credentials,
      keys: [holderKey.publicJwk],
      privateKeys: [privateOf(holderKey.privateKey)],
      configurationId: saved.configurationId,
    }),
  );
} else {
  console.error("usage: wallet-oid4vci-code.mjs start <issuer> <configuration id> <state file> | finish <state file> <url>");
  process.exit(2);
}
