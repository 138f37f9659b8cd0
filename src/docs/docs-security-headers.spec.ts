import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { docsSecurityHeaders } from './docs-security-headers';

function appWith(tokenEndpoint: () => Promise<string | undefined>, publicBaseUrl = 'http://localhost:3000') {
  const app = express();
  app.use(helmet());
  app.use(docsSecurityHeaders(tokenEndpoint, publicBaseUrl));
  app.get(['/docs', '/docs/', '/docs/oauth2-redirect.html', '/docs-json', '/api'], (_req, res) => void res.send('ok'));
  return app;
}

const directive = (csp: string | undefined, name: string) =>
  (csp ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name} `) || part === name);

describe('docsSecurityHeaders', () => {
  const keycloak = () => Promise.resolve('http://localhost:8180/realms/r/protocol/openid-connect/token');

  it.each(['/docs', '/docs/'])("lets Swagger UI at %s reach Keycloak's token endpoint and open a login popup", async (path) => {
    const response = await request(appWith(keycloak)).get(path).expect(200);
    const csp = response.headers['content-security-policy'];
    expect(directive(csp, 'connect-src')).toBe("connect-src 'self' http://localhost:8180");
    expect(directive(csp, 'script-src')).toBe("script-src 'self'");
    expect(directive(csp, 'upgrade-insecure-requests')).toBeUndefined();
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin-allow-popups');
  });

  it('lets the redirect page reach its opener, and asks discovery only for the UI page', async () => {
    const tokenEndpoint = jest.fn(keycloak);
    const response = await request(appWith(tokenEndpoint)).get('/docs/oauth2-redirect.html').expect(200);
    expect(response.headers['cross-origin-opener-policy']).toBe('unsafe-none');
    expect(directive(response.headers['content-security-policy'], 'script-src')).toBe("script-src 'self'");
    expect(directive(response.headers['content-security-policy'], 'connect-src')).toBe("connect-src 'self'");
    expect(tokenEndpoint).not.toHaveBeenCalled();
  });

  it("leaves helmet's defaults on every other route", async () => {
    for (const path of ['/api', '/docs-json']) {
      const response = await request(appWith(keycloak)).get(path).expect(200);
      expect(directive(response.headers['content-security-policy'], 'connect-src')).toBeUndefined();
      expect(directive(response.headers['content-security-policy'], 'upgrade-insecure-requests')).toBeDefined();
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    }
  });

  it('allows only the own origin while Keycloak is unknown', async () => {
    const response = await request(appWith(() => Promise.reject(new Error('down')))).get('/docs').expect(200);
    expect(directive(response.headers['content-security-policy'], 'connect-src')).toBe("connect-src 'self'");
  });

  it('keeps upgrade-insecure-requests when the docs are served over https', async () => {
    const response = await request(appWith(keycloak, 'https://api.example')).get('/docs').expect(200);
    expect(directive(response.headers['content-security-policy'], 'upgrade-insecure-requests')).toBeDefined();
  });
});
