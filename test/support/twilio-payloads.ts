import { randomBytes } from 'node:crypto';

/** Webhook bodies as Twilio sends them (field names from Twilio's messaging webhook reference). */
export const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
export const SMS_NUMBER = '+6281100000000';
export const WHATSAPP_NUMBER = '+6281100000001';

export const messageSid = (): string => `SM${randomBytes(16).toString('hex')}`;

export function inboundSms(from: string, body: string, extra: Record<string, string> = {}): Record<string, string> {
  const sid = extra.MessageSid ?? messageSid();
  return {
    ToCountry: 'ID',
    ToState: '',
    SmsMessageSid: sid,
    NumMedia: '0',
    ToCity: '',
    FromZip: '',
    SmsSid: sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: body,
    FromCountry: 'ID',
    To: SMS_NUMBER,
    ToZip: '',
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: ACCOUNT_SID,
    From: from,
    ApiVersion: '2010-04-01',
    ...extra,
  };
}

export function inboundWhatsApp(
  from: string,
  body: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const sid = extra.MessageSid ?? messageSid();
  return {
    SmsMessageSid: sid,
    NumMedia: '0',
    ProfileName: 'Budi Santoso',
    MessageType: 'text',
    SmsSid: sid,
    WaId: from.replace(/^\+/, ''),
    SmsStatus: 'received',
    Body: body,
    To: `whatsapp:${WHATSAPP_NUMBER}`,
    NumSegments: '1',
    ReferralNumMedia: '0',
    MessageSid: sid,
    AccountSid: ACCOUNT_SID,
    From: `whatsapp:${from}`,
    ApiVersion: '2010-04-01',
    ...extra,
  };
}

export function statusCallback(
  sid: string,
  status: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    SmsSid: sid,
    SmsStatus: status,
    MessageStatus: status,
    To: '+6281234567890',
    MessageSid: sid,
    AccountSid: ACCOUNT_SID,
    From: SMS_NUMBER,
    ApiVersion: '2010-04-01',
    ...extra,
  };
}
