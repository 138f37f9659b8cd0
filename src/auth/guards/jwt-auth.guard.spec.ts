import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { AuthModule } from '../auth.module';
import { AuthError } from '../token';
import { accessClaims, jwkOf, rsaKey, signJwt } from '../token/testing/tokens';
import { JwtAuthGuard } from './jwt-auth.guard';

/**
 * Non-HTTP transports: Passport finds no HTTP request there, and peers let such
 * calls through. The guard must read the handshake or message metadata and
 * refuse when nothing valid is there.
 */
class Gateway {
  handle() {
    return 'handled';
  }
}

const key = rsaKey('ws-key');

describe('JwtAuthGuard on WebSocket and RPC handlers', () => {
  let server: Server;
  let issuer: string;
  let guard: JwtAuthGuard;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.endsWith('/.well-known/openid-configuration')) {
        res.end(
          JSON.stringify({
            issuer,
            jwks_uri: `${issuer}/certs`,
            authorization_endpoint: `${issuer}/auth`,
            token_endpoint: `${issuer}/token`,
          }),
        );
      } else {
        res.end(JSON.stringify({ keys: [jwkOf(key)] }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/ws`;
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot({ issuer, audience: 'nest-api' })],
    }).compile();
    await moduleRef.init();
    guard = moduleRef.get(JwtAuthGuard);
  });
  afterAll(() => server.close());

  const token = () => signJwt(accessClaims(Date.now(), { iss: issuer }), key);

  function wsContext(client: Record<string, unknown>): ExecutionContextHost {
    const context = new ExecutionContextHost([client, { some: 'message' }], Gateway, Gateway.prototype.handle);
    context.setType('ws');
    return context;
  }

  function rpcContext(data: unknown, rpcContext: unknown): ExecutionContextHost {
    const context = new ExecutionContextHost([data, rpcContext], Gateway, Gateway.prototype.handle);
    context.setType('rpc');
    return context;
  }

  it('refuses a WebSocket call without credentials', async () => {
    await expect(guard.canActivate(wsContext({ handshake: { headers: {} } }))).rejects.toBeInstanceOf(AuthError);
  });

  it('refuses a WebSocket call with an invalid token', async () => {
    const client = { handshake: { headers: { authorization: 'Bearer not.a.token' } } };
    await expect(guard.canActivate(wsContext(client))).rejects.toMatchObject({ status: 401, code: 'invalid_token' });
  });

  it('accepts a valid handshake token and attaches the principal to the socket', async () => {
    const client: Record<string, unknown> = { handshake: { headers: { authorization: `Bearer ${token()}` } } };
    await expect(guard.canActivate(wsContext(client))).resolves.toBe(true);
    expect((client.user as { username: string }).username).toBe('bob');
  });

  it('accepts a Socket.IO auth token', async () => {
    const client: Record<string, unknown> = { handshake: { headers: {}, auth: { token: token() } } };
    await expect(guard.canActivate(wsContext(client))).resolves.toBe(true);
  });

  it('refuses an RPC message without credentials', async () => {
    await expect(guard.canActivate(rpcContext({ value: 1 }, {}))).rejects.toMatchObject({ status: 401 });
  });

  it('accepts an RPC message whose metadata carries a valid token', async () => {
    const headers = new Map([['authorization', `Bearer ${token()}`]]);
    const holder = { getHeaders: () => headers };
    await expect(guard.canActivate(rpcContext({ value: 1 }, holder))).resolves.toBe(true);
    expect((holder as { user?: { subject: string } }).user?.subject).toBeTruthy();
  });

  it('refuses a transport it does not know', async () => {
    const context = new ExecutionContextHost([{}], Gateway, Gateway.prototype.handle);
    context.setType('graphql-subscription' as 'http');
    await expect(guard.canActivate(context)).rejects.toMatchObject({ status: 401 });
  });
});
