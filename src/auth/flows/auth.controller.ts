import { Body, Controller, Get, HttpCode, Post, Query, Redirect, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { Public } from '../decorators/public.decorator';
import { SessionAuthenticatorService } from '../session/session-authenticator.service';
import { SessionManager } from '../session/session-manager';
import { MissingCredentialsError } from '../token';
import { AUTH_THROTTLER, AuthRateLimitGuard } from './auth-rate-limit.guard';
import { LoginFlow, type CallbackQuery } from './login-flow.service';
import { LogoutFlow } from './logout-flow.service';
import { NoStoreInterceptor } from './no-store.interceptor';
import { OAuthFlowError } from './oauth-flow.error';
import { OidcClient } from './oidc-client.service';
import { sessionView, tokenResponse, wantsHtml, type SessionView } from './auth-responses';

/**
 * Browser and token flows under /auth. Every route is public to the global
 * guard: each one checks exactly what it needs itself (a login binding, a
 * session plus CSRF token, a refresh token, a signed logout token).
 */
@Public()
@Controller('auth')
@UseGuards(AuthRateLimitGuard)
@UseInterceptors(NoStoreInterceptor)
export class AuthController {
  constructor(
    private readonly login: LoginFlow,
    private readonly logout: LogoutFlow,
    private readonly sessions: SessionAuthenticatorService,
    private readonly manager: SessionManager,
    private readonly oidc: OidcClient,
  ) {}

  @Get('login')
  @Redirect()
  async startLogin(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Query('returnTo') returnTo: unknown) {
    return { url: await this.login.begin(request, response, returnTo), statusCode: 302 };
  }

  @Get('callback')
  @Redirect()
  async callback(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Query() query: CallbackQuery) {
    // 303: the landing page is fetched with GET whatever brought the browser here.
    return { url: await this.login.complete(request, response, query), statusCode: 303 };
  }

  /** The session's user and CSRF token; never a token. */
  @Get('me')
  async me(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SessionView> {
    const session = await this.sessions.resolve(request, response, { csrf: false });
    if (!session) throw new MissingCredentialsError();
    return sessionView(session);
  }

  @Get('csrf')
  async csrf(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<{ csrfToken: string }> {
    const session = await this.sessions.resolve(request, response, { csrf: false });
    if (!session) throw new MissingCredentialsError();
    return { csrfToken: session.record.csrfToken };
  }

  /** Bearer clients: `refresh_token` in the body → new tokens. Browsers: refreshes the session. */
  @Post('refresh')
  @HttpCode(200)
  async refresh(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Body() body: unknown) {
    const refreshToken = bodyField(body, 'refresh_token');
    if (refreshToken !== undefined) return tokenResponse(await this.oidc.refreshGrant(refreshToken));
    const session = await this.sessions.resolve(request, response, { csrf: true });
    if (!session) throw new OAuthFlowError('invalid_request', 400, 'Send a refresh_token or a session cookie');
    return sessionView(await this.sessions.refreshNow(session, response));
  }

  @Post('logout')
  async signOut(@Req() request: Request, @Res() response: Response, @Body() body: unknown): Promise<void> {
    if (this.manager.cookies.sessionId(request) !== undefined) {
      // The CSRF check needs the live session; a forged logout must not end it.
      const session = await this.sessions.load(request, response, { csrf: true });
      const record = session && (await this.manager.end(session.key, response));
      const logoutUrl = record ? await this.logout.endedSession(record) : undefined;
      if (logoutUrl && wantsHtml(request)) return response.redirect(303, logoutUrl);
      response.status(200).json({ logoutUrl: logoutUrl ?? null });
      return;
    }
    const refreshToken = bodyField(body, 'refresh_token');
    if (refreshToken === undefined) throw new OAuthFlowError('invalid_request', 400, 'Send a refresh_token or a session cookie');
    await this.logout.revokeForClient(refreshToken);
    response.status(204).end();
  }

  /**
   * Called by Keycloak, not by browsers: no cookie, no CSRF token. Exempt from
   * the rate limit because Keycloak sends every logout from one address and a
   * dropped logout is worse than a refused forgery, which fails at the issuer
   * check before any key lookup.
   */
  @Post('backchannel-logout')
  @HttpCode(200)
  @SkipThrottle({ [AUTH_THROTTLER]: true })
  async backChannelLogout(@Body() body: unknown): Promise<void> {
    await this.logout.backChannel(bodyField(body, 'logout_token'));
  }
}

function bodyField(body: unknown, name: string): string | undefined {
  const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}
