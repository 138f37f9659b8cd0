import type { NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';

/** Small bodies only: this API takes JSON and form posts of a few fields. */
export const BODY_LIMIT = '100kb';

/**
 * JSON and form parsers followed by a handler for their errors. Nest's own
 * parser setup answers a bad body with the parser's message ("Unexpected token
 * … at position 1"); here a malformed body gets a fixed, standard answer.
 * The app is created with `bodyParser: false` so these are the only parsers.
 */
export function bodyParsers(): Array<RequestHandler | typeof malformedBodyHandler> {
  return [express.json({ limit: BODY_LIMIT }), express.urlencoded({ extended: false, limit: BODY_LIMIT }), malformedBodyHandler];
}

interface ParserError {
  type?: unknown;
  status?: unknown;
}

const DESCRIPTIONS: Record<number, string> = {
  413: 'The request body is too large',
  415: 'The request body encoding is not supported',
};

export function malformedBodyHandler(error: unknown, _request: Request, response: Response, next: NextFunction): void {
  const { type, status } = (error ?? {}) as ParserError;
  const fromParser = typeof type === 'string' && /^(entity|encoding|charset|request)\./.test(type);
  if (!fromParser || typeof status !== 'number' || status < 400 || status > 499) {
    next(error);
    return;
  }
  response.status(status).json({
    statusCode: status,
    error: 'invalid_request',
    error_description: DESCRIPTIONS[status] ?? 'The request body is malformed',
  });
}
