// Browser flows end to end: Keycloak's real login page in real Chromium, the
// real AppModule on the port the realm's nest-api client redirects to, and
// Keycloak's admin API to see what happened on its side.
import { createServer } from 'node:net';
import path from 'node:path';
import type { APIResponse, Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp } from './support/app';
import { ARTIFACTS_DIR, launchBrowser } from './support/browser';
import { apiPort, clients, users, type TestUser } from './support/env';
import { KeycloakAdmin } from './support/keycloak-admin';
import { ensureRedis } from './support/redis';
import { authorizationCodeLogin, passwordGrant } from './support/tokens';

const UI_TIMEOUT_MS = 20_000;
const COOKIE = 'nka.sid';
// Other specs (Swagger in a browser) need the same fixed port; wait for it rather than fail.
const PORT_WAIT_MS = 180_000;

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .once('listening', () => probe.close(() => resolve(true)))
      .listen(port, '127.0.0.1');
  });
}

/** The app on the port the realm's nest-api client redirects to (and sends back-channel logouts to). */
async function startOnApiPort(env: Record<string, string> = {}): Promise<TestApp> {
  const deadline = Date.now() + PORT_WAIT_MS;
  while (!(await portIsFree(apiPort()))) {
    if (Date.now() > deadline) throw new Error(`port ${apiPort()} stayed busy`);
    await sleep(500);
  }
  // A generous limit: these specs log in many times from one address; the limit itself is tested separately.
  return startTestApp({ port: apiPort(), env: { PUBLIC_BASE_URL: `http://localhost:${apiPort()}`, THROTTLE_LIMIT: '1000', ...env } });
}

const admin = new KeycloakAdmin();

/** Keycloak session ids of a user that include nest-api (other specs may hold sessions of the same user). */
async function apiSessionIds(username: string): Promise<Set<string>> {
  const sessions = await admin.userSessions(username);
  return new Set(sessions.filter((s) => Object.values(s.clients).includes(clients.api.clientId)).map((s) => s.id));
}

/** Signs in through /auth/login and Keycloak's form; resolves on the page the app redirected to. */
async function signIn(browser: Browser, baseUrl: string, user: TestUser, returnTo?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  const query = returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`;
  await page.goto(`${baseUrl}/auth/login${query}`);
  await page.locator('#username').fill(user.username);
  await page.locator('#password').fill(user.password);
  await Promise.all([page.waitForURL((url) => url.origin === baseUrl), page.locator('#kc-login').click()]);
  await page.waitForLoadState('domcontentloaded');
  return { context, page };
}

/**
 * Runs `test` while the realm sends nest-api's back-channel logouts to the app
 * under test (the realm export points them at the dev port), then restores it.
 */
async function withBackChannelToTestApp(test: () => Promise<void>): Promise<void> {
  const previous = await admin.updateClientAttributes(clients.api.clientId, {
    'backchannel.logout.url': `http://localhost:${apiPort()}/auth/backchannel-logout`,
  });
  try {
    await test();
  } finally {
    await admin.updateClientAttributes(clients.api.clientId, { 'backchannel.logout.url': previous['backchannel.logout.url'] ?? '' });
  }
}

/** Polls until `check` is true or the time is up; resolves with its last answer. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let ok = await check();
  while (!ok && Date.now() < deadline) {
    await sleep(200);
    ok = await check();
  }
  return ok;
}

describe('browser flows (AuthController, sessions)', () => {
  let app: TestApp;
  let browser: Browser;
  const baseUrl = `http://localhost:${apiPort()}`;

  beforeAll(async () => {
    app = await startOnApiPort();
    browser = await launchBrowser();
  }, PORT_WAIT_MS + 30_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function me(context: BrowserContext): Promise<APIResponse> {
    return context.request.get(`${baseUrl}/auth/me`);
  }

  it('logs in with PKCE, state and nonce, lands on returnTo, and the session cookie carries the roles', async () => {
    const before = await apiSessionIds('bob');
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(`${baseUrl}/auth/login?returnTo=${encodeURIComponent('/api/profile?tab=roles')}`);

    // Keycloak's own login page, asked for exactly what the flow must ask for.
    const authorize = new URL(page.url());
    expect(authorize.origin).not.toBe(baseUrl);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: 'nest-api',
      response_type: 'code',
      scope: 'openid profile email',
      redirect_uri: `${baseUrl}/auth/callback`,
      code_challenge_method: 'S256',
    });
    for (const param of ['state', 'nonce', 'code_challenge']) {
      // ≥ 128 bits: 43 base64url characters are 256 bits.
      expect(authorize.searchParams.get(param)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    const binding = (await context.cookies(`${baseUrl}/auth/callback`)).find((c) => c.name === `${COOKIE}.login`);
    expect(binding).toMatchObject({ httpOnly: true, path: '/auth', sameSite: 'Lax' });

    await page.locator('#username').fill(users.bob.username);
    await page.locator('#password').fill(users.bob.password);
    await Promise.all([page.waitForURL(`${baseUrl}/api/profile?tab=roles`), page.locator('#kc-login').click()]);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'flows-bob-profile.png') });

    // The landing page itself was served through the session cookie.
    const profile = JSON.parse((await page.locator('body').innerText()).trim()) as {
      username: string;
      realmRoles: string[];
      clientRoles: Record<string, string[]>;
    };
    expect(profile.username).toBe('bob');
    expect(profile.realmRoles).toEqual(expect.arrayContaining(['user', 'manager']));
    expect(profile.realmRoles).not.toContain('admin');
    expect(profile.clientRoles['nest-api']).toEqual(['reports:read']);

    const cookie = (await context.cookies(baseUrl)).find((c) => c.name === COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Role checks work on the session too: bob may read reports, not use admin routes.
    expect((await context.request.get(`${baseUrl}/api/reports`)).status()).toBe(200);
    expect((await context.request.get(`${baseUrl}/api/admin`)).status()).toBe(403);

    const meResponse = await me(context);
    expect(meResponse.status()).toBe(200);
    expect(meResponse.headers()['cache-control']).toBe('no-store');
    const meText = await meResponse.text();
    // No token of any kind reaches the browser.
    expect(meText).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    const session = JSON.parse(meText) as { user: { username: string }; csrfToken: string };
    expect(session.user.username).toBe('bob');
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const created = [...(await apiSessionIds('bob'))].filter((id) => !before.has(id));
    expect(created).toHaveLength(1);

    // RP-initiated logout: the API session ends at once, Keycloak's when the browser follows the URL.
    const logout = await context.request.post(`${baseUrl}/auth/logout`, {
      headers: { 'x-csrf-token': session.csrfToken, origin: baseUrl },
    });
    expect(logout.status()).toBe(200);
    const { logoutUrl } = (await logout.json()) as { logoutUrl: string };
    const endSession = new URL(logoutUrl);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${baseUrl}/`);
    expect(endSession.searchParams.get('id_token_hint')).toMatch(/^eyJ/);
    expect(endSession.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect((await me(context)).status()).toBe(401);
    expect((await context.cookies(baseUrl)).find((c) => c.name === COOKIE)).toBeUndefined();

    await page.goto(logoutUrl);
    await page.waitForURL((url) => url.origin === baseUrl);
    expect(new URL(page.url()).searchParams.get('state')).toBe(endSession.searchParams.get('state'));
    const after = await apiSessionIds('bob');
    expect(after.has(created[0])).toBe(false);
    expect((await context.request.get(`${baseUrl}/api/profile`)).status()).toBe(401);
    await context.close();
  });

  it('refuses returnTo outside this origin and lands on /', async () => {
    const { context, page } = await signIn(browser, baseUrl, users.alice, 'https://evil.example/steal');
    expect(page.url()).toBe(`${baseUrl}/`);
    expect((await me(context)).status()).toBe(200);
    await context.close();
  });

  it('refuses unsafe requests that carry only the cookie, and changes nothing', async () => {
    const { context } = await signIn(browser, baseUrl, users.carol, '/api/profile');
    const before = (await (await me(context)).json()) as { csrfToken: string; accessTokenExpiresAt: number };

    const noToken = await context.request.post(`${baseUrl}/api/reports`, { data: { title: 'forged' } });
    expect(noToken.status()).toBe(403);
    expect(await noToken.json()).toMatchObject({ error: 'invalid_csrf_token' });
    const foreign = await context.request.post(`${baseUrl}/api/reports`, {
      data: { title: 'forged' },
      headers: { 'x-csrf-token': before.csrfToken, origin: 'https://evil.example' },
    });
    expect(foreign.status()).toBe(403);
    expect((await context.request.post(`${baseUrl}/auth/refresh`)).status()).toBe(403);
    expect((await context.request.post(`${baseUrl}/auth/logout`)).status()).toBe(403);

    // Nothing changed: same session, same tokens, still logged in.
    const after = (await (await me(context)).json()) as { csrfToken: string; accessTokenExpiresAt: number };
    expect(after).toMatchObject({ csrfToken: before.csrfToken, accessTokenExpiresAt: before.accessTokenExpiresAt });

    const allowed = await context.request.post(`${baseUrl}/api/reports`, {
      data: { title: 'real' },
      headers: { 'x-csrf-token': before.csrfToken, origin: baseUrl },
    });
    expect(allowed.status()).toBe(201);
    expect(await allowed.json()).toMatchObject({ title: 'real', author: 'carol' });

    const refreshed = await context.request.post(`${baseUrl}/auth/refresh`, { headers: { 'x-csrf-token': before.csrfToken } });
    expect(refreshed.status()).toBe(200);
    const renewed = (await refreshed.json()) as { accessTokenExpiresAt: number; user: { username: string } };
    expect(renewed.user.username).toBe('carol');
    expect(renewed.accessTokenExpiresAt).toBeGreaterThan(before.accessTokenExpiresAt);
    await context.close();
  });

  describe('state and code attacks', () => {
    /** A login started by `context`, stopped before Keycloak: the state it is bound to. */
    async function startLogin(context: BrowserContext): Promise<string> {
      const response = await context.request.get(`${baseUrl}/auth/login`, { maxRedirects: 0 });
      expect(response.status()).toBe(302);
      return new URL(response.headers().location).searchParams.get('state') as string;
    }

    async function callback(context: BrowserContext, query: Record<string, string>): Promise<APIResponse> {
      return context.request.get(`${baseUrl}/auth/callback?${new URLSearchParams(query)}`, { maxRedirects: 0 });
    }

    it('refuses a missing, tampered or foreign state with a clean 400', async () => {
      const context = await browser.newContext();
      const missing = await callback(context, { code: 'x' });
      expect(missing.status()).toBe(400);
      expect(await missing.json()).toEqual({ error: 'invalid_request', error_description: expect.any(String) });

      const state = await startLogin(context);
      const tampered = `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`;
      expect((await callback(context, { state: tampered, code: 'x' })).status()).toBe(400);

      // The right state from another browser (no binding cookie) is refused, and burnt.
      const stranger = await browser.newContext();
      const theirs = await startLogin(context);
      const stolen = await callback(stranger, { state: theirs, code: 'x' });
      expect(stolen.status()).toBe(400);
      expect(await stolen.json()).toMatchObject({ error: 'invalid_request' });
      expect((await me(stranger)).status()).toBe(401);
      await Promise.all([context.close(), stranger.close()]);
    });

    it("passes Keycloak's error response on as a 4xx without its text", async () => {
      const context = await browser.newContext();
      const state = await startLogin(context);
      const denied = await callback(context, { state, error: 'access_denied', error_description: '<script>alert(1)</script>' });
      expect(denied.status()).toBe(400);
      expect(await denied.json()).toEqual({ error: 'access_denied', error_description: 'The sign-in was cancelled or refused' });
      await context.close();
    });

    it('refuses a replayed callback (state used) and a replayed code (invalid_grant)', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(UI_TIMEOUT_MS);
      let callbackUrl: string | undefined;
      page.on('request', (request) => {
        if (request.url().startsWith(`${baseUrl}/auth/callback`)) callbackUrl = request.url();
      });
      await page.goto(`${baseUrl}/auth/login?returnTo=/api/profile`);
      await page.locator('#username').fill(users.dave.username);
      await page.locator('#password').fill(users.dave.password);
      await Promise.all([page.waitForURL(`${baseUrl}/api/profile`), page.locator('#kc-login').click()]);
      const used = new URL(callbackUrl as string);
      const code = used.searchParams.get('code') as string;

      const replayed = await context.request.get(used.toString(), { maxRedirects: 0 });
      expect(replayed.status()).toBe(400);
      expect(await replayed.json()).toMatchObject({ error: 'invalid_request' });

      // A fresh, valid state of this very browser does not make the old code good again.
      const state = await startLogin(context);
      const replayedCode = await callback(context, { state, code });
      expect(replayedCode.status()).toBe(400);
      expect(await replayedCode.json()).toMatchObject({ error: 'invalid_grant' });
      await context.close();
    });
  });

  describe('bearer clients', () => {
    it('refreshes a refresh token of nest-api, revokes it on logout, then refuses it', async () => {
      const tokens = await authorizationCodeLogin({ username: 'alice', client: clients.api, redirectUri: `${baseUrl}/auth/callback` });
      const refreshToken = tokens.refreshToken as string;
      const response = await fetch(`${baseUrl}/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: refreshToken }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number), refresh_token: expect.any(String) });
      expect(body.access_token).not.toBe(tokens.accessToken);
      const profile = await fetch(`${baseUrl}/api/profile`, { headers: { authorization: `Bearer ${String(body.access_token)}` } });
      expect(((await profile.json()) as { username: string }).username).toBe('alice');

      const latest = String(body.refresh_token);
      const revoked = await fetch(`${baseUrl}/auth/logout`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ refresh_token: latest }),
      });
      expect(revoked.status).toBe(204);
      const afterRevocation = await fetch(`${baseUrl}/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ refresh_token: latest }),
      });
      expect(afterRevocation.status).toBe(400);
      expect(await afterRevocation.json()).toMatchObject({ error: 'invalid_grant' });
    });

    it('answers invalid_grant for garbage and for refresh tokens of another client', async () => {
      const foreign = await passwordGrant('alice');
      for (const refreshToken of ['not-a-token', foreign.refreshToken as string]) {
        const response = await fetch(`${baseUrl}/auth/refresh`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refresh_token: refreshToken }),
        });
        expect(response.status).toBe(400);
        const text = await response.text();
        expect(JSON.parse(text)).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
        expect(text).not.toContain(refreshToken);
      }
    });

    it('asks for a refresh token or a session when it has neither', async () => {
      const response = await fetch(`${baseUrl}/auth/refresh`, { method: 'POST' });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    });
  });

  describe('back-channel logout', () => {
    it('ends the API session when Keycloak ends the SSO session', async () => {
      await withBackChannelToTestApp(async () => {
        const before = await apiSessionIds('alice');
        const { context } = await signIn(browser, baseUrl, users.alice, '/api/profile');
        expect((await me(context)).status()).toBe(200);
        const [sid] = [...(await apiSessionIds('alice'))].filter((id) => !before.has(id));
        expect(sid).toBeDefined();

        // Deleting the session through the admin API makes Keycloak POST a logout token to us.
        await admin.deleteSession(sid);
        expect(await eventually(async () => (await me(context)).status() === 401)).toBe(true);
        await context.close();
      });
    });

    it('answers 400 invalid_request with no-store for tokens that are not logout tokens', async () => {
      const idToken = (await passwordGrant('alice')).idToken as string;
      for (const token of ['garbage', idToken]) {
        const response = await fetch(`${baseUrl}/auth/backchannel-logout`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ logout_token: token }),
        });
        expect(response.status).toBe(400);
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(await response.json()).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
      }
      const empty = await fetch(`${baseUrl}/auth/backchannel-logout`, { method: 'POST' });
      expect(empty.status).toBe(400);
    });
  });
});

describe('rate limit on /auth/*', () => {
  it('answers 429 past the limit on /auth routes only', async () => {
    const app = await startTestApp({ env: { PUBLIC_BASE_URL: 'http://localhost:3100', THROTTLE_LIMIT: '3', THROTTLE_TTL_SECONDS: '60' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${app.url}/auth/me`)).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      for (let i = 0; i < 5; i++) expect((await fetch(`${app.url}/api/public`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('sessions shared by two replicas through Redis', () => {
  let replicaA: TestApp;
  let replicaB: TestApp;
  let browser: Browser;
  const baseUrl = `http://localhost:${apiPort()}`;

  beforeAll(async () => {
    const redis = await ensureRedis();
    // Both replicas: same Redis, same public URL; only A is on the port Keycloak knows.
    replicaA = await startOnApiPort({ REDIS_URL: redis.url });
    replicaB = await startTestApp({ env: { PUBLIC_BASE_URL: baseUrl, REDIS_URL: redis.url, THROTTLE_LIMIT: '1000' } });
    browser = await launchBrowser();
  }, PORT_WAIT_MS + 30_000);

  afterAll(async () => {
    await browser?.close();
    await replicaA?.close();
    await replicaB?.close();
  });

  async function sessionCookie(context: BrowserContext): Promise<string> {
    const cookie = (await context.cookies(baseUrl)).find((c) => c.name === COOKIE);
    return `${COOKIE}=${cookie?.value ?? ''}`;
  }

  const meOn = (replica: TestApp, cookie: string) => fetch(`${replica.url}/auth/me`, { headers: { cookie } });

  it('a session made on one replica works on the other, and a logout on either ends it on both', async () => {
    const { context } = await signIn(browser, baseUrl, users.bob, '/api/profile');
    const cookie = await sessionCookie(context);

    const onB = await meOn(replicaB, cookie);
    expect(onB.status).toBe(200);
    const { csrfToken, user } = (await onB.json()) as { csrfToken: string; user: { username: string } };
    expect(user.username).toBe('bob');
    const profile = await fetch(`${replicaB.url}/api/reports`, { headers: { cookie } });
    expect(profile.status).toBe(200);

    const logout = await fetch(`${replicaB.url}/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(logout.status).toBe(200);
    expect(((await logout.json()) as { logoutUrl: string }).logoutUrl).toContain('id_token_hint=');
    expect((await meOn(replicaA, cookie)).status).toBe(401);
    expect((await meOn(replicaB, cookie)).status).toBe(401);
    await context.close();
  });

  it("Keycloak's back-channel logout to one replica ends the session on the other", async () => {
    await withBackChannelToTestApp(async () => {
      const before = await apiSessionIds('carol');
      const { context } = await signIn(browser, baseUrl, users.carol, '/api/profile');
      const cookie = await sessionCookie(context);
      expect((await meOn(replicaB, cookie)).status).toBe(200);
      const [sid] = [...(await apiSessionIds('carol'))].filter((id) => !before.has(id));
      expect(sid).toBeDefined();

      await admin.deleteSession(sid);
      // Keycloak calls replica A (the fixed port); replica B must see the same end.
      expect(await eventually(async () => (await meOn(replicaB, cookie)).status === 401)).toBe(true);
      await context.close();
    });
  });
});
