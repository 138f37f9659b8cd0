'use strict';
// The HTTP adapter of a bench app, from HTTP_ADAPTER: `express` (Nest's
// default) or `fastify`, so the same app can be measured on both.

function createAdapter() {
  const name = process.env.HTTP_ADAPTER || 'express';
  if (name === 'express') return new (require('@nestjs/platform-express').ExpressAdapter)();
  if (name === 'fastify') return new (require('@nestjs/platform-fastify').FastifyAdapter)();
  throw new Error(`HTTP_ADAPTER must be express or fastify (got "${name}")`);
}

module.exports = { createAdapter };
