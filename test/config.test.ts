import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, SETTING_NAMES, loadConfig } from '../src/config.js';

describe('config', () => {
  const example = fs.readFileSync(path.resolve(import.meta.dirname, '../.env.example'), 'utf8');
  const listed = new Map(
    example
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
  );

  it('lists every setting in .env.example, and nothing else', () => {
    expect([...listed.keys()].sort()).to.deep.equal([...SETTING_NAMES].sort());
  });

  it('runs with no settings at all, on the defaults .env.example shows', () => {
    const config = loadConfig({});
    for (const [name, shown] of listed) {
      const value = (config as unknown as Record<string, unknown>)[name];
      if (shown === '') expect(value, name).to.equal(undefined);
      else if (name === 'PUBLIC_URL') expect(config.publicUrl).to.equal(shown);
      else expect(String(value), name).to.equal(shown);
    }
    expect(config.sqliteFile).to.equal(path.resolve('./data/satu-pintu.sqlite'));
  });

  it('treats empty values as unset and names what is wrong', () => {
    expect(loadConfig({ DATABASE_URL: '  ', PUBLIC_URL: 'https://x.go.id/' })).to.include({
      DATABASE_URL: undefined,
      publicUrl: 'https://x.go.id',
    });
    expect(() => loadConfig({ PORT: 'eighty' })).to.throw(ConfigError, /PORT/);
    expect(() => loadConfig({ ROLE: 'both' })).to.throw(ConfigError, /ROLE/);
  });

  it('takes only PostgreSQL URLs for DATABASE_URL, saying which scheme it refuses and never the password', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://sp:rahasia@db:5432/sp' }).DATABASE_URL).to.equal(
      'postgresql://sp:rahasia@db:5432/sp',
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://sp:rahasia@db/sp' }))
      .to.throw(ConfigError, /^Invalid settings: DATABASE_URL: mysql: is not supported; set postgres:\/\//)
      .with.property('message')
      .that.does.not.contain('rahasia');
    expect(() => loadConfig({ DATABASE_URL: 'satu-pintu.sqlite' })).to.throw(ConfigError, /DATABASE_URL: not a URL/);
  });

  it('listens for SMTP on SMTP_HOST, else on HOST, else on every interface', () => {
    expect(loadConfig({}).smtpHost).to.equal('0.0.0.0');
    expect(loadConfig({ HOST: '127.0.0.1' })).to.include({ HOST: '127.0.0.1', smtpHost: '127.0.0.1' });
    expect(loadConfig({ HOST: '127.0.0.1', SMTP_HOST: '0.0.0.0' }).smtpHost).to.equal('0.0.0.0');
  });
});
