import type { Config } from '../config.js';

/** DATABASE_URL with its password, if any, replaced by ***: what messages may show. */
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

/** `text` with DATABASE_URL's password, wherever it appears (a driver quoting the URL), replaced by ***. */
export function withoutDatabasePassword(text: string, url: string | undefined): string {
  if (!url) return text;
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    password = /\/\/[^:/@]*:([^@/]*)@/.exec(url)?.[1] ?? '';
  }
  const masked = text.split(url).join(maskDatabaseUrl(url));
  return password ? masked.split(password).join('***') : masked;
}

/** The database the settings name, for messages: never its password. */
export function describeDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATABASE_SCHEMA' | 'sqliteFile'>): string {
  if (!config.DATABASE_URL) return `SQLite ${config.sqliteFile} (DATA_DIR)`;
  const schema = config.DATABASE_SCHEMA ? `, schema ${config.DATABASE_SCHEMA}` : '';
  return `PostgreSQL ${maskDatabaseUrl(config.DATABASE_URL)} (DATABASE_URL${schema})`;
}
