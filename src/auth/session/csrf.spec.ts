import type { Request } from 'express';
import { assertCsrf, needsCsrfCheck } from './csrf';
import { CsrfError } from './session-errors';

const ORIGIN = 'https://app.example.com';
const TOKEN = 'a'.repeat(43);

function request(headers: Record<string, string>, body?: unknown): Request {
  return { headers, body } as unknown as Request;
}

function failure(run: () => void): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CsrfError) return error.check;
    throw error;
  }
  return 'passed';
}

describe('CSRF protection', () => {
  it('checks every method except GET, HEAD and OPTIONS', () => {
    expect(['GET', 'head', 'OPTIONS'].map(needsCsrfCheck)).toEqual([false, false, false]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND'].map(needsCsrfCheck)).toEqual([true, true, true, true, true]);
  });

  it('accepts the token in the header, from our origin or without Origin', () => {
    expect(failure(() => assertCsrf(request({ 'x-csrf-token': TOKEN, origin: ORIGIN }), TOKEN, ORIGIN))).toBe('passed');
    expect(failure(() => assertCsrf(request({ 'x-csrf-token': TOKEN }), TOKEN, ORIGIN))).toBe('passed');
  });

  it('accepts the token as the _csrf field of an HTML form', () => {
    expect(failure(() => assertCsrf(request({ origin: ORIGIN }, { _csrf: TOKEN }), TOKEN, ORIGIN))).toBe('passed');
  });

  it('refuses a missing or wrong token', () => {
    expect(failure(() => assertCsrf(request({ origin: ORIGIN }), TOKEN, ORIGIN))).toBe('csrf_token_missing');
    expect(failure(() => assertCsrf(request({ 'x-csrf-token': 'b'.repeat(43) }), TOKEN, ORIGIN))).toBe('csrf_token_mismatch');
    expect(failure(() => assertCsrf(request({ 'x-csrf-token': TOKEN.slice(1) }), TOKEN, ORIGIN))).toBe('csrf_token_mismatch');
  });

  it('refuses a foreign Origin even with the right token', () => {
    const foreign = request({ 'x-csrf-token': TOKEN, origin: 'https://evil.example' });
    expect(failure(() => assertCsrf(foreign, TOKEN, ORIGIN))).toBe('foreign_origin');
    const nullOrigin = request({ 'x-csrf-token': TOKEN, origin: 'null' });
    expect(failure(() => assertCsrf(nullOrigin, TOKEN, ORIGIN))).toBe('foreign_origin');
  });

  it('refuses a cross-site fetch that hides its Origin', () => {
    const hidden = request({ 'x-csrf-token': TOKEN, 'sec-fetch-site': 'cross-site' });
    expect(failure(() => assertCsrf(hidden, TOKEN, ORIGIN))).toBe('foreign_origin');
  });

  it('answers 403 with a fixed description', () => {
    const error = new CsrfError('csrf_token_missing');
    expect([error.status, error.code]).toEqual([403, 'invalid_csrf_token']);
    expect(error.message).not.toContain(TOKEN);
  });
});
