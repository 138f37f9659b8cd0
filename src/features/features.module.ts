import { Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { ManagerModule } from './manager/manager.module';
import { ProfileModule } from './profile/profile.module';
import { ProtectedModule } from './protected/protected.module';
import { PublicModule } from './public/public.module';
import { ReportsModule } from './reports/reports.module';

/** Example modules showing intended use; they import only from `auth/index.ts`. */
@Module({
  imports: [PublicModule, ProtectedModule, ProfileModule, ManagerModule, AdminModule, ReportsModule],
})
export class FeaturesModule {}
