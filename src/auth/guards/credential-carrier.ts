import type { ExecutionContext } from '@nestjs/common';
import type { AuthPrincipal } from '../token';

/** A synthetic request for the bearer strategy, built from a non-HTTP call. */
export interface CredentialCarrier {
  kind: 'ws' | 'rpc';
  request: { headers: { authorization?: string }; user?: unknown };
  attach(principal: AuthPrincipal): void;
}

/**
 * Where a call carries its credentials, per transport. Peers let WebSocket and
 * microservice calls through because Passport finds no HTTP request there; we
 * read the handshake or message metadata instead, and refuse when there is none.
 */
export function credentialCarrier(context: ExecutionContext): CredentialCarrier | undefined {
  switch (context.getType<string>()) {
    case 'ws': {
      const client = context.switchToWs().getClient<WsClientLike>();
      const request = { headers: { authorization: wsAuthorization(client) } };
      return { kind: 'ws', request, attach: (principal) => void (client.user = principal) };
    }
    case 'rpc': {
      const rpc = context.switchToRpc();
      const holder = rpc.getContext<RpcContextLike>() ?? {};
      const request = { headers: { authorization: rpcAuthorization(holder, rpc.getData<unknown>()) } };
      return {
        kind: 'rpc',
        request,
        attach: (principal) => {
          if (typeof holder === 'object') (holder as { user?: AuthPrincipal }).user = principal;
        },
      };
    }
    default:
      return undefined;
  }
}

interface WsClientLike {
  user?: AuthPrincipal;
  handshake?: { headers?: Record<string, unknown>; auth?: Record<string, unknown> };
  upgradeReq?: { headers?: Record<string, unknown> };
  request?: { headers?: Record<string, unknown> };
}

interface RpcContextLike {
  getHeaders?: () => unknown;
  get?: (key: string) => unknown;
  getMessage?: () => { headers?: Record<string, unknown> } | undefined;
}

function wsAuthorization(client: WsClientLike): string | undefined {
  const header =
    client.handshake?.headers?.authorization ?? client.upgradeReq?.headers?.authorization ?? client.request?.headers?.authorization;
  if (typeof header === 'string') return header;
  // Socket.IO browsers cannot set headers; they pass `auth: { token }`.
  const token = client.handshake?.auth?.token;
  return typeof token === 'string' ? `Bearer ${token}` : undefined;
}

function rpcAuthorization(context: RpcContextLike, data: unknown): string | undefined {
  const candidates: unknown[] = [];
  if (typeof context.getHeaders === 'function') {
    const headers = context.getHeaders() as { get?: (k: string) => unknown } & Record<string, unknown>;
    candidates.push(typeof headers?.get === 'function' ? headers.get('authorization') : headers?.authorization);
  }
  if (typeof context.get === 'function') {
    const value = context.get('authorization'); // gRPC Metadata returns an array
    candidates.push(Array.isArray(value) ? value[0] : value);
  }
  if (typeof context.getMessage === 'function') candidates.push(context.getMessage()?.headers?.authorization);
  if (data && typeof data === 'object') candidates.push((data as { authorization?: unknown }).authorization);
  const found = candidates.find((value): value is string => typeof value === 'string');
  return found;
}
