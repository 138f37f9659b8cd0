import { Controller, Get } from '@nestjs/common';
import { CurrentUser, Public, Roles, type AuthPrincipal } from '../../src/auth';

/** Routes of the consumer service: protected unless `@Public()`, as AuthModule sets it up. */
@Controller()
export class ConsumerController {
  @Public()
  @Get('hello')
  hello(): { message: string } {
    return { message: 'hello' };
  }

  @Get('me')
  me(@CurrentUser() user: AuthPrincipal): { subject: string; username?: string; realmRoles: readonly string[] } {
    return { subject: user.subject, username: user.username, realmRoles: user.realmRoles };
  }

  // A client role of the rolesClientId (here: the audience, `nest-api`).
  @Roles({ client: ['reports:read'] })
  @Get('reports')
  reports(@CurrentUser('username') username: string): { reports: string[]; readBy: string } {
    return { reports: ['q1', 'q2'], readBy: username };
  }
}
