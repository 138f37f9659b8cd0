import { Controller, Get } from '@nestjs/common';
import { CurrentUser, Roles } from '../../auth';

@Controller('api/manager')
export class ManagerController {
  @Roles('manager', 'admin')
  @Get()
  dashboard(@CurrentUser('username') username: string) {
    return { message: 'Manager area.', username };
  }
}
