import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import express, { Router } from 'express';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { PUBLIC_URL, startTestServer, type TestServer } from '../support/test-server.js';
import { appOf, compareRoutes, documentedRoutes, listRoutes, routeKey } from '../support/route-listing.js';

interface Operation {
  operationId: string;
  tags: string[];
  description: string;
  security: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; schema: unknown }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  'x-roles': string[];
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  servers: Array<{ url: string }>;
  tags: Array<{ name: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object>; securitySchemes: Record<string, { type: string; scheme: string }> };
}

const operations = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
  );

describe('The OpenAPI document (GET /api/openapi.json)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let document: Document;

  before(async () => {
    server = await startTestServer();
    const response = await fetch(`${server.baseUrl}/api/openapi.json`); // no token: public
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^application\/json/);
    document = (await response.json()) as Document;
  });
  after(async () => server?.stop());

  it('is a valid OpenAPI 3.1 document (checked by @seriousme/openapi-schema-validator), for this server and version', async () => {
    const validator = new Validator();
    const result = await validator.validate(document as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(validator.version).to.equal('3.1');
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(document.info).to.include({ title: 'Satu Pintu', version });
    expect(document.servers.map((entry) => entry.url)).to.deep.equal([PUBLIC_URL]);
    expect(document.components.securitySchemes.bearer).to.include({ type: 'http', scheme: 'bearer' });
  });

  it('describes exactly the routes the server has: none undocumented, none missing', () => {
    const actual = listRoutes(appOf(server.runtime.server!)).map(routeKey);
    // The listing itself must see the whole app, nested routers and top-level routes alike.
    expect(actual).to.include.members([
      'GET /healthz',
      'POST /webhooks/twilio/messaging',
      'POST /api/v1/tickets/{id}/claim',
      'PUT /api/v1/agents/me/presence',
      'GET /api/openapi.json',
    ]);
    const { undocumented, missing } = compareRoutes(documentedRoutes(document), actual);
    expect(
      undocumented,
      `routes the server has that the OpenAPI document lacks (describe them in src/http/openapi/): ${undocumented.join(', ')}`,
    ).to.deep.equal([]);
    expect(missing, `routes the OpenAPI document describes that the server lacks: ${missing.join(', ')}`).to.deep.equal(
      [],
    );
  });

  it('lists routes of nested routers at their mount paths, and the comparison fails both ways', () => {
    const app = express();
    app.use(express.json());
    app.get('/top', (_request, response) => void response.end());
    const inner = Router();
    inner.get('/', (_request, response) => void response.end());
    inner.post('/:id/things', (_request, response) => void response.end());
    const outer = Router();
    outer.use('/inner', (_request, _response, next) => next(), inner);
    app.use('/api/outer', outer);
    app.use((_request, response) => void response.status(404).end());
    const listed = listRoutes(app).map(routeKey);
    expect(listed).to.deep.equal(['GET /api/outer/inner', 'POST /api/outer/inner/{id}/things', 'GET /top']); // by path, then method
    expect(compareRoutes(['GET /top', 'GET /api/outer/inner', 'DELETE /gone'], listed)).to.deep.equal({
      undocumented: ['POST /api/outer/inner/{id}/things'],
      missing: ['DELETE /gone'],
    });
  });

  it('says for every operation who may call it (x-roles and words) and gives its security accordingly', () => {
    const tags = new Set(document.tags.map((tag) => tag.name));
    const ids = new Set<string>();
    for (const { route, operation } of operations(document)) {
      expect(operation['x-roles'], route).to.be.an('array').that.is.not.empty;
      expect(
        operation.tags.every((tag) => tags.has(tag)),
        `${route}: tags ${operation.tags.join(', ')}`,
      ).to.equal(true);
      expect(ids.has(operation.operationId), `${route}: operationId ${operation.operationId} twice`).to.equal(false);
      ids.add(operation.operationId);
      if (operation['x-roles'].includes('anonymous')) {
        expect(operation['x-roles'], route).to.deep.equal(['anonymous']);
        expect(operation.security, route).to.deep.equal([]);
        expect(operation.description, route).to.include('Public');
      } else {
        expect(
          operation['x-roles'].every((role) => ['agent', 'supervisor', 'admin'].includes(role)),
          route,
        ).to.equal(true);
        expect(operation.security, route).to.deep.equal([{ bearer: [] }]);
        expect(operation.description, route).to.include('Who may call it');
        expect(operation.responses, route).to.have.property('401');
        if (operation['x-roles'].length < 3)
          expect(
            operation.responses,
            `${route} is limited to ${operation['x-roles'].join(', ')}: 403`,
          ).to.have.property('403');
      }
    }
  });

  it('gives every operation a success answer and its error answers, all with the shared error schema', () => {
    for (const { route, operation } of operations(document)) {
      const statuses = Object.keys(operation.responses).map(Number);
      expect(
        statuses.some((status) => status >= 200 && status < 300),
        `${route}: a success status`,
      ).to.equal(true);
      expect(statuses, `${route}: 500`).to.include(500);
      if (operation.requestBody) expect(statuses, `${route} reads a body`).to.include.members([400, 413, 415]);
      if (operation.parameters?.some((parameter) => parameter.in === 'path'))
        expect(statuses, `${route} takes an id`).to.include.members([400, 404]);
      for (const status of statuses.filter((status) => status >= 400)) {
        if (route === 'GET /readyz' && status === 503) continue; // the readiness body says which check failed
        expect(operation.responses[status]!.content?.['application/json']?.schema, `${route} ${status}`).to.deep.equal({
          $ref: '#/components/schemas/Error',
        });
      }
    }
  });

  it("takes request bodies and query parameters from the routers' own zod schemas", () => {
    const transfer = document.paths['/api/v1/tickets/{id}/transfer']!.post!;
    expect(transfer.requestBody!.content['application/json']!.schema).to.deep.include({
      type: 'object',
      required: ['team_id', 'note'],
      additionalProperties: false,
    });
    const list = document.paths['/api/v1/tickets']!.get!;
    expect(list.parameters!.map((parameter) => parameter.name)).to.have.members([
      'status',
      'channel',
      'category',
      'priority',
      'team',
      'q',
      'contact',
      'overdue',
      'limit',
      'cursor',
      'offset',
    ]);
    expect(list.parameters!.every((parameter) => parameter.in === 'query')).to.equal(true);
    const agent = document.paths['/api/v1/agents']!.post!;
    expect(agent.requestBody!.content['application/json']!.schema).to.deep.include({
      required: ['email', 'name', 'role', 'password'],
    });
    const webhook = document.paths['/webhooks/twilio/messaging']!.post!;
    expect(webhook.parameters!.map((parameter) => parameter.name)).to.deep.equal(['X-Twilio-Signature']);
    expect(Object.keys(webhook.requestBody!.content)).to.deep.equal(['application/x-www-form-urlencoded']);
    expect(Object.keys(document.paths['/api/v1/events/stream']!.get!.responses['200']!.content!)).to.deep.equal([
      'text/event-stream',
    ]);
  });

  it('has schemas that are valid JSON Schema 2020-12, and every $ref resolves', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      expect(() => ajv.compile({ ...schema, $id: `component-${name}` }), name).to.not.throw();
    }
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).to.be.greaterThan(20);
    for (const reference of new Set(refs)) {
      const pointer = reference.slice('"$ref":"'.length, -1);
      expect(pointer, reference).to.match(/^#\/components\/schemas\/\w+$/);
      expect(document.components.schemas, reference).to.have.property(pointer.split('/').at(-1)!);
    }
  });
});
