import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentUser, Roles } from '../../auth';

/** Guarded by client roles of the API's own Keycloak client, not realm roles. */
@Controller('api/reports')
export class ReportsController {
  @Roles({ client: ['reports:read'] })
  @Get()
  list() {
    return { reports: [{ id: 'q3', title: 'Quarterly figures' }] };
  }

  @Roles({ client: ['reports:write'] })
  @Post()
  @HttpCode(201)
  create(@Body() body: { title?: unknown }, @CurrentUser('username') author: string) {
    const title = typeof body?.title === 'string' ? body.title.slice(0, 200) : 'Untitled';
    return { id: 'draft', title, author };
  }
}
