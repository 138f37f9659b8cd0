import type { AuthError } from '../token';

/** The JSON body every authentication or authorization failure answers with. */
export interface AuthErrorBody {
  statusCode: number;
  error: string;
  error_description: string;
}

/**
 * Builds the RFC 6750 §3 challenge. A request without credentials gets no
 * error code (§3.1); quotes and backslashes never reach the header unescaped.
 */
export function bearerChallenge(realm: string, error: AuthError): string {
  const params = [`realm="${quote(realm)}"`];
  if (error.code) {
    params.push(`error="${error.code}"`, `error_description="${quote(error.description)}"`);
  }
  return `Bearer ${params.join(', ')}`;
}

export function errorBody(error: AuthError): AuthErrorBody {
  return {
    statusCode: error.status,
    error: error.code ?? 'unauthorized',
    error_description: error.description,
  };
}

function quote(value: string): string {
  return value.replace(/[\\"]/g, '\\$&').replace(/[\r\n]/g, ' ');
}
