import { AuthOptionsError, type ResolvedAuthOptions } from '../auth-options.resolver';
import { BROWSER_DEFAULTS } from './browser-defaults';

/** Browser-flow options with defaults applied and every URL built, once. */
export interface BrowserSettings {
  clientId: string;
  clientSecret: string;
  /** `scheme://host[:port]` of the public base URL, what a same-origin `Origin` header equals. */
  publicOrigin: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  cookie: {
    name: string;
    /** The short-lived cookie binding a pending login to this browser. */
    loginName: string;
    sameSite: 'lax' | 'strict' | 'none';
    secure: boolean;
  };
  sessionTtlSec: number;
  redisUrl?: string;
  throttle: { ttlSec: number; limit: number };
  httpTimeoutMs: number;
}

/** Injection token of the `BrowserSettings`. */
export const BROWSER_SETTINGS = Symbol('BROWSER_SETTINGS');

/** The callback path; the realm's client must list `publicBaseUrl` + this as a redirect URI. */
export const CALLBACK_PATH = '/auth/callback';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function resolveBrowserSettings(options: ResolvedAuthOptions): BrowserSettings {
  const browser = options.browser;
  if (!browser?.enabled) throw new AuthOptionsError('browserFlows needs browser options with enabled: true');
  if (!options.clientId || !options.clientSecret) {
    throw new AuthOptionsError('browser flows need clientId and clientSecret');
  }
  const base = new URL(browser.publicBaseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const root = `${base.origin}${basePath}`;
  // Browsers drop Secure cookies over plain http, except for localhost during development.
  const secure =
    browser.cookie?.secure === undefined || browser.cookie.secure === 'auto'
      ? !(base.protocol === 'http:' && LOCAL_HOSTS.has(base.hostname))
      : browser.cookie.secure;
  const sameSite = browser.cookie?.sameSite ?? BROWSER_DEFAULTS.sameSite;
  if (sameSite === 'none' && !secure) throw new AuthOptionsError('browser.cookie.sameSite none needs a Secure cookie');
  const name = browser.cookie?.name ?? BROWSER_DEFAULTS.cookieName;
  const sessionTtlSec = browser.sessionTtlSeconds ?? BROWSER_DEFAULTS.sessionTtlSec;
  if (!Number.isInteger(sessionTtlSec) || sessionTtlSec < 60) {
    throw new AuthOptionsError('browser.sessionTtlSeconds must be an integer of at least 60');
  }
  return {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    publicOrigin: base.origin,
    redirectUri: `${root}${CALLBACK_PATH}`,
    postLogoutRedirectUri: `${root}/`,
    cookie: { name, loginName: `${name}.login`, sameSite, secure },
    sessionTtlSec,
    redisUrl: browser.redisUrl,
    throttle: {
      ttlSec: browser.throttle?.ttlSeconds ?? BROWSER_DEFAULTS.throttleTtlSec,
      limit: browser.throttle?.limit ?? BROWSER_DEFAULTS.throttleLimit,
    },
    // One budget for every call to Keycloak: discovery, keys, tokens, revocation.
    httpTimeoutMs: options.jwks.timeoutMs,
  };
}
