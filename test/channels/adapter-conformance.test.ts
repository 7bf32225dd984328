import { expect } from 'chai';
import { CHANNEL_KINDS } from '../../channels/adapter.js';
import { createChannelRegistry } from '../../channels/registry.js';
import { type AdapterFactory, describeAdapterConformance } from './conformance/contract.js';
import { emailFactory } from './conformance/email.js';
import { twilioMessagingFactory } from './conformance/twilio-messaging.js';
import { twilioVoiceFactory } from './conformance/twilio-voice.js';
import { webchatFactory } from './conformance/webchat.js';

// One suite for every channel adapter (issue 13): the same cases (fixtures parse to envelopes,
// refused signatures, provider ids, permanent and transient errors) run against each provider's
// local stand-in. A new adapter brings a factory in ./conformance/ and is added here.
const FACTORIES: AdapterFactory[] = [twilioMessagingFactory, twilioVoiceFactory, emailFactory, webchatFactory];

describe('channel adapter conformance', () => {
  it('has a factory for every adapter the registry builds', () => {
    const registry = createChannelRegistry({
      twilio: {},
      email: { inboundAddresses: [], from: 'DPMPTSP Kota <helpdesk@dpmptsp.example.go.id>' },
      twilioVoice: {},
    });
    const providers = new Set(
      CHANNEL_KINDS.map((kind) => registry.forChannel(kind)?.provider).filter((provider) => provider !== undefined),
    );
    expect([...providers].sort()).to.deep.equal(FACTORIES.map((factory) => factory.provider).sort());
  });

  for (const factory of FACTORIES) describeAdapterConformance(factory);
});
