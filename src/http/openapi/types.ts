/**
 * The parts of OpenAPI 3.1 this document uses, typed loosely: a JSON Schema is any object (OpenAPI
 * 3.1 takes JSON Schema 2020-12 as it is), and `x-` extensions are allowed where the spec allows them.
 */
export type JsonSchema = Record<string, unknown>;

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
export const HTTP_METHODS: readonly HttpMethod[] = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

/** Who may call an operation: `anonymous` marks a public one (no token); otherwise the agent roles. */
export type Caller = 'anonymous' | 'agent' | 'supervisor' | 'admin';

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema: JsonSchema;
  style?: string;
  explode?: boolean;
}

export interface MediaTypeObject {
  schema?: JsonSchema;
  example?: unknown;
}

export interface HeaderObject {
  description?: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaTypeObject>;
}

export interface RequestBodyObject {
  description?: string;
  required?: boolean;
  content: Record<string, MediaTypeObject>;
}

export interface OperationObject {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  security: Array<Record<string, string[]>>;
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject>;
  /** Who may call it: see `Caller`. */
  'x-roles': Caller[];
}

export type PathItemObject = Partial<Record<HttpMethod, OperationObject>>;
export type PathsObject = Record<string, PathItemObject>;

export interface OpenApiDocument {
  openapi: string;
  jsonSchemaDialect: string;
  info: { title: string; version: string; description: string; license?: { name: string; identifier?: string } };
  servers: Array<{ url: string; description?: string }>;
  tags: Array<{ name: string; description: string }>;
  security: Array<Record<string, string[]>>;
  paths: PathsObject;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, Record<string, unknown>>;
  };
}
