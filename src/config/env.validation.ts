import { existsSync } from 'node:fs';
import * as Joi from 'joi';

/**
 * The environment contract. Everything but the Keycloak connection has a safe
 * default; a missing or malformed value stops start-up with one line that names
 * the variable (never its value: it may be a secret).
 */
const seconds = () => Joi.number().integer().min(0);
// Booleans are the literal strings true/false: one spelling, no surprises.
const bool = () => Joi.boolean().strict(false).sensitive(false);
const httpUrl = () => Joi.string().uri({ scheme: ['http', 'https'] });

export const envSchema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'production', 'test').default('development'),
  PORT: Joi.number().port().default(3000),
  HOST: Joi.string().default('0.0.0.0'),
  PUBLIC_BASE_URL: httpUrl(),
  LOG_LEVEL: Joi.string()
    .valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent')
    .default('info'),
  CORS_ORIGINS: Joi.string().allow('').default(''),
  TRUST_PROXY: bool().default(false),

  KEYCLOAK_URL: httpUrl().required(),
  KEYCLOAK_REALM: Joi.string()
    .pattern(/^[A-Za-z0-9._-]+$/)
    .required(),
  // Only when the issuer Keycloak puts in tokens differs from KEYCLOAK_URL
  // (e.g. containers reach Keycloak by service name, browsers by localhost).
  KEYCLOAK_ISSUER: httpUrl(),
  KEYCLOAK_CLIENT_ID: Joi.string().required(),
  KEYCLOAK_CLIENT_SECRET: Joi.string().required(),
  KEYCLOAK_DISCOVERY_TIMEOUT_MS: Joi.number().integer().min(100).default(5000),

  AUTH_AUDIENCE: Joi.string(),
  AUTH_ROLES_CLIENT_ID: Joi.string(),
  AUTH_ALGORITHMS: Joi.string()
    .pattern(/^(RS|PS|ES)(256|384|512)(,(RS|PS|ES)(256|384|512))*$/)
    .message('"AUTH_ALGORITHMS" must be a comma-separated list of RS*/PS*/ES* algorithms')
    .default('RS256'),
  AUTH_CLOCK_SKEW_SECONDS: seconds().max(300).default(30),
  AUTH_JWKS_CACHE_TTL_SECONDS: seconds().min(1).default(600),
  AUTH_JWKS_COOLDOWN_SECONDS: seconds().default(30),
  AUTH_JWKS_TIMEOUT_MS: Joi.number().integer().min(100).default(5000),
  AUTH_TOKEN_CACHE_MAX: Joi.number().integer().min(0).default(10000),
  AUTH_INTROSPECTION: bool().default(false),
  AUTH_INTROSPECTION_CACHE_SECONDS: seconds().max(300).default(10),

  SESSION_COOKIE_NAME: Joi.string()
    .pattern(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/)
    .default('nka.sid'),
  SESSION_COOKIE_SAMESITE: Joi.string().valid('lax', 'strict', 'none').default('lax'),
  SESSION_COOKIE_SECURE: Joi.string().valid('auto', 'true', 'false').default('auto'),
  SESSION_TTL_SECONDS: seconds().min(60).default(8 * 3600),
  REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }),

  DOCS_ENABLED: bool().default(true),
  SWAGGER_CLIENT_ID: Joi.string().default('nest-swagger'),

  THROTTLE_TTL_SECONDS: seconds().min(1).default(60),
  THROTTLE_LIMIT: Joi.number().integer().min(1).default(100),
}).unknown(true);

/** The validated, converted environment. Defaults live only in `envSchema`. */
export interface Env {
  NODE_ENV: 'development' | 'production' | 'test';
  PORT: number;
  HOST: string;
  PUBLIC_BASE_URL?: string;
  LOG_LEVEL: string;
  CORS_ORIGINS: string;
  TRUST_PROXY: boolean;
  KEYCLOAK_URL: string;
  KEYCLOAK_REALM: string;
  KEYCLOAK_ISSUER?: string;
  KEYCLOAK_CLIENT_ID: string;
  KEYCLOAK_CLIENT_SECRET: string;
  KEYCLOAK_DISCOVERY_TIMEOUT_MS: number;
  AUTH_AUDIENCE?: string;
  AUTH_ROLES_CLIENT_ID?: string;
  AUTH_ALGORITHMS: string;
  AUTH_CLOCK_SKEW_SECONDS: number;
  AUTH_JWKS_CACHE_TTL_SECONDS: number;
  AUTH_JWKS_COOLDOWN_SECONDS: number;
  AUTH_JWKS_TIMEOUT_MS: number;
  AUTH_TOKEN_CACHE_MAX: number;
  AUTH_INTROSPECTION: boolean;
  AUTH_INTROSPECTION_CACHE_SECONDS: number;
  SESSION_COOKIE_NAME: string;
  SESSION_COOKIE_SAMESITE: 'lax' | 'strict' | 'none';
  SESSION_COOKIE_SECURE: 'auto' | 'true' | 'false';
  SESSION_TTL_SECONDS: number;
  REDIS_URL?: string;
  DOCS_ENABLED: boolean;
  SWAGGER_CLIENT_ID: string;
  THROTTLE_TTL_SECONDS: number;
  THROTTLE_LIMIT: number;
}

/** Validates `process.env`-shaped input; throws an Error whose message is one line. */
export function validateEnv(raw: Record<string, unknown>): Env {
  const { error, value } = envSchema.validate(raw, {
    abortEarly: true,
    convert: true,
    errors: { wrap: { label: false } },
  });
  if (error) {
    const detail = error.details[0];
    const variable = detail?.path.join('.') ?? 'environment';
    throw new ConfigValidationError(variable, describe(detail?.type, variable, detail?.message));
  }
  return value as Env;
}

/**
 * Loads `.env` when present (as ConfigModule does) and validates the process
 * environment, for `main.ts` to fail before Nest starts: Nest's own error
 * handler would print a stack trace for what is one wrong variable.
 */
export function validateProcessEnv(envFile = '.env'): Env {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return currentEnv();
}

/** The variables the schema knows; only they can change the validated result. */
const SCHEMA_KEYS = Object.keys(envSchema.describe().keys ?? {});
let validated: { fingerprint: string; env: Env } | undefined;

/**
 * `validateEnv(process.env)`, validated once per distinct set of values: each
 * config namespace reads it at start-up, and tests change the environment
 * between apps, so the result is kept only while the schema's variables stay
 * as they were.
 */
export function currentEnv(): Env {
  const fingerprint = SCHEMA_KEYS.map((key) => process.env[key] ?? '\u0000').join('\u0001');
  if (validated?.fingerprint !== fingerprint) validated = { fingerprint, env: validateEnv(process.env) };
  return validated.env;
}

export class ConfigValidationError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${reason}`);
    this.name = 'ConfigValidationError';
  }
}

// Joi messages quote the value for some rules; rebuild them so a secret never
// reaches the console.
function describe(type: string | undefined, variable: string, joiMessage?: string): string {
  switch (type) {
    case 'any.required':
      return `${variable} is required but not set (see .env.example)`;
    case 'string.uri':
    case 'string.uriCustomScheme':
      return `${variable} must be an absolute URL with an allowed scheme`;
    case 'any.only':
      return `${variable} has an unsupported value; ${joiMessage ?? ''}`.trim();
    case 'number.base':
    case 'number.integer':
      return `${variable} must be an integer`;
    case 'number.port':
      return `${variable} must be a TCP port (0-65535)`;
    case 'number.min':
    case 'number.max':
      return joiMessage ?? `${variable} is out of range`;
    case 'boolean.base':
      return `${variable} must be true or false`;
    case 'string.pattern.base':
    case 'string.pattern.name':
      return `${variable} has an invalid format`;
    case 'string.empty':
      return `${variable} must not be empty`;
    default:
      return joiMessage ?? `${variable} is invalid`;
  }
}
