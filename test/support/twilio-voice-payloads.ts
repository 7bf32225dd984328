import { randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { ACCOUNT_SID } from './twilio-payloads.js';

/** Our voice number in tests, and voice webhook bodies as Twilio sends them (Voice webhook reference). */
export const VOICE_NUMBER = '+6281100000002';
export const VOICE = '/webhooks/twilio/voice';

export const callSid = (): string => `CA${randomBytes(16).toString('hex')}`;
export const recordingSid = (): string => `RE${randomBytes(16).toString('hex')}`;
export const transcriptionSid = (): string => `TR${randomBytes(16).toString('hex')}`;

/** The fields every voice request of a call carries. */
export function callForm(sid: string, from: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AccountSid: ACCOUNT_SID,
    ApiVersion: '2010-04-01',
    CallSid: sid,
    CallStatus: 'in-progress',
    Called: VOICE_NUMBER,
    Caller: from,
    Direction: 'inbound',
    From: from,
    FromCountry: 'ID',
    To: VOICE_NUMBER,
    ToCountry: 'ID',
    ...extra,
  };
}

/** One TwiML verb in document order, with its attributes, its text, and its nested verbs. */
export interface Verb {
  verb: string;
  attrs: Record<string, string>;
  text?: string;
  children: Verb[];
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
});

/** The verbs of a TwiML <Response>, parsed as XML (not matched as text). */
export function parseTwiml(xml: string): Verb[] {
  const document = parser.parse(xml) as Array<Record<string, unknown>>;
  const response = document.find((node) => 'Response' in node);
  if (!response) throw new Error(`Not TwiML: ${xml}`);
  return toVerbs(response.Response as Array<Record<string, unknown>>);
}

function toVerbs(nodes: Array<Record<string, unknown>>): Verb[] {
  const verbs: Verb[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((key) => key !== ':@');
    if (!name || name === '#text') continue;
    const children = node[name] as Array<Record<string, unknown>>;
    const text = children
      .filter((child) => '#text' in child)
      .map((child) => String(child['#text']))
      .join('');
    verbs.push({
      verb: name,
      attrs: (node[':@'] as Record<string, string>) ?? {},
      text: text || undefined,
      children: toVerbs(children),
    });
  }
  return verbs;
}

/** The outline of a TwiML answer: "Gather(Say,Say)", "Say", "Hangup"... */
export const outline = (verbs: Verb[]): string[] =>
  verbs.map((verb) =>
    verb.children.length ? `${verb.verb}(${verb.children.map((child) => child.verb).join(',')})` : verb.verb,
  );
