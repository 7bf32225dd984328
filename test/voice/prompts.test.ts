import { expect } from 'chai';
import fc from 'fast-check';
import { DEFAULT_PROMPTS, PROMPT_KEYS, mergePrompts, speak, type PromptKey } from '../../src/voice/prompts.js';

// Every prompt present in both languages, a placeholder filled, VOICE_PROMPTS_FILE read and an
// unknown key refused are in test/channels/twilio-voice.test.ts.

/** The values the code fills in: {office} for every line (voice-context.ts), {reference} and {status} where given. */
const FILLED: Partial<Record<PromptKey, string[]>> = {
  ticketStatus: ['reference', 'status'],
  agentWhisper: ['reference'],
};
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();

describe('Voice prompts: placeholders and overrides (src/voice/prompts.ts)', () => {
  it('uses only the placeholders the code fills, the same in Bahasa Indonesia and English', () => {
    for (const key of PROMPT_KEYS) {
      const allowed = new Set(['office', ...(FILLED[key] ?? [])]);
      for (const language of ['id', 'en'] as const)
        for (const name of placeholders(DEFAULT_PROMPTS[language][key]))
          expect(allowed.has(name), `${language}.${key} says {${name}} aloud`).to.equal(true);
      // A translation that drops {reference} would leave the caller without their ticket's number.
      expect(placeholders(DEFAULT_PROMPTS.en[key]), key).to.deep.equal(placeholders(DEFAULT_PROMPTS.id[key]));
    }
    for (const [key, names] of Object.entries(FILLED))
      expect(placeholders(DEFAULT_PROMPTS.id[key as PromptKey]), key).to.deep.equal([...names].sort());
  });

  it('law: speak fills every placeholder given, leaves one not given as written, and changes nothing else', () => {
    const wordArb = fc.string({ unit: fc.constantFrom(...'abcdefgh .,'), maxLength: 12 });
    fc.assert(
      fc.property(
        wordArb,
        wordArb,
        wordArb,
        fc.string({ unit: fc.constantFrom(...'0123456789 -'), maxLength: 12 }),
        (before, middle, after, reference) => {
          const prompts = structuredClone(DEFAULT_PROMPTS);
          prompts.en.ticketStatus = `${before}{reference}${middle}{status}${after}{reference}`;
          expect(speak(prompts, 'en', 'ticketStatus', { reference })).to.equal(
            `${before}${reference}${middle}{status}${after}${reference}`,
          );
          // A value that looks like a placeholder is spoken as it is, not filled again.
          expect(speak(prompts, 'en', 'ticketStatus', { reference: '{status}', status: 'x' })).to.equal(
            `${before}{status}${middle}x${after}{status}`,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("takes an override's text trimmed, for one language, and refuses an empty one or one too long", () => {
    const prompts = mergePrompts({ en: { goodbye: '  Thank you, goodbye.  ' } });
    expect(prompts.en.goodbye).to.equal('Thank you, goodbye.');
    expect(prompts.id).to.deep.equal(DEFAULT_PROMPTS.id);
    expect(mergePrompts(undefined)).to.deep.equal(DEFAULT_PROMPTS);
    expect(() => mergePrompts({ id: { goodbye: '   ' } })).to.throw(/Invalid voice prompts: id\.goodbye/);
    expect(() => mergePrompts({ id: { goodbye: 'x'.repeat(1001) } })).to.throw(/id\.goodbye/);
    expect(() => mergePrompts({ id: { goodbye: 7 } })).to.throw(/id\.goodbye/);
    expect(mergePrompts({ id: { goodbye: 'x'.repeat(1000) } }).id.goodbye).to.have.length(1000);
    // Merging never changes the defaults other installations' calls read.
    expect(DEFAULT_PROMPTS.en.goodbye).to.not.equal('Thank you, goodbye.');
  });
});
