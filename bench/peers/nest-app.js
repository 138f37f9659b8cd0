'use strict';
// What the plain-JavaScript bench apps on the main node_modules (Nest 11)
// share: the HTTP adapter from HTTP_ADAPTER, `express` (Nest's default) or
// `fastify`, so the same app can be measured on both; and start-up on
// PORT/HOST. (nest-keycloak-connect's app runs on its own, older Nest.)

const { NestFactory } = require('@nestjs/core');

function createAdapter() {
  const name = process.env.HTTP_ADAPTER || 'express';
  if (name === 'express') return new (require('@nestjs/platform-express').ExpressAdapter)();
  if (name === 'fastify') return new (require('@nestjs/platform-fastify').FastifyAdapter)();
  throw new Error(`HTTP_ADAPTER must be express or fastify (got "${name}")`);
}

/** Starts `AppModule` on PORT/HOST; a failure to start ends the process with one line naming `name`. */
function serve(AppModule, name) {
  const start = async () => {
    const app = await NestFactory.create(AppModule, createAdapter(), { logger: ['error', 'warn'] });
    app.enableShutdownHooks();
    await app.listen(Number(process.env.PORT), process.env.HOST);
  };
  start().catch((error) => {
    process.stderr.write(`${name} failed to start: ${error.message}\n`);
    process.exit(1);
  });
}

module.exports = { createAdapter, serve };
