import { readPackageJson } from '../../package-file.js';
import { agentPaths } from './paths-agents.js';
import { attachmentPaths } from './paths-attachments.js';
import { contactPaths } from './paths-contacts.js';
import { authPaths } from './paths-auth.js';
import { calendarPaths } from './paths-calendars.js';
import { cannedResponsePaths } from './paths-canned-responses.js';
import { documentPaths } from './paths-document.js';
import { webchatPaths } from './paths-webchat.js';
import { eventPaths } from './paths-events.js';
import { healthPaths } from './paths-health.js';
import { deadLetterPaths } from './paths-dead-letters.js';
import { heldMessagePaths } from './paths-held-messages.js';
import { prometheusPaths } from './paths-prometheus.js';
import { metricPaths } from './paths-metrics.js';
import { queuePaths } from './paths-queue.js';
import { slaPaths } from './paths-sla.js';
import { teamPaths } from './paths-teams.js';
import { ticketPaths } from './paths-tickets.js';
import { webhookPaths } from './paths-webhooks.js';
import { voiceWebhookPaths } from './paths-voice-webhooks.js';
import { taskPaths } from './paths-tasks.js';
import { TAGS } from './operation.js';
import { componentSchemas } from './schemas.js';
import type { OpenApiDocument, PathsObject } from './types.js';

const packageJson = readPackageJson();

const DESCRIPTION = `Satu Pintu: the help desk of a one-stop public service office (PTSP / DPMPTSP). Citizens write by SMS, WhatsApp and email; agents of the front desk and of the agencies (OPD) work one queue.

Authentication: \`POST /api/v1/auth/login\` gives a bearer token; send it as \`Authorization: Bearer <token>\`. Without a valid one, every \`/api/v1\` route but login answers 401.

Who may call what: each operation's \`x-roles\` lists the callers allowed: \`anonymous\` for a public operation (no token, anyone), otherwise the agent roles among \`agent\`, \`supervisor\` and \`admin\`; a role not listed gets 403. Tickets, agents and canned responses the caller may not see answer 404, so that their existence does not leak.

Errors: always \`{ "error": { "code", "message", "details"? } }\` (schema \`Error\`).`;

/** Every area's paths, in the order of the document; a path given by two areas is a mistake. */
function allPaths(): PathsObject {
  const paths: PathsObject = {};
  for (const area of [
    healthPaths(),
    webhookPaths(),
    voiceWebhookPaths(),
    authPaths(),
    ticketPaths(),
    attachmentPaths(),
    contactPaths(),
    heldMessagePaths(),
    queuePaths(),
    taskPaths(),
    agentPaths(),
    teamPaths(),
    calendarPaths(),
    cannedResponsePaths(),
    slaPaths(),
    eventPaths(),
    webchatPaths(),
    prometheusPaths(),
    deadLetterPaths(),
    metricPaths(),
    documentPaths(),
  ]) {
    for (const [path, item] of Object.entries(area)) {
      if (paths[path]) throw new Error(`OpenAPI: the path ${path} is described twice`);
      paths[path] = item;
    }
  }
  return paths;
}

/** The OpenAPI 3.1 document of the whole HTTP API, for the server at `publicUrl`. */
export function buildOpenApiDocument(publicUrl: string): OpenApiDocument {
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    info: {
      title: 'Satu Pintu',
      version: packageJson.version,
      description: DESCRIPTION,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: publicUrl, description: 'This server (PUBLIC_URL)' }],
    tags: Object.values(TAGS).map((tag) => ({ ...tag })),
    security: [{ bearer: [] }],
    paths: allPaths(),
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The token from POST /api/v1/auth/login.' },
      },
    },
  };
}
