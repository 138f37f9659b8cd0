import type { INestApplication } from '@nestjs/common';

/** Swagger UI at /docs (filled in by the docs work). */
export function setupSwagger(_app: INestApplication): void {}
