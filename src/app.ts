import express, { type Express } from 'express';
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import type { ChannelRegistry } from '../channels/registry.js';
import type { Config } from './config.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { authenticate } from './http/authenticate.js';
import { agentRoutes } from './http/api/v1/agents.js';
import { authRoutes } from './http/api/v1/auth.js';
import { calendarRoutes } from './http/api/v1/calendars.js';
import { cannedResponseRoutes } from './http/api/v1/canned-responses.js';
import { slaPolicyRoutes } from './http/api/v1/sla-policies.js';
import { eventRoutes } from './http/api/v1/events.js';
import { metricsRoutes } from './http/api/v1/metrics.js';
import { ticketExportRoutes } from './http/api/v1/ticket-export.js';
import { queueRoutes } from './http/api/v1/queue.js';
import { teamRoutes } from './http/api/v1/teams.js';
import { deadLetterRoutes } from './http/api/v1/dead-letters.js';
import { heldMessageRoutes } from './http/api/v1/held-messages.js';
import { ticketRoutes } from './http/api/v1/tickets.js';
import { attachmentRoutes } from './http/api/v1/attachments.js';
import { contactRoutes } from './http/api/v1/contacts.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { healthRoutes } from './http/health.js';
import { compressAnswers } from './http/compress.js';
import { consoleRoutes } from './http/console-route.js';
import { widgetRoutes } from './http/widget-route.js';
import { securityHeaders } from './http/security-headers.js';
import { METRICS_PATH, prometheusRoute } from './http/prometheus-route.js';
import { DOCUMENT_PATH, openApiDocument } from './http/openapi/route.js';
import { AttachmentStore } from './messages/attachment-store.js';
import { InboxWriter } from './inbox/inbox-writer.js';
import { TicketEventTail } from './metrics/live/event-tail.js';
import { twilioWebhooks } from './http/webhooks/twilio.js';
import { twilioVoiceWebhooks } from './http/webhooks/twilio-voice.js';
import { MESSAGING_WEBHOOK_PATH } from './http/webhooks/messaging-urls.js';
import { VOICE_WEBHOOK_PATH, voiceUrls } from './http/webhooks/voice-urls.js';
import { taskRoutes } from './http/api/v1/tasks.js';
import { publicChatRoutes } from './http/api/v1/public-chat.js';
import { ticketTypingRoutes } from './http/api/v1/ticket-typing.js';
import { ChatLimits } from './webchat/chat-limits.js';
import { ChatSignals } from './webchat/chat-signals.js';
import { ChatTail } from './webchat/chat-tail.js';
import { createVoiceServices } from './voice/voice-services.js';
import { webDoorRoutes } from './http/web/routes.js';
import type { Logger } from './logger.js';
import type { PrometheusMetrics } from './metrics/prometheus.js';
import { httpMetricsMiddleware } from './http/request-metrics.js';
import type { PipelineQueues } from './queue/pipeline-queues.js';
import type { RoutingSignals } from './routing/signals.js';
import type { TicketUnitOfWork } from './tickets/unit-of-work.js';
import type { ClockResync } from './sla/clock-resync.js';
import { resyncClocksAfterWrites } from './http/resync-clocks.js';
import { TicketViewers } from './metrics/live/ticket-viewers.js';

export interface AppContext {
  config: Config;
  db: Knex;
  redis: Redis;
  queues: PipelineQueues;
  channels: ChannelRegistry;
  routing: RoutingSignals;
  /** How ticket actions change tickets: the SLA clocks and routing follow their events. */
  unitOfWork: TicketUnitOfWork;
  /** The clock of ticket actions (the runtime's; tests drive it). */
  now?: () => Date;
  /** Brings open tickets' clocks in line after policy, calendar and team edits. */
  clockResync: ClockResync;
  logger: Logger;
  /** The runtime's Prometheus metrics: HTTP timings here, GET /metrics. */
  metrics: PrometheusMetrics;
  /** The runtime's inbox writer, shared with the SMTP listener so that both group-commit together. */
  inbox?: InboxWriter;
  /** The runtime's live tail: stopping it ends every open stream (one made here otherwise). */
  tail?: TicketEventTail;
  /**
   * The web chat's parts the runtime stops: the tail of chat messages (ending every visitor
   * stream), typing over Redis, and the key the chat API signs visitors' messages with for the
   * webchat adapter (the registry's). Made here when not given.
   */
  webchat?: { tail: ChatTail; signals: ChatSignals; signingKey?: Buffer };
}

/** Assembles the HTTP API: health, provider webhooks, the authenticated API, then errors. */
export function createApp(context: AppContext): Express {
  const { config, db } = context;
  const app = express();
  app.disable('x-powered-by');
  // Client addresses (login throttling) come from X-Forwarded-For only when a local proxy set it.
  app.set('trust proxy', 'loopback');
  app.use(httpMetricsMiddleware(context.metrics.httpDuration)); // first: it times every request
  app.use(securityHeaders({ publicUrl: config.publicUrl })); // on every answer, errors and 404s included
  app.use(compressAnswers()); // gzip where the browser takes it; never an event stream

  app.use(healthRoutes(db, context.redis));
  app.use(consoleRoutes()); // the agent console's static pages, with their own CSP
  app.use(widgetRoutes({ publicUrl: config.publicUrl, allowedOrigins: config.WIDGET_ALLOWED_ORIGINS })); // the chat widget
  app.get(METRICS_PATH, prometheusRoute(db, context.metrics, config.METRICS_TOKEN));
  app.get(DOCUMENT_PATH, openApiDocument(config.publicUrl)); // public: the API's own description
  const inbox = context.inbox ?? new InboxWriter(db, context.queues, context.logger, context.metrics);
  // The citizens' web door: its pages (with their own CSP) here, its public API below.
  const webDoor = webDoorRoutes({ config, db, redis: context.redis, inbox, logger: context.logger, now: context.now });
  app.use(webDoor.pages);
  // The phone line: before the messaging router, whose form parser would otherwise read its bodies.
  const voice = createVoiceServices({
    config,
    db,
    inbox,
    channels: context.channels,
    queues: context.queues,
    logger: context.logger,
    urls: voiceUrls(config.publicUrl),
    now: context.now,
  });
  app.use(VOICE_WEBHOOK_PATH, twilioVoiceWebhooks(voice, config.publicUrl));
  app.use(MESSAGING_WEBHOOK_PATH, twilioWebhooks({ ...context, inbox, publicUrl: config.publicUrl }));
  const throttle = new LoginThrottle(context.redis, {
    maxFailures: config.LOGIN_MAX_FAILURES,
    windowMinutes: config.LOGIN_LOCK_MINUTES,
    keyPrefix: config.QUEUE_PREFIX,
  });
  app.use('/api/v1/auth', authRoutes(db, throttle, config.TOKEN_TTL_HOURS));
  const attachmentStore = new AttachmentStore({
    dataDir: config.DATA_DIR,
    maxBytes: config.EMAIL_ATTACHMENT_MAX_BYTES,
  });
  // The chat widget's API: public, a visitor session token instead of a staff one.
  const chatTail = context.webchat?.tail ?? new ChatTail(db, config.LIVE_POLL_INTERVAL_MS);
  const chatSignals = context.webchat?.signals ?? new ChatSignals(context.redis, config.QUEUE_PREFIX);
  app.use(
    '/api/v1/public/chat',
    publicChatRoutes({
      db,
      inbox,
      queues: context.queues,
      adapter: context.channels.webhookAdapter('webchat'),
      signingKey: context.webchat?.signingKey ?? Buffer.alloc(0),
      tail: chatTail,
      signals: chatSignals,
      limits: new ChatLimits(context.redis, {
        keyPrefix: config.QUEUE_PREFIX,
        sessionsPerAddressHour: config.WEBCHAT_SESSIONS_PER_ADDRESS_HOUR,
        messagesPerSessionMinute: config.WEBCHAT_MESSAGES_PER_SESSION_MINUTE,
        messagesPerAddressMinute: config.WEBCHAT_MESSAGES_PER_ADDRESS_MINUTE,
        messagesPerOfficeMinute: config.WEBCHAT_MESSAGES_PER_OFFICE_MINUTE,
        transcriptsPerSessionHour: config.WEBCHAT_TRANSCRIPTS_PER_SESSION_HOUR,
      }),
      now: context.now ?? (() => new Date()),
      ttlHours: config.WEBCHAT_SESSION_TTL_HOURS,
      streamsPerSession: config.WEBCHAT_STREAMS_PER_SESSION,
      defaultRegion: config.DEFAULT_REGION,
      defaultLanguage: config.DEFAULT_LANGUAGE,
      referencePrefix: config.REFERENCE_PREFIX,
      officeName: config.OFFICE_NAME,
    }),
  );
  // Before the tickets router, whose /:id would take `export.csv` for a ticket id.
  app.use('/api/v1/tickets/export.csv', authenticate(db), ticketExportRoutes(db, config.REFERENCE_PREFIX));
  // The agent's typing in a chat: its own router on the tickets' path, before theirs.
  app.use('/api/v1/tickets', authenticate(db), ticketTypingRoutes(db, chatSignals));
  app.use(
    '/api/v1/tickets',
    authenticate(db),
    ticketRoutes({
      db,
      queues: context.queues,
      logger: context.logger,
      referencePrefix: config.REFERENCE_PREFIX,
      officeName: config.OFFICE_NAME,
      defaultRegion: config.DEFAULT_REGION,
      whatsappTemplateSid: config.TWILIO_WHATSAPP_TEMPLATE_SID,
      clarification: { reminderDays: config.CLARIFICATION_REMINDER_DAYS, expiryDays: config.CLARIFICATION_EXPIRY_DAYS },
      attachmentStore,
      unitOfWork: context.unitOfWork,
      viewers: new TicketViewers(context.redis, config.QUEUE_PREFIX, context.now),
      now: context.now,
    }),
  );

  app.use(
    '/api/v1/held-messages',
    authenticate(db),
    heldMessageRoutes({
      db,
      queues: context.queues,
      logger: context.logger,
      referencePrefix: config.REFERENCE_PREFIX,
      officeName: config.OFFICE_NAME,
      unitOfWork: context.unitOfWork,
      now: context.now,
    }),
  );
  app.use('/api/v1/admin/dead-letters', authenticate(db), deadLetterRoutes(db, context.queues));
  app.use(
    '/api/v1/agents',
    authenticate(db),
    agentRoutes({ db, routing: context.routing, returnOnOffline: config.ROUTING_RETURN_ON_OFFLINE }),
  );
  app.use(
    '/api/v1/queue',
    authenticate(db),
    queueRoutes({
      db,
      referencePrefix: config.REFERENCE_PREFIX,
      defaultRegion: config.DEFAULT_REGION,
      now: context.now,
    }),
  );
  app.use(
    '/api/v1/contacts',
    authenticate(db),
    contactRoutes({ db, referencePrefix: config.REFERENCE_PREFIX, defaultRegion: config.DEFAULT_REGION }),
  );
  app.use(
    '/api/v1/attachments',
    authenticate(db),
    attachmentRoutes({
      db,
      store: attachmentStore,
      providerMedia: (provider, url) => context.channels.fetchMedia(provider, url),
      logger: context.logger,
    }),
  );
  // Edits that move deadlines without touching a ticket: the open tickets' clocks follow.
  const resyncClocks = resyncClocksAfterWrites(context.clockResync);
  app.use('/api/v1/teams', authenticate(db), resyncClocks, teamRoutes(db));
  app.use('/api/v1/calendars', authenticate(db), resyncClocks, calendarRoutes(db));
  // One tail per process feeds every open stream, the agents' and the supervisors'.
  const tail = context.tail ?? new TicketEventTail(db, config.LIVE_POLL_INTERVAL_MS);
  const streams = config.LIVE_STREAMS_PER_TOKEN;
  app.use('/api/v1/events', authenticate(db), eventRoutes(db, tail, undefined, streams));
  app.use('/api/v1/metrics', authenticate(db), metricsRoutes({ db, tail, maxStreamsPerToken: streams }));
  app.use('/api/v1/canned-responses', authenticate(db), cannedResponseRoutes(db));
  app.use('/api/v1/sla-policies', authenticate(db), resyncClocks, slaPolicyRoutes(db));
  app.use(
    '/api/v1/tasks',
    authenticate(db),
    taskRoutes({ db, voice, referencePrefix: config.REFERENCE_PREFIX, now: context.now }),
  );

  app.use('/api/v1/public', webDoor.api);

  app.use(notFoundHandler);
  app.use(errorHandler(context.logger));
  return app;
}
