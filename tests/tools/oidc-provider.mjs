// An OpenID Connect provider for the social-login integration tests, built on the
// oidc-provider package. It listens on 127.0.0.1 only and completes interactions without
// a browser: the end-user is the account named by the `login_hint` authorization
// parameter, and the hint `deny` makes the provider return `error=access_denied`. An
// authorization request with `response_mode=form_post` gets oidc-provider's built-in
// form_post page, an HTML form that posts the response to the redirect URI, instead of
// a redirect.
//
// Usage: node oidc-provider.mjs PORT
// Environment (all required):
//   OIDC_TEST_REDIRECT_URIS  comma-separated redirect URIs of the test clients
//   OIDC_TEST_CLIENT_SECRET  secret of both test clients
//
// Test-only controls, under /__test/ (JSON bodies):
//   POST /__test/accounts       {"sub","email","email_verified","name"} adds or replaces an account;
//                               email_verified goes into the ID token as sent, boolean or string
//   POST /__test/next-id-token  {"mode"} changes the ID token of the next token response only:
//     tamper        flips one bit of the signature
//     expired       re-signs it with exp and iat two hours in the past
//     wrong_issuer  re-signs it with another iss
//     wrong_audience re-signs it with another aud
//     unknown_kid   re-signs it with a key the JWKS does not publish
//     alg_none      replaces it with an unsigned token (alg "none")
//     hs256         re-signs it with HMAC-SHA256 keyed by the client secret
//   GET  /__test/token-requests  number of requests the token endpoint has received

import crypto from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const redirectUris = (process.env.OIDC_TEST_REDIRECT_URIS ?? '').split(',').filter(Boolean);
const clientSecret = process.env.OIDC_TEST_CLIENT_SECRET ?? '';
if (!Number.isInteger(port) || port <= 0 || redirectUris.length === 0 || clientSecret === '') {
  console.error('usage: OIDC_TEST_REDIRECT_URIS=... OIDC_TEST_CLIENT_SECRET=... node oidc-provider.mjs PORT');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

function signingKey(kind, kid) {
  const { privateKey } = kind === 'rsa'
    ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
    : crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  return { privateKey, jwk: { ...jwk, kid, use: 'sig', alg: kind === 'rsa' ? 'RS256' : 'ES256' } };
}

const keys = { RS256: signingKey('rsa', 'rsa-1'), ES256: signingKey('ec', 'ec-1') };
// Never published, so a token signed with it must fail with an unknown key.
const unpublished = signingKey('rsa', 'rsa-unpublished');

const accounts = new Map();
let nextIdTokenMode = null;
let tokenRequests = 0;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'bijou-rs256',
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    {
      client_id: 'bijou-es256',
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    },
  ],
  jwks: { keys: [keys.RS256.jwk, keys.ES256.jwk] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // Put the e-mail and profile claims in the ID token, as Google does, instead of only
  // in the UserInfo response.
  conformIdTokenClaims: false,
  pkce: { methods: ['S256'], required: () => true },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ ...account }) };
  },
});

function base64url(data) {
  return Buffer.from(data).toString('base64url');
}

function sign(header, claims, key, alg) {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  let signature;
  if (alg === 'HS256') {
    signature = crypto.createHmac('sha256', key).update(input).digest();
  } else if (alg === 'ES256') {
    signature = crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  } else {
    signature = crypto.sign('sha256', Buffer.from(input), key);
  }
  return `${input}.${base64url(signature)}`;
}

// Rewrites a genuine ID token according to one test mode.
function rewriteIdToken(token, mode) {
  const [headerPart, claimsPart, signaturePart] = token.split('.');
  const header = JSON.parse(Buffer.from(headerPart, 'base64url').toString());
  const claims = JSON.parse(Buffer.from(claimsPart, 'base64url').toString());
  const genuineKey = keys[header.alg].privateKey;
  const now = Math.floor(Date.now() / 1000);
  switch (mode) {
    case 'tamper': {
      const signature = Buffer.from(signaturePart, 'base64url');
      signature[signature.length - 1] ^= 0x01;
      return `${headerPart}.${claimsPart}.${base64url(signature)}`;
    }
    case 'expired':
      return sign(header, { ...claims, iat: now - 7200, exp: now - 3600 }, genuineKey, header.alg);
    case 'wrong_issuer':
      return sign(header, { ...claims, iss: 'http://127.0.0.1:1' }, genuineKey, header.alg);
    case 'wrong_audience':
      return sign(header, { ...claims, aud: 'another-client' }, genuineKey, header.alg);
    case 'unknown_kid':
      return sign({ alg: 'RS256', kid: unpublished.jwk.kid }, claims, unpublished.privateKey, 'RS256');
    case 'alg_none':
      return `${base64url(JSON.stringify({ alg: 'none' }))}.${claimsPart}.`;
    case 'hs256':
      return sign({ alg: 'HS256', kid: header.kid }, claims, clientSecret, 'HS256');
    default:
      throw new Error(`unknown ID token mode ${mode}`);
  }
}

provider.use(async (ctx, next) => {
  const isToken = ctx.path === '/token' && ctx.method === 'POST';
  if (isToken) tokenRequests += 1;
  await next();
  if (isToken && nextIdTokenMode && ctx.status === 200 && ctx.body?.id_token) {
    const mode = nextIdTokenMode;
    nextIdTokenMode = null;
    ctx.body = { ...ctx.body, id_token: rewriteIdToken(ctx.body.id_token, mode) };
  }
});

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text || '{}');
}

function reply(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

// Signs the end-user in and grants the requested scopes without showing a page.
async function finishInteraction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const hint = details.params.login_hint;
  if (hint === 'deny') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'the end-user denied the request',
    }, { mergeWithLastSubmission: false });
    return;
  }
  if (!accounts.has(hint)) {
    reply(res, 400, { error: `no test account with sub '${hint}'; pass it as login_hint` });
    return;
  }
  const grant = new provider.Grant({ accountId: hint, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, {
    login: { accountId: hint },
    consent: { grantId },
  }, { mergeWithLastSubmission: false });
}

// Writes why a token request failed to the provider's log, next to the test's server log.
provider.on('grant.error', (ctx, error) => console.error('grant.error', error.error, error.error_detail));

const handleProvider = provider.callback();

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    if (url.pathname.startsWith('/interaction/')) {
      await finishInteraction(req, res);
    } else if (url.pathname === '/__test/accounts' && req.method === 'POST') {
      const account = await readJson(req);
      accounts.set(account.sub, account);
      reply(res, 200, {});
    } else if (url.pathname === '/__test/next-id-token' && req.method === 'POST') {
      nextIdTokenMode = (await readJson(req)).mode;
      reply(res, 200, {});
    } else if (url.pathname === '/__test/token-requests' && req.method === 'GET') {
      reply(res, 200, { count: tokenRequests });
    } else {
      handleProvider(req, res);
    }
  } catch (error) {
    console.error(error);
    reply(res, 500, { error: String(error) });
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider test issuer ${issuer} ready`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
