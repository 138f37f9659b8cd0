import { AuthOptionsError, type ResolvedAuthOptions } from '../auth-options.resolver';
import { resolveBrowserSettings } from './browser-settings';
import { testAuthOptions } from './testing/session-fixtures';

const options = (browser: Partial<NonNullable<ResolvedAuthOptions['browser']>> = {}) =>
  testAuthOptions({ publicBaseUrl: 'https://api.example.com', ...browser });

describe('resolveBrowserSettings', () => {
  it('builds the redirect and post-logout URIs from the public base URL, path included', () => {
    const settings = resolveBrowserSettings(options({ publicBaseUrl: 'https://example.com/api/' }));
    expect(settings).toMatchObject({
      publicOrigin: 'https://example.com',
      redirectUri: 'https://example.com/api/auth/callback',
      postLogoutRedirectUri: 'https://example.com/api/',
    });
  });

  it('defaults to a Lax, Secure cookie named nka.sid', () => {
    expect(resolveBrowserSettings(options()).cookie).toEqual({
      name: 'nka.sid',
      loginName: 'nka.sid.login',
      sameSite: 'lax',
      secure: true,
    });
  });

  it('drops Secure under auto only for http://localhost', () => {
    expect(resolveBrowserSettings(options({ publicBaseUrl: 'http://localhost:3100' })).cookie.secure).toBe(false);
    expect(resolveBrowserSettings(options({ publicBaseUrl: 'http://127.0.0.1:3100' })).cookie.secure).toBe(false);
    expect(resolveBrowserSettings(options({ publicBaseUrl: 'http://api.internal' })).cookie.secure).toBe(true);
    expect(resolveBrowserSettings(options({ publicBaseUrl: 'http://localhost', cookie: { secure: true } })).cookie.secure).toBe(true);
  });

  it('refuses SameSite=None without Secure, and sessions shorter than a minute', () => {
    expect(() =>
      resolveBrowserSettings(options({ publicBaseUrl: 'http://localhost', cookie: { sameSite: 'none', secure: 'auto' } })),
    ).toThrow(AuthOptionsError);
    expect(() => resolveBrowserSettings(options({ sessionTtlSeconds: 30 }))).toThrow(/sessionTtlSeconds/);
  });

  it('takes the rate limit from the options, else the defaults', () => {
    expect(resolveBrowserSettings(options()).throttle).toEqual({ ttlSec: 60, limit: 100 });
    expect(resolveBrowserSettings(options({ throttle: { ttlSeconds: 10, limit: 5 } })).throttle).toEqual({ ttlSec: 10, limit: 5 });
  });

  it('needs browser options and the confidential client', () => {
    expect(() => resolveBrowserSettings({ ...options(), browser: undefined })).toThrow(AuthOptionsError);
    expect(() => resolveBrowserSettings({ ...options(), clientSecret: undefined })).toThrow(/clientSecret/);
  });
});
