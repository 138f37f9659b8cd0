// Swagger UI in a real browser against the real Keycloak: Authorize with the
// OAuth2 (PKCE) scheme, sign in on Keycloak's page, then "Try it out".
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { startTestApp } from './support/app';
import { ARTIFACTS_DIR, launchBrowser } from './support/browser';
import { apiPort, users, type TestUser } from './support/env';

const UI_TIMEOUT_MS = 20_000;
// A cold Keycloak login page and Swagger UI's first render take a few seconds each.
const TEST_TIMEOUT_MS = 90_000;

/** Console errors and CSP violations of a page and the popups it opens. */
class PageProblems {
  readonly cspViolations: string[] = [];

  watch(page: Page): void {
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Cross-Origin-Opener-Policy/i.test(message.text())) {
        this.cspViolations.push(message.text());
      }
    });
  }
}

describe('Swagger UI login through Keycloak (browser)', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    // The Swagger client's registered redirect URI is on this fixed port.
    const port = apiPort();
    baseUrl = `http://localhost:${port}`;
    app = await startTestApp({ port, env: { PUBLIC_BASE_URL: baseUrl } });
    browser = await launchBrowser();
  }, TEST_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /**
   * Opens /docs in a fresh context (so no Keycloak SSO cookie carries over
   * from another user), runs `steps`, and reports what the page produced plus
   * any CSP or COOP complaint of the page and its popups.
   */
  async function onDocsPage<T>(steps: (page: Page, problems: PageProblems) => Promise<T>): Promise<{ result: T; cspViolations: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const problems = new PageProblems();
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(UI_TIMEOUT_MS);
      problems.watch(page);
      await page.goto(`${baseUrl}/docs`);
      await expectVisible(operationBlock(page, 'get', '/api/profile'));
      return { result: await steps(page, problems), cspViolations: problems.cspViolations };
    } finally {
      await context.close();
    }
  }

  /** Authorize → the OAuth2 scheme → Keycloak's login page in a popup → back with a token. */
  async function signIn(page: Page, user: TestUser, problems: PageProblems): Promise<void> {
    await page.locator('.auth-wrapper button.authorize').click();
    const oauth2 = page.locator('.modal-ux .auth-container').filter({ hasText: 'OAuth2' });
    await expectVisible(oauth2);
    // The client id is preset from initOAuth; a public PKCE client has no secret to ask for.
    await expectValue(oauth2.locator('input[data-name="clientId"]'), 'nest-swagger');
    expect(await oauth2.locator('input[data-name="clientSecret"]').isVisible()).toBe(false);

    const [popup] = await Promise.all([page.waitForEvent('popup'), oauth2.locator('button.authorize').click()]);
    problems.watch(popup);
    await popup.waitForLoadState('domcontentloaded');
    // Keycloak's own login page, reached through the discovered authorization endpoint.
    expect(new URL(popup.url()).searchParams.get('code_challenge_method')).toBe('S256');
    expect(new URL(popup.url()).searchParams.get('redirect_uri')).toBe(`${baseUrl}/docs/oauth2-redirect.html`);
    await popup.locator('#username').fill(user.username);
    await popup.locator('#password').fill(user.password);
    // oauth2-redirect.html hands the code to the opener and closes the popup.
    await Promise.all([popup.waitForEvent('close', { timeout: UI_TIMEOUT_MS }), popup.locator('#kc-login').click()]);

    // Back in Swagger UI: the scheme now offers "Logout", i.e. it holds a token.
    await expectVisible(oauth2.locator('button', { hasText: 'Logout' }));
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, `docs-${user.username}-authorized.png`) });
    await oauth2.locator('button.btn-done').click();
  }

  /** Expands an operation, "Try it out", "Execute"; screenshots it and returns the live response. */
  async function tryItOut(page: Page, method: string, route: string, screenshot: string): Promise<{ status: string; body: string }> {
    const block = operationBlock(page, method, route);
    await block.locator('.opblock-summary').click();
    await block.locator('button.try-out__btn').click();
    await block.locator('button.execute').click();
    const live = block.locator('.live-responses-table .response');
    await expectVisible(live);
    // The request snippet shows the bearer token; keep it out of screenshots.
    await page.addStyleTag({ content: '.curl-command, .request-url { visibility: hidden !important; }' });
    await block.screenshot({ path: path.join(ARTIFACTS_DIR, screenshot) });
    return {
      status: (await live.locator('.response-col_status').innerText()).trim(),
      body: await live.locator('.response-col_description .highlight-code pre').innerText(),
    };
  }

  /** The whole journey: open the docs, sign in as `user`, try one operation. */
  function callAs(user: TestUser, method: string, route: string, screenshot: string) {
    return onDocsPage(async (page, problems) => {
      await signIn(page, user, problems);
      return tryItOut(page, method, route, screenshot);
    });
  }

  it('shows a lock on protected operations and none on public ones', async () => {
    const { result: locks } = await onDocsPage(async (page) => {
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'docs-overview.png'), fullPage: true });
      const count = (method: string, route: string) => operationBlock(page, method, route).locator('.authorization__btn').count();
      return {
        publicApi: await count('get', '/api/public'),
        health: await count('get', '/health'),
        profile: await count('get', '/api/profile'),
        reportsPost: await count('post', '/api/reports'),
      };
    });
    expect(locks).toEqual({ publicApi: 0, health: 0, profile: 1, reportsPost: 1 });
  }, TEST_TIMEOUT_MS);

  it('carol (admin) signs in through Keycloak and calls GET /api/profile: 200 with her name', async () => {
    const { result, cspViolations } = await callAs(users.carol, 'get', '/api/profile', 'docs-carol-profile-200.png');
    expect(result.status).toBe('200');
    const profile = JSON.parse(result.body) as { username: string; name: string; realmRoles: string[] };
    expect(profile).toMatchObject({ username: 'carol', name: 'Carol Clark' });
    expect(profile.realmRoles).toContain('admin');
    expect(cspViolations).toEqual([]);
  }, TEST_TIMEOUT_MS);

  it('alice (plain user) signs in the same way and is refused GET /api/admin: 403 insufficient_scope', async () => {
    const { result, cspViolations } = await callAs(users.alice, 'get', '/api/admin', 'docs-alice-admin-403.png');
    expect(result.status).toBe('403');
    expect(JSON.parse(result.body)).toMatchObject({ statusCode: 403, error: 'insufficient_scope' });
    expect(cspViolations).toEqual([]);
  }, TEST_TIMEOUT_MS);
});

function operationBlock(page: Page, method: string, route: string): Locator {
  const exactPath = new RegExp(`^${route.replace(/[/.]/g, '\\$&')}$`);
  return page.locator(`.opblock-${method}`).filter({ has: page.locator('.opblock-summary-path', { hasText: exactPath }) });
}

async function expectVisible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  expect(await locator.first().isVisible()).toBe(true);
}

async function expectValue(locator: Locator, value: string): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  expect(await locator.inputValue()).toBe(value);
}
