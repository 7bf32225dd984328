import fc from 'fast-check';

/**
 * fast-check arbitraries for the security fuzzing (api-fuzz.test.ts, webhook-fuzz.test.ts): the
 * input an attacker or a broken client sends. Each is near a valid value often enough to get past
 * the first check and reach the code behind it, and far from it the rest of the time.
 */

type Schema = Record<string, unknown>;

/** Text that breaks careless code: NUL, lone surrogates, right-to-left marks, emoji, SQL and HTML. */
export const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfffy',
    '\u202eevil',
    '\ufeff',
    '💥'.repeat(50),
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '%00',
    '%',
    '{{citizen_name}}',
    // A template placeholder, as text: a server that evaluated it would show.
    ['$', '{process.exit()}'].join(''),
    'null',
    'NaN',
    '-0',
    '1e400',
  ),
);

/** Numbers outside every range: huge, negative, fractions, exponents, and strings of them. */
export const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0,
    -1,
    1.5,
    2 ** 31,
    2 ** 31 - 1,
    2 ** 53,
    Number.MAX_SAFE_INTEGER + 2,
    1e20,
    1e308,
    -1e308,
    Number.MIN_VALUE,
  ),
);

/** A text form of a number as a query or path carries it, valid or not. */
export const numericText = fc.oneof(
  fc.integer({ min: 1, max: 5 }).map(String),
  fc.constantFrom(
    '0',
    '-1',
    '1.5',
    '2147483647',
    '2147483648',
    '9007199254740993',
    '99999999999999999999',
    '1e20',
    '1e308',
    'Infinity',
    'NaN',
    '0x10',
    ' 7 ',
    '٣',
    '',
  ),
  nastyNumber.map(String),
);

const LEAF = fc.oneof(nastyString, nastyNumber, fc.boolean(), fc.constant(null));

/** Any JSON value, nested a little: the wrong type for whatever was expected. */
export const anyJson = fc.oneof(
  { depthSize: 'small' },
  LEAF,
  fc.array(LEAF, { maxLength: 5 }),
  fc.dictionary(nastyString, LEAF, { maxKeys: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Resolves `#/components/schemas/X` against the document's components. */
function resolve(schema: Schema, components: Record<string, Schema>): Schema {
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/'))
    return resolve(components[ref.slice('#/components/schemas/'.length)] ?? {}, components);
  return schema;
}

/**
 * A request value for a JSON schema of the document: often valid (so the request reaches the code
 * behind validation), often valid but for one field set to something hostile (NUL or half a
 * surrogate pair in plausible text, a number out of range, the wrong type), sometimes anything.
 */
export function fromSchema(raw: Schema, components: Record<string, Schema>): fc.Arbitrary<unknown> {
  const schema = resolve(raw, components);
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const keys = Object.keys(properties);
  const mutated =
    keys.length > 0
      ? fc
          .tuple(validValue(schema, components, 0), fc.constantFrom(...keys))
          .chain(([value, key]) =>
            hostileValue(properties[key]!, components, 1).map((bad) => ({ ...(value as object), [key]: bad })),
          )
      : hostileValue(schema, components, 0);
  return fc.oneof(
    { weight: 3, arbitrary: validValue(schema, components, 0) },
    { weight: 5, arbitrary: mutated },
    { weight: 1, arbitrary: anyJson },
  );
}

/** A value the schema allows (as far as a JSON schema says: refinements are not in it). */
function validValue(raw: Schema, components: Record<string, Schema>, depth: number): fc.Arbitrary<unknown> {
  const schema = resolve(raw, components);
  if (depth > 5) return fc.constant(null);
  const variants = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (variants?.length) return fc.oneof(...variants.map((variant) => validValue(variant, components, depth + 1)));
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  const types = [schema.type].flat();
  const nullable = types.includes('null');
  const type = types.find((candidate) => candidate !== 'null');
  const value = ((): fc.Arbitrary<unknown> => {
    switch (type) {
      case 'string': {
        const min = typeof schema.minLength === 'number' ? schema.minLength : 1;
        const max = Math.max(min, Math.min(typeof schema.maxLength === 'number' ? schema.maxLength : 30, 30));
        if (typeof schema.pattern === 'string')
          return fc.stringMatching(new RegExp(schema.pattern), { maxLength: max });
        if (schema.format === 'email') return fc.emailAddress();
        if (schema.format === 'date-time') return fc.constantFrom('2027-06-10T10:00:00+08:00', '2026-12-01T00:00:00Z');
        return fc.string({ unit: 'grapheme-ascii', minLength: Math.max(1, min), maxLength: max });
      }
      case 'integer':
      case 'number': {
        const min =
          typeof schema.minimum === 'number'
            ? schema.minimum
            : typeof schema.exclusiveMinimum === 'number'
              ? schema.exclusiveMinimum + 1
              : 0;
        const max = typeof schema.maximum === 'number' ? schema.maximum : 1000;
        return fc.integer({ min: Math.ceil(Math.max(min, -1e6)), max: Math.floor(Math.min(max, 1e6)) });
      }
      case 'boolean':
        return fc.boolean();
      case 'array': {
        if (Array.isArray(schema.prefixItems))
          return fc.tuple(...(schema.prefixItems as Schema[]).map((item) => validValue(item, components, depth + 1)));
        const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
        const maxLength = Math.max(minLength, Math.min(typeof schema.maxItems === 'number' ? schema.maxItems : 3, 3));
        return fc.array(schema.items ? validValue(schema.items as Schema, components, depth + 1) : fc.integer(), {
          minLength,
          maxLength,
        });
      }
      case 'object': {
        const properties = (schema.properties ?? {}) as Record<string, Schema>;
        const required = ((schema.required ?? []) as string[]).filter((key) => key in properties);
        return fc.record(
          Object.fromEntries(
            Object.entries(properties).map(([key, property]) => [key, validValue(property, components, depth + 1)]),
          ),
          { requiredKeys: required },
        );
      }
      default:
        return anyJson;
    }
  })();
  return nullable ? fc.oneof(value, fc.constant(null)) : value;
}

/** A value the schema does not allow, or allows only by the letter (text no column can store). */
function hostileValue(raw: Schema, components: Record<string, Schema>, depth: number): fc.Arbitrary<unknown> {
  const schema = resolve(raw, components);
  const type = [schema.type].flat().find((candidate) => candidate !== 'null');
  const injected = validValue(schema, components, depth).map((value) =>
    typeof value === 'string' ? `${value.slice(0, 1)}\u0000${value.slice(1)}` : value,
  );
  const halfPair = validValue(schema, components, depth).map((value) =>
    typeof value === 'string' ? `${value}\ud83d` : value,
  );
  const common = [injected, halfPair, anyJson, nastyString, nastyNumber];
  switch (type) {
    case 'string': {
      const max = typeof schema.maxLength === 'number' ? schema.maxLength : 100;
      return fc.oneof(
        ...common,
        fc.constant('x'.repeat(max + 1)),
        fc.constantFrom('2026-02-30', '9999-12-31', '0000-01-01', '2026-12-01T25:00:00Z'),
      );
    }
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : -10;
      const max = typeof schema.maximum === 'number' ? schema.maximum : 10;
      return fc.oneof(...common, fc.constantFrom(min - 1, max + 1, max + 0.5), numericText);
    }
    case 'array': {
      const max = typeof schema.maxItems === 'number' ? schema.maxItems : 5;
      const item = schema.items ? hostileValue(schema.items as Schema, components, depth + 1) : anyJson;
      return fc.oneof(
        ...common,
        fc.array(item, { minLength: 1, maxLength: 3 }),
        fc.constant(Array.from({ length: max + 1 }, () => 1)),
      );
    }
    default:
      return fc.oneof(...common);
  }
}

/** JSON nested `levels` deep: arrays or objects. */
export const deepJson = (levels: number, kind: 'array' | 'object'): string =>
  kind === 'array' ? `${'['.repeat(levels)}${']'.repeat(levels)}` : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

/**
 * A path segment as sent on the wire: numbers in and out of range, text percent-encoded, and raw
 * escapes that do not decode (malformed, or UTF-8 of a lone surrogate).
 */
export const pathSegment = fc.oneof(
  { weight: 3, arbitrary: numericText.map((text) => encodeURIComponent(text)) },
  { weight: 1, arbitrary: nastyString.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '?')) || 'x') },
  { weight: 1, arbitrary: fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%ED%A0%80', '%FF', '%00', '..', '%2e%2e', '%2F') },
  { weight: 1, arbitrary: fc.constantFrom('2026-12-01', '2026', '2027-02-29', '9999-12-31', '2026-13-45') },
);

/** A query value as sent on the wire (percent-encoded, or with raw bytes that are no UTF-8). */
export const queryValue = fc.oneof(
  numericText.map(encodeURIComponent),
  nastyString.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '?'))),
  fc.constantFrom(
    '%FF',
    '%00',
    '%',
    '%E0%A4%A',
    'true',
    'false',
    'new,open',
    'sms,,email',
    '2026-12-01',
    '2026-12-01T08%3A00%3A00Z',
  ),
  fc.constant('z'.repeat(10_000)),
);
