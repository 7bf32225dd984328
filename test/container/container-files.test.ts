import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import YAML from 'yaml';
import { SETTING_NAMES } from '../../src/config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** One stage of a Dockerfile: its FROM line and instructions (continuation lines joined). */
interface Stage {
  from: string;
  name?: string;
  instructions: Array<{ keyword: string; args: string }>;
}

function dockerfileStages(text: string): { args: Record<string, string>; stages: Stage[] } {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [, image = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      stages.push({
        from: image.replace(/^\$\{(\w+)\}$/, (_, arg: string) => args[arg] ?? image),
        name,
        instructions: [],
      });
    } else if (upper === 'ARG' && stages.length === 0) {
      const [name = '', value = ''] = rest.split('=');
      args[name] = value;
    } else {
      stages.at(-1)?.instructions.push({ keyword: upper, args: rest });
    }
  }
  return { args, stages };
}

describe('Container files', () => {
  describe('Dockerfile', () => {
    const { stages } = dockerfileStages(read('Dockerfile'));
    const stage = (name: string) => stages.find((candidate) => candidate.name === name)!;
    const final = stages.at(-1)!;
    const all = (of: Stage, keyword: string) =>
      of.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);

    it('runs on the Node.js of .nvmrc, in a slim image', () => {
      const version = read('.nvmrc').trim();
      expect(final.from).to.equal(`node:${version}-bookworm-slim`);
      for (const each of stages) expect(each.from, each.name).to.match(/^node:|^toolchain$/);
    });

    it('builds with npm ci then npm run build, and installs production dependencies where the toolchain is', () => {
      const build = all(stage('build'), 'RUN').join('\n');
      expect(build.indexOf('npm ci')).to.be.within(0, build.indexOf('npm run build'));
      expect(all(stage('toolchain'), 'RUN').join(' '))
        .to.include('python3')
        .and.include('make')
        .and.include('g++');
      expect(all(stage('prod-deps'), 'RUN').join(' '))
        .to.include('npm ci --omit=dev')
        .and.include('npm rebuild better-sqlite3');
      const copies = all(final, 'COPY');
      expect(copies).to.include('--from=prod-deps /app/node_modules node_modules');
      expect(copies).to.include('--from=build /app/dist dist');
      expect(all(final, 'RUN').join(' '), 'no compiling in the runtime image').to.not.match(/npm (ci|install|rebuild)/);
    });

    it('copies only what exists in the repository into the build', () => {
      for (const copy of all(stage('build'), 'COPY')) {
        const sources = copy.split(/\s+/).slice(0, -1);
        for (const source of sources) {
          const pattern = new RegExp(`^${source.replace(/\./g, '\\.').replace(/\*/g, '.*')}$`);
          expect(
            fs.readdirSync(root).some((entry) => pattern.test(entry)),
            source,
          ).to.equal(true);
        }
      }
    });

    it('runs as the node user with the V8 flags of npm start, on /data, with a node health check of /healthz', () => {
      expect(all(final, 'USER')).to.deep.equal(['node']);
      const command = JSON.parse(all(final, 'CMD')[0]!) as string[];
      expect(command).to.deep.equal([
        'node',
        '--max-semi-space-size=32',
        '--no-allocation-site-pretenuring',
        'dist/src/main.js',
      ]);
      const start = JSON.parse(read('package.json')).scripts.start as string;
      const flags = (text: string) => text.split(/\s+/).filter((word) => word.startsWith('--'));
      expect(flags(command.join(' '))).to.deep.equal(flags(start));
      expect(all(final, 'EXPOSE').join(' ').split(/\s+/)).to.have.members(['3000', '2525']);
      expect(all(final, 'ENV').join(' ')).to.match(/\bDATA_DIR=\/data\b/);
      expect(all(final, 'VOLUME')).to.deep.equal(['/data']);
      const [healthcheck] = all(final, 'HEALTHCHECK');
      expect(healthcheck)
        .to.match(/CMD node -e /)
        .and.include('/healthz')
        .and.include('METRICS_PORT');
    });

    it('keeps secrets, local data and installed modules out of the build context', () => {
      const ignored = read('.dockerignore')
        .split('\n')
        .map((line) => line.trim());
      expect(ignored).to.include.members(['node_modules', 'dist', 'data', '.git', '.env']);
    });
  });

  describe('compose.yaml', () => {
    /** The parts of a compose service these checks read. */
    interface Service {
      image?: string;
      command?: string[];
      environment: Record<string, string | number>;
      env_file?: unknown;
      ports?: string[];
      volumes: string[];
      depends_on?: Record<string, { condition: string }>;
      healthcheck: { test: string[] };
    }
    const compose = YAML.parse(read('compose.yaml')) as {
      services: Record<string, Service>;
      volumes: Record<string, unknown>;
    };
    const { api, worker, postgres, redis } = compose.services;
    const healthy = { condition: 'service_healthy' };

    it('runs the api, a worker, PostgreSQL 15 and Redis 7', () => {
      expect(Object.keys(compose.services)).to.have.members(['api', 'worker', 'postgres', 'redis']);
      expect(api!.environment.ROLE).to.equal('api');
      expect(worker!.environment.ROLE).to.equal('worker');
      expect(worker!.environment.METRICS_PORT, 'the worker serves /healthz for the health check').to.be.a('number');
      expect(postgres!.image).to.match(/^postgres:15\b/);
      expect(redis!.image).to.match(/^redis:7\b/);
    });

    it('publishes the API and the SMTP listener, and nothing of PostgreSQL or Redis', () => {
      expect(api!.ports!.map((port) => port.split(':')[1])).to.have.members(['3000', '2525']);
      expect(postgres!.ports).to.equal(undefined);
      expect(redis!.ports).to.equal(undefined);
    });

    it('keeps Redis from evicting queue keys, on disk, and checks both stores are healthy', () => {
      const command = redis!.command!;
      expect(command[command.indexOf('--maxmemory-policy') + 1]).to.equal('noeviction');
      expect(command[command.indexOf('--appendonly') + 1]).to.equal('yes');
      expect(redis!.healthcheck.test.join(' ')).to.include('redis-cli ping');
      expect(postgres!.healthcheck.test.join(' ')).to.include('pg_isready');
      expect(postgres!.volumes).to.include('postgres:/var/lib/postgresql/data');
      expect(redis!.volumes).to.include('redis:/data');
    });

    it('starts the api and the worker once the stores are healthy, the worker after the api has migrated', () => {
      expect(api!.depends_on).to.deep.equal({ postgres: healthy, redis: healthy });
      expect(worker!.depends_on).to.deep.equal({ postgres: healthy, redis: healthy, api: healthy });
    });

    it('shares one DATA_DIR volume between the api and the worker, and points both at the compose stores', () => {
      for (const service of [api!, worker!]) {
        expect(service.environment.DATA_DIR).to.equal('/data');
        expect(service.volumes.map((volume) => volume.split('#')[0]!.trim())).to.include('data:/data');
        expect(service.environment.DATABASE_URL).to.match(/^postgres:\/\/.+@postgres:5432\//);
        expect(new URL(String(service.environment.REDIS_URL)).hostname, 'REDIS_URL').to.equal('redis');
        expect(service.env_file).to.deep.equal([{ path: '.env', required: false }]);
      }
      expect(compose.volumes).to.have.keys(['data', 'postgres', 'redis']);
    });

    it('sets only settings the server knows', () => {
      for (const [name, service] of Object.entries({ api, worker }))
        for (const setting of Object.keys(service!.environment))
          expect(SETTING_NAMES, `${name}: ${setting}`).to.include(setting);
    });
  });
});
