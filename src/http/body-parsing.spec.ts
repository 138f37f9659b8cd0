import { Controller, Post, Body, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { bodyParsers } from './body-parsing';

@Controller('echo')
class EchoController {
  @Post()
  echo(@Body() body: unknown) {
    return { body };
  }
}

describe('bodyParsers', () => {
  let app: INestApplication;
  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [EchoController] }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
    app.use(...bodyParsers());
    await app.init();
  });
  afterAll(() => app.close());

  it('parses JSON and form bodies', async () => {
    await request(app.getHttpServer()).post('/echo').send({ a: 1 }).expect(201, { body: { a: 1 } });
    await request(app.getHttpServer()).post('/echo').type('form').send('a=1').expect(201, { body: { a: '1' } });
  });

  it('answers malformed JSON with a fixed message, not the parser error', async () => {
    const res = await request(app.getHttpServer()).post('/echo').set('Content-Type', 'application/json').send('{bad').expect(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'invalid_request', error_description: 'The request body is malformed' });
    expect(JSON.stringify(res.body)).not.toMatch(/position|token|JSON/);
  });

  it('answers an oversized body with 413', async () => {
    const res = await request(app.getHttpServer())
      .post('/echo')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ a: 'x'.repeat(200 * 1024) }))
      .expect(413);
    expect(res.body.error_description).toBe('The request body is too large');
  });
});
