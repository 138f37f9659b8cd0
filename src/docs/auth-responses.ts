import type { ComponentsObject, HeaderObject, ReferenceObject, ResponseObject } from '@nestjs/swagger';
import {
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  KeySetUnavailableError,
  type AuthError,
  type AuthErrorBody,
} from '../auth';

/** Component names; operations point at them with `$ref`. */
const ERROR_SCHEMA = 'AuthError';
const RESPONSES = {
  '400': 'InvalidRequest',
  '401': 'Unauthorized',
  '403': 'Forbidden',
  '503': 'AuthUnavailable',
} as const;

const challengeHeader: HeaderObject = {
  description:
    'RFC 6750 §3 challenge: `Bearer realm="…"`, plus `error` and `error_description` when a token was sent.',
  schema: { type: 'string' },
};

/**
 * The shared error schema and responses. Examples are made from the error
 * classes the guards throw, so their codes and texts are the real ones.
 */
export function authComponents(): Pick<ComponentsObject, 'schemas' | 'responses'> {
  return {
    schemas: {
      [ERROR_SCHEMA]: {
        type: 'object',
        description: 'RFC 6750 error body of every authentication or authorization failure.',
        required: ['statusCode', 'error', 'error_description'],
        properties: {
          statusCode: { type: 'integer', example: 401 },
          error: {
            type: 'string',
            description: 'RFC 6750 error code (`unauthorized` when the request carried no token)',
            example: 'invalid_token',
          },
          error_description: { type: 'string', example: 'The access token is invalid' },
        },
      },
    },
    responses: {
      [RESPONSES['400']]: errorResponse(
        'Malformed credentials: a broken `Authorization` header, a token in the URL, or more than one token.',
        new InvalidRequestError('malformed_authorization'),
      ),
      [RESPONSES['401']]: errorResponse(
        'No access token, or one that is expired, forged or issued for another audience.',
        new InvalidTokenError('expired'),
      ),
      [RESPONSES['403']]: errorResponse(
        'The access token is valid but lacks the roles this operation requires.',
        new InsufficientScopeError(),
      ),
      [RESPONSES['503']]: errorResponse(
        'Keycloak cannot be reached to verify the token; retry after `Retry-After` seconds.',
        new KeySetUnavailableError(),
        { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } },
      ),
    },
  };
}

/** `responses` entries of a protected operation. */
export function authResponseRefs(): Record<string, ReferenceObject> {
  return Object.fromEntries(
    Object.entries(RESPONSES).map(([status, name]) => [status, { $ref: `#/components/responses/${name}` }]),
  );
}

function errorResponse(description: string, error: AuthError, headers?: Record<string, HeaderObject>): ResponseObject {
  const example: AuthErrorBody = { statusCode: error.status, error: error.code ?? '', error_description: error.description };
  return {
    description,
    // The 503 is not a bearer challenge (RFC 6750 §3 covers 400/401/403 only).
    headers: headers ?? { 'WWW-Authenticate': challengeHeader },
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA}` }, example } },
  };
}
