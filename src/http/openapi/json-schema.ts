import { z } from 'zod';
import type { JsonSchema, ParameterObject } from './types.js';

/**
 * A zod schema as JSON Schema 2020-12 (the dialect of OpenAPI 3.1). Requests are described as the
 * client sends them (`io: 'input'`: before coercion, defaults and transforms); responses as the
 * server writes them (`io: 'output'`). Refinements cannot be expressed and are left out, so a
 * body the schema allows may still get a 400 naming the refinement.
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

interface ObjectSchema extends JsonSchema {
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

/** The path parameters of a route from the zod object that parses `request.params`. */
export function pathParameters(schema: z.ZodType, descriptions: Record<string, string> = {}): ParameterObject[] {
  const object = toJsonSchema(schema) as ObjectSchema;
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'path',
    required: true,
    ...(descriptions[name] ? { description: descriptions[name] } : {}),
    schema: property,
  }));
}

/**
 * The query parameters of a route from the zod object that parses `request.query`. A list filter
 * (`?status=new,open` or `?status=new&status=open`) is a string or an array on input; the values
 * it accepts, which only the parsed side knows, are named in its description.
 */
export function queryParameters(schema: z.ZodType, descriptions: Record<string, string> = {}): ParameterObject[] {
  const input = toJsonSchema(schema, 'input') as ObjectSchema;
  const output = toJsonSchema(schema, 'output') as ObjectSchema;
  const required = new Set(input.required ?? []);
  return Object.entries(input.properties ?? {}).map(([name, property]) => {
    const words = [descriptions[name]];
    const parsed = output.properties?.[name] as { type?: string; items?: { enum?: unknown[] } } | undefined;
    const isList = Array.isArray((property as { anyOf?: unknown[] }).anyOf) && parsed?.type === 'array';
    if (isList) {
      words.push('Several values: comma-separated (`a,b`) or the parameter repeated.');
      if (parsed?.items?.enum)
        words.push(`Values: ${parsed.items.enum.map((value) => `\`${String(value)}\``).join(', ')}.`);
    }
    const description = words.filter(Boolean).join(' ');
    return {
      name,
      in: 'query',
      required: required.has(name),
      ...(description ? { description } : {}),
      schema: property,
      ...(isList ? { style: 'form', explode: true } : {}),
    };
  });
}
