import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

interface MediaType {
  schema?: unknown;
}
interface Operation {
  responses: Record<string, { content?: Record<string, MediaType> }>;
  'x-roles': string[];
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

const BASE = 'https://satu-pintu.invalid/openapi.json';

/** The operation of a route written `METHOD /path` (OpenAPI form), or undefined. */
export function operationOf(document: OpenApiDocument, route: string): Operation | undefined {
  const [method, path] = route.split(' ');
  return document.paths[path!]?.[method!.toLowerCase()];
}

/**
 * Checks answers against an OpenAPI document: the status must be one the operation documents,
 * the content type one documented for it, and a JSON body must match the documented schema
 * (components resolved). Returns the problems found, none when the answer is as documented.
 */
export function responseChecker(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: BASE, components: document.components });
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (key: string, schema: unknown) => {
    let validate = compiled.get(key);
    if (!validate) {
      // The document's refs are local (#/components/...): point them at the document added above.
      validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${BASE}#/components/`)));
      compiled.set(key, validate);
    }
    return validate;
  };

  return function check(route: string, status: number, contentType: string | null, body: unknown): string[] {
    const operation = operationOf(document, route);
    if (!operation) return [`${route} is not in the document`];
    const response = operation.responses[String(status)];
    if (!response)
      return [
        `status ${status} is not documented for ${route} (documented: ${Object.keys(operation.responses).join(', ')})`,
      ];
    const documentedTypes = Object.keys(response.content ?? {});
    if (documentedTypes.length === 0)
      return body === undefined || body === '' ? [] : [`${route} ${status} documents no body, got one`];
    const mediaType = documentedTypes.find((type) => contentType?.startsWith(type));
    if (!mediaType)
      return [`${route} ${status}: content type ${contentType} is not documented (${documentedTypes.join(', ')})`];
    const schema = response.content![mediaType]!.schema;
    if (!schema || !mediaType.endsWith('json')) return [];
    const validate = validatorFor(`${route} ${status} ${mediaType}`, schema);
    if (validate(body)) return [];
    return (validate.errors ?? [])
      .slice(0, 5)
      .map((error) => `${route} ${status}: body${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`);
  };
}
