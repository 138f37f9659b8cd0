import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AuthOptionsError } from '../auth-options.resolver';

/**
 * The browser flows set cookies, read them back and redirect through Express's
 * request and response. Bearer protection works on any HTTP adapter; the
 * browser flows refuse to start on another one rather than fail on the first
 * login.
 */
@Injectable()
export class ExpressAdapterCheck implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    // No adapter: a testing module without an HTTP server; nothing to check.
    const type = this.adapterHost.httpAdapter?.getType();
    if (type !== undefined && type !== 'express') {
      throw new AuthOptionsError(
        `browserFlows need the Express adapter (@nestjs/platform-express), this application runs on ${type}; ` +
          'bearer-token protection works on both',
      );
    }
  }
}
