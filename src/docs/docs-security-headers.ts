import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { contentSecurityPolicy, crossOriginOpenerPolicy } from 'helmet';
import { DOCS_PATH, OAUTH2_REDIRECT_PATH } from './docs.constants';

/** The paths Swagger UI's HTML page is served under. */
const UI_PAGES = new Set([DOCS_PATH, `${DOCS_PATH}/`, `${DOCS_PATH}/index.html`]);

type HeaderMiddleware = (req: Request, res: Response, next: (error?: unknown) => void) => void;

/**
 * Loosens the global helmet headers for Swagger UI's pages only; every other
 * route keeps helmet's defaults. It runs after the global `helmet()` and
 * overwrites two headers:
 *
 * - CSP `connect-src` also allows Keycloak's token endpoint: Swagger UI
 *   exchanges the code (with the PKCE verifier) from the page by `fetch`.
 *   Scripts stay `'self'`: the page and `oauth2-redirect.html` load only
 *   external scripts from this origin, so no hash or `'unsafe-inline'` is needed.
 * - Cross-Origin-Opener-Policy: the page opens Keycloak's login in a popup and
 *   `oauth2-redirect.html` hands the code back through `window.opener`.
 *   helmet's `same-origin` would cut that link, so the page allows its popups
 *   and the redirect page, which has to reach its opener, declares none.
 *
 * Over plain http `upgrade-insecure-requests` is dropped: on a dev box reached
 * by a name other than localhost (browsers spare only localhost) it would send
 * the page's scripts and the token request to https endpoints that do not exist.
 */
export function docsSecurityHeaders(tokenEndpoint: () => Promise<string | undefined>, publicBaseUrl: string): RequestHandler {
  const upgradeInsecureRequests = publicBaseUrl.startsWith('https:') ? [] : null;
  const cspByOrigin = new Map<string, HeaderMiddleware>();
  const cspFor = (origin: string | undefined): HeaderMiddleware => {
    const key = origin ?? '';
    let middleware = cspByOrigin.get(key);
    if (!middleware) {
      middleware = contentSecurityPolicy({
        useDefaults: true,
        directives: { connectSrc: ["'self'", ...(origin ? [origin] : [])], upgradeInsecureRequests },
      });
      cspByOrigin.set(key, middleware);
    }
    return middleware;
  };
  const allowPopups = crossOriginOpenerPolicy({ policy: 'same-origin-allow-popups' });
  const noOpenerPolicy = crossOriginOpenerPolicy({ policy: 'unsafe-none' });

  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path !== DOCS_PATH && !req.path.startsWith(`${DOCS_PATH}/`)) return next();
    (req.path === OAUTH2_REDIRECT_PATH ? noOpenerPolicy : allowPopups)(req, res, () => undefined);
    // Only the UI page fetches the token; its scripts, styles and the redirect
    // page need no Keycloak origin, and need not wait for discovery.
    if (!UI_PAGES.has(req.path)) return cspFor(undefined)(req, res, next);
    tokenEndpoint()
      .then(originOf, () => undefined)
      .then((origin) => cspFor(origin)(req, res, next), next);
  };
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
