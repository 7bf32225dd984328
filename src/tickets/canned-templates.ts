import { UnprocessableError } from '../errors.js';

/**
 * Canned-response templates: plain text with `{{variable}}` placeholders. Templates are checked
 * when an admin saves them, so that an agent never sends a citizen a stray `{{citizen_nmae}}`:
 * an unknown name or an unbalanced brace is refused then, not discovered in a reply.
 */
export const TEMPLATE_VARIABLES = ['citizen_name', 'reference', 'agent_name', 'office_name'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Record<TemplateVariable, string>;

export const TEMPLATE_LANGUAGES = ['id', 'en'] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];

// The name is trimmed where it is read: /\{\{\s*([^{}]*?)\s*\}\}/ split a run of spaces between three
// quantifiers, cubic in it (`{{` and 4,000 spaces: minutes).
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** How a citizen is addressed when their name is unknown or must stay hidden. */
export const POLITE_ADDRESS: Record<TemplateLanguage, string> = { id: 'Bapak/Ibu', en: 'Sir/Madam' };

const isVariable = (name: string): name is TemplateVariable => (TEMPLATE_VARIABLES as readonly string[]).includes(name);

/** Throws 422 naming every unknown variable (and the known ones), or a brace left open. */
export function validateTemplate(body: string): void {
  const unknown = [
    ...new Set([...body.matchAll(PLACEHOLDER)].map((match) => match[1]!.trim()).filter((name) => !isVariable(name))),
  ];
  if (unknown.length > 0) {
    throw new UnprocessableError(
      'unknown_variable',
      `Unknown template variable: ${unknown.map((name) => `{{${name}}}`).join(', ')}`,
      {
        unknown,
        allowed: TEMPLATE_VARIABLES,
      },
    );
  }
  const leftover = body.replace(PLACEHOLDER, '');
  if (leftover.includes('{{') || leftover.includes('}}')) {
    throw new UnprocessableError(
      'malformed_template',
      'A template placeholder is not closed: write variables as {{name}}',
      { allowed: TEMPLATE_VARIABLES },
    );
  }
}

/** Fills in a template checked by `validateTemplate`; values are inserted as plain text, once. */
export function renderTemplate(body: string, values: TemplateValues): string {
  return body.replace(PLACEHOLDER, (whole, written: string) => {
    const name = written.trim();
    return isVariable(name) ? values[name] : whole;
  });
}
