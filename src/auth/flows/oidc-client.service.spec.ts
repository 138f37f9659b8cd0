import type { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import type { AxiosResponse } from 'axios';
import { of, throwError } from 'rxjs';
import type { OidcDiscoveryService } from '../discovery/oidc-discovery.service';
import { testBrowserSettings } from '../session/testing/session-fixtures';
import type { ProviderMetadata } from '../token';
import { OAuthFlowError } from './oauth-flow.error';
import { OidcClient } from './oidc-client.service';

const METADATA: ProviderMetadata = {
  issuer: 'https://sso.example.test/realms/r',
  jwks_uri: 'https://sso.example.test/realms/r/certs',
  authorization_endpoint: 'https://sso.example.test/realms/r/auth',
  token_endpoint: 'https://sso.example.test/realms/r/token',
  revocation_endpoint: 'https://sso.example.test/realms/r/revoke',
  end_session_endpoint: 'https://sso.example.test/realms/r/logout',
};

/** A token-endpoint answer as HttpService delivers it. */
const reply = (status: number, data: unknown) => of({ status, data } as AxiosResponse<unknown>);

interface Call {
  url: string;
  body: string;
  headers: Record<string, string>;
}

describe('OidcClient', () => {
  let calls: Call[];
  let answer: () => ReturnType<HttpService['post']>;
  let metadata: ProviderMetadata;
  let client: OidcClient;
  let warnings: string[];

  beforeEach(() => {
    calls = [];
    warnings = [];
    metadata = METADATA;
    answer = () => reply(200, { access_token: 'a', token_type: 'Bearer', expires_in: 300 });
    const http = {
      post: (url: string, body: string, config: { headers: Record<string, string> }) => {
        calls.push({ url, body, headers: config.headers });
        return answer();
      },
    } as unknown as HttpService;
    const discovery = { metadata: () => Promise.resolve(metadata) } as unknown as OidcDiscoveryService;
    const settings = { ...testBrowserSettings({}, 'nest api'), clientSecret: 's3cr:t' };
    client = new OidcClient(http, discovery, settings);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
  });

  afterEach(() => jest.restoreAllMocks());

  async function failure(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof OAuthFlowError) return `${error.getStatus()} ${error.code}`;
      throw error;
    }
    return 'resolved';
  }

  it('builds the authorization URL from discovery with PKCE S256, state and nonce', async () => {
    const url = new URL(await client.authorizationUrl({ state: 'st', nonce: 'no', codeChallenge: 'ch' }));
    expect(`${url.origin}${url.pathname}`).toBe(METADATA.authorization_endpoint);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'nest api',
      response_type: 'code',
      scope: 'openid profile email',
      redirect_uri: 'http://localhost:3100/auth/callback',
      state: 'st',
      nonce: 'no',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
  });

  it('exchanges a code with client_secret_basic (form-encoded id and secret) and the verifier', async () => {
    answer = () =>
      reply(200, { access_token: 'a', token_type: 'bearer', expires_in: 300, refresh_token: 'r', refresh_expires_in: 1800, id_token: 'i' });
    expect(await client.exchangeCode('the-code', 'the-verifier')).toEqual({
      accessToken: 'a',
      expiresIn: 300,
      refreshToken: 'r',
      refreshExpiresIn: 1800,
      idToken: 'i',
    });
    const [call] = calls;
    expect(call.url).toBe(METADATA.token_endpoint);
    expect(Object.fromEntries(new URLSearchParams(call.body))).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: 'http://localhost:3100/auth/callback',
      code_verifier: 'the-verifier',
    });
    expect(call.headers.authorization).toBe(`Basic ${Buffer.from('nest%20api:s3cr%3At').toString('base64')}`);
    expect(call.body).not.toContain('s3cr');
  });

  it('maps token endpoint answers to OAuth errors without passing on their text', async () => {
    answer = () => reply(400, { error: 'invalid_grant', error_description: 'Code not valid' });
    expect(await failure(client.exchangeCode('c', 'v'))).toBe('400 invalid_grant');
    answer = () => reply(401, { error: 'invalid_client' });
    expect(await failure(client.exchangeCode('c', 'v'))).toBe('502 server_error');
    expect(warnings.join('\n')).toContain('invalid_client');
    answer = () => reply(503, 'down');
    expect(await failure(client.exchangeCode('c', 'v'))).toBe('503 temporarily_unavailable');
    answer = () => reply(200, { access_token: 'a', token_type: 'mac', expires_in: 300 });
    expect(await failure(client.exchangeCode('c', 'v'))).toBe('502 server_error');
    answer = () => throwError(() => Object.assign(new Error('connect ECONNREFUSED'), { config: { headers: { authorization: 'Basic x' } } }));
    expect(await failure(client.exchangeCode('c', 'v'))).toBe('503 temporarily_unavailable');
  });

  it('reports a refused refresh as undefined for sessions and as invalid_grant for bearer clients', async () => {
    answer = () => reply(400, { error: 'invalid_grant' });
    expect(await client.refresh('r')).toBeUndefined();
    expect(await failure(client.refreshGrant('r'))).toBe('400 invalid_grant');
    expect(Object.fromEntries(new URLSearchParams(calls[0].body))).toEqual({ grant_type: 'refresh_token', refresh_token: 'r' });
    answer = () => reply(500, {});
    await expect(client.refresh('r')).rejects.toBeInstanceOf(OAuthFlowError);
  });

  it('revokes at the revocation endpoint with a token type hint, and never logs the token', async () => {
    expect(await client.revoke('secret-refresh-token', 'refresh_token')).toBe(true);
    expect(calls[0].url).toBe(METADATA.revocation_endpoint);
    expect(Object.fromEntries(new URLSearchParams(calls[0].body))).toEqual({ token: 'secret-refresh-token', token_type_hint: 'refresh_token' });
    answer = () => throwError(() => new Error('secret-refresh-token timeout'));
    expect(await client.revoke('secret-refresh-token', 'refresh_token')).toBe(false);
    expect(warnings.join('\n')).not.toContain('secret-refresh-token');
  });

  it('builds the end-session URL with id_token_hint, post_logout_redirect_uri and state', async () => {
    const url = new URL((await client.endSessionUrl({ idTokenHint: 'id.token.hint', state: 'st' })) as string);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'nest api',
      id_token_hint: 'id.token.hint',
      post_logout_redirect_uri: 'http://localhost:3100/',
      state: 'st',
    });
    metadata = { ...METADATA, end_session_endpoint: undefined };
    expect(await client.endSessionUrl({ state: 'st' })).toBeUndefined();
  });

  it('answers 503 while discovery fails', async () => {
    const failing = new OidcClient(
      { post: () => of() } as unknown as HttpService,
      { metadata: () => Promise.reject(new Error('down')) } as unknown as OidcDiscoveryService,
      testBrowserSettings(),
    );
    expect(await failure(failing.exchangeCode('c', 'v'))).toBe('503 temporarily_unavailable');
  });
});
