import { readFileSync } from 'node:fs';
import path from 'node:path';
import { currentEnv, envSchema, validateEnv } from './env.validation';

const VALID = {
  KEYCLOAK_URL: 'http://localhost:8080',
  KEYCLOAK_REALM: 'nest-keycloak-auth',
  KEYCLOAK_CLIENT_ID: 'nest-api',
  KEYCLOAK_CLIENT_SECRET: 's3cr3t-value',
};

function failure(env: Record<string, string | undefined>): string {
  try {
    validateEnv(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected validation to fail');
}

describe('validateEnv', () => {
  it('applies the documented defaults', () => {
    const env = validateEnv(VALID);
    expect(env.PORT).toBe(3000);
    expect(env.AUTH_ALGORITHMS).toBe('RS256');
    expect(env.AUTH_CLOCK_SKEW_SECONDS).toBe(30);
    expect(env.AUTH_INTROSPECTION).toBe(false);
    expect(env.SESSION_COOKIE_SAMESITE).toBe('lax');
    expect(env.DOCS_ENABLED).toBe(true);
    expect(env.AUTH_AUDIENCE).toBeUndefined();
  });

  it('converts numbers and booleans', () => {
    const env = validateEnv({ ...VALID, PORT: '4000', AUTH_INTROSPECTION: 'true', DOCS_ENABLED: 'false' });
    expect(env.PORT).toBe(4000);
    expect(env.AUTH_INTROSPECTION).toBe(true);
    expect(env.DOCS_ENABLED).toBe(false);
  });

  it.each(['KEYCLOAK_URL', 'KEYCLOAK_REALM', 'KEYCLOAK_CLIENT_ID', 'KEYCLOAK_CLIENT_SECRET'])(
    'names a missing %s in one line',
    (name) => {
      const message = failure({ ...VALID, [name]: undefined });
      expect(message).toBe(`Invalid configuration: ${name} is required but not set (see .env.example)`);
      expect(message).not.toContain('\n');
    },
  );

  it.each([
    ['PORT', 'not-a-port', 'PORT must be an integer'],
    ['PORT', '70000', 'PORT must be a TCP port (0-65535)'],
    ['KEYCLOAK_URL', 'localhost:8080', 'KEYCLOAK_URL must be an absolute URL with an allowed scheme'],
    ['KEYCLOAK_URL', 'ftp://kc.example', 'KEYCLOAK_URL must be an absolute URL with an allowed scheme'],
    ['KEYCLOAK_REALM', 'bad realm/../x', 'KEYCLOAK_REALM has an invalid format'],
    ['AUTH_ALGORITHMS', 'HS256', 'AUTH_ALGORITHMS has an invalid format'],
    ['AUTH_ALGORITHMS', 'none', 'AUTH_ALGORITHMS has an invalid format'],
    ['AUTH_INTROSPECTION', 'maybe', 'AUTH_INTROSPECTION must be true or false'],
    ['REDIS_URL', 'http://cache:6379', 'REDIS_URL must be an absolute URL with an allowed scheme'],
  ])('rejects malformed %s=%s', (name, value, expected) => {
    expect(failure({ ...VALID, [name]: value })).toBe(`Invalid configuration: ${expected}`);
  });

  it('names the variable for enumerations and ranges', () => {
    expect(failure({ ...VALID, SESSION_COOKIE_SAMESITE: 'sometimes' })).toMatch(/^Invalid configuration: SESSION_COOKIE_SAMESITE /);
    expect(failure({ ...VALID, AUTH_CLOCK_SKEW_SECONDS: '3600' })).toMatch(/AUTH_CLOCK_SKEW_SECONDS/);
  });

  it('never repeats a secret value in its message', () => {
    const message = failure({ ...VALID, KEYCLOAK_URL: 'not a url with s3cr3t-value' });
    expect(message).not.toContain('s3cr3t');
  });
});

describe('currentEnv', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    for (const [key, value] of Object.entries(VALID)) process.env[key] = value;
  });
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('validates the process environment once while the schema variables stay the same', () => {
    const first = currentEnv();
    process.env.SOMETHING_ELSE_ENTIRELY = 'x';
    expect(currentEnv()).toBe(first);
  });

  it('validates again when a schema variable changes, and fails on a bad one', () => {
    const first = currentEnv();
    process.env.AUTH_CLOCK_SKEW_SECONDS = '12';
    const second = currentEnv();
    expect(second).not.toBe(first);
    expect(second.AUTH_CLOCK_SKEW_SECONDS).toBe(12);
    process.env.AUTH_CLOCK_SKEW_SECONDS = 'soon';
    expect(() => currentEnv()).toThrow(/AUTH_CLOCK_SKEW_SECONDS/);
  });
});

describe('.env.example', () => {
  it('documents every variable of the schema', () => {
    const example = readFileSync(path.resolve(__dirname, '..', '..', '.env.example'), 'utf8');
    const keys = Object.keys(envSchema.describe().keys ?? {});
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((key) => !new RegExp(`^#? ?${key}=`, 'm').test(example))).toEqual([]);
  });
});
