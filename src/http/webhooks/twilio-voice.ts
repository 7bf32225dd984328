import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { CallUpdate } from '../../../channels/adapter.js';
import type { VoiceServices } from '../../voice/voice-services.js';
import { parseInput, textId } from '../validate.js';
import { VOICE_PATHS } from './voice-urls.js';
import { toWebhookRequest } from './webhook-request.js';

const recordingQuery = z.object({ purpose: z.enum(['complaint', 'voicemail']) });
const taskQuery = z.object({ task: textId() });

/**
 * The phone line's webhooks, each verified with Twilio's signature over PUBLIC_URL + path (query
 * included: the call-back's task id is signed with it) before anything is read. Every answer is
 * TwiML; the call's state lives in the `calls` row, so retried webhooks change nothing twice.
 */
export function twilioVoiceWebhooks(voice: VoiceServices, publicUrl: string): Router {
  const router = Router();
  const adapter = voice.context.adapter;
  router.use(express.urlencoded({ extended: false, limit: '256kb' }));

  const read = (request: Request): CallUpdate => {
    const webhook = toWebhookRequest(request, publicUrl);
    adapter.verify(webhook);
    return adapter.readCall(webhook);
  };
  const answer = (response: Response, document: string) => void response.type(adapter.documentType).send(document);

  router.post(VOICE_PATHS.incoming, async (request, response) =>
    answer(response, await voice.menu.incoming(read(request))),
  );
  router.post(VOICE_PATHS.menu, async (request, response) => answer(response, await voice.menu.menu(read(request))));
  router.post(VOICE_PATHS.reference, async (request, response) =>
    answer(response, await voice.menu.reference(read(request))),
  );
  router.post(VOICE_PATHS.offer, async (request, response) => answer(response, await voice.menu.offer(read(request))));
  router.post(VOICE_PATHS.dial, async (request, response) => answer(response, await voice.menu.dialed(read(request))));
  router.post(VOICE_PATHS.recording, async (request, response) => {
    const update = read(request);
    const { purpose } = parseInput(recordingQuery, request.query, 'query');
    answer(response, await voice.records.recorded(update, purpose));
  });
  router.post(VOICE_PATHS.transcription, async (request, response) =>
    answer(response, await voice.records.transcribed(read(request))),
  );
  router.post(VOICE_PATHS.status, async (request, response) =>
    answer(response, await voice.records.status(read(request))),
  );

  router.post(VOICE_PATHS.callbackAnswer, async (request, response) => {
    const update = read(request);
    answer(response, await voice.callbacks.answered(update, parseInput(taskQuery, request.query, 'query').task));
  });
  router.post(VOICE_PATHS.callbackDial, async (request, response) => {
    const update = read(request);
    answer(response, await voice.callbacks.dialed(update, parseInput(taskQuery, request.query, 'query').task));
  });
  router.post(VOICE_PATHS.callbackStatus, async (request, response) => {
    const update = read(request);
    await voice.callbacks.agentLegEnded(update, parseInput(taskQuery, request.query, 'query').task);
    answer(response, adapter.emptyDocument);
  });
  return router;
}
