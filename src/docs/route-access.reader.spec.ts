import { All, Controller, Get, Module, Post, type INestApplication } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { Public, Roles, RouteAccessPolicy } from '../auth';
import { RouteAccessReader } from './route-access.reader';

@Public()
@Controller('open')
class OpenController {
  @Get()
  list() {}

  // Re-protected inside a public controller.
  @Public(false)
  @Post()
  create() {}
}

@Roles('admin')
@Controller('admin')
class AdminController {
  @Get()
  overview() {}

  // The handler's requirement overrides the class's.
  @Roles({ client: ['reports:read'] })
  @Get('reports')
  reports() {}

  @All('any')
  anything() {}
}

@Controller('plain')
class PlainController {
  @Get()
  get() {}
}

// Two controllers with one class name: Swagger cannot tell them apart, so neither can the reader.
const Twin = (path: string, isPublic: boolean) => {
  @Public(isPublic)
  @Controller(path)
  class TwinController {
    @Get()
    get() {}
  }
  return TwinController;
};

@Module({ controllers: [OpenController, AdminController, PlainController, Twin('twin-a', true), Twin('twin-b', false)] })
class DocsFixtureModule {}

describe('RouteAccessReader', () => {
  let app: INestApplication;
  let reader: RouteAccessReader;
  let document: OpenAPIObject;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [DocsFixtureModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    reader = new RouteAccessReader(app.get(ModulesContainer), new RouteAccessPolicy(app.get(Reflector), { defaultAccess: 'protected' } as never));
    document = SwaggerModule.createDocument(app, new DocumentBuilder().build(), {
      operationIdFactory: reader.operationIdFactory,
    });
  });

  afterAll(() => app.close());

  const accessAt = (path: string, method: 'get' | 'post' | 'put') =>
    reader.accessOf(document.paths[path][method]?.operationId);

  it("keeps Swagger's default operation ids", () => {
    expect(document.paths['/open'].get?.operationId).toBe('OpenController_list');
  });

  it('reads @Public() from the class and lets the handler override it', () => {
    expect(accessAt('/open', 'get')).toEqual({ kind: 'public' });
    expect(accessAt('/open', 'post')).toEqual({ kind: 'protected', roles: undefined });
  });

  it('treats an undecorated route as protected, as the global guard does', () => {
    expect(accessAt('/plain', 'get')).toEqual({ kind: 'protected', roles: undefined });
  });

  it('reads @Roles() handler first, then class', () => {
    expect(accessAt('/admin', 'get')).toEqual({
      kind: 'protected',
      roles: { realm: ['admin'], client: {}, mode: 'any' },
    });
    expect(accessAt('/admin/reports', 'get')).toEqual({
      kind: 'protected',
      roles: { realm: [], client: { '': ['reports:read'] }, mode: 'any' },
    });
  });

  it('finds @All() routes, whose ids carry the HTTP method', () => {
    expect(document.paths['/admin/any'].put?.operationId).toBe('AdminController_anything_put');
    expect(accessAt('/admin/any', 'put')).toMatchObject({ kind: 'protected', roles: { realm: ['admin'] } });
  });

  it('documents an ambiguous or unknown operation as protected rather than guessing', () => {
    expect(accessAt('/twin-a', 'get')).toEqual({ kind: 'protected' });
    expect(reader.accessOf('NoSuchController_get')).toEqual({ kind: 'protected' });
    expect(reader.accessOf(undefined)).toEqual({ kind: 'protected' });
  });
});
