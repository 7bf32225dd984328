import { compile } from 'html-to-text';
import sanitize from 'sanitize-html';

/**
 * Mail HTML is written by strangers and will be shown to agents: it is sanitized here, once, before
 * it is stored, so that no later reader can forget to. Scripts, event handlers, forms, styles and
 * remote images (tracking pixels that would tell a sender when an agent read the mail) are dropped;
 * inline images keep their `cid:` links, which name the message's attachments.
 */
const SANITIZE_OPTIONS: sanitize.IOptions = {
  allowedTags: [...sanitize.defaults.allowedTags, 'img', 'font', 'center'],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
    '*': ['dir', 'lang'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['cid', 'data'] },
  transformTags: {
    // Links open outside the agent's console and tell the target nothing about it.
    a: sanitize.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }),
  },
};

export function sanitizeMailHtml(html: string): string {
  return sanitize(html, SANITIZE_OPTIONS);
}

// Quoted history in the HTML of the common clients: Gmail, Yahoo, Apple Mail and Thunderbird
// (blockquote), Outlook (the reply header div and what follows it is not separable in HTML, so
// only its marker is skipped and the text splitter finds the header block).
const QUOTE_SELECTORS = ['blockquote', '.gmail_quote', '.yahoo_quoted', '#appendonsend', '.moz-cite-prefix'];

const toText = compile({
  wordwrap: false,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { ignoreHref: true } },
  ],
});
const toTextWithoutQuotes = compile({
  wordwrap: false,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { ignoreHref: true } },
    ...QUOTE_SELECTORS.map((selector) => ({ selector, format: 'skip' })),
  ],
});

/** The text of an HTML-only mail: all of it, and what the sender wrote without the quoted history. */
export function textOfHtml(html: string): { full: string; fresh: string } {
  return { full: toText(html).trim(), fresh: toTextWithoutQuotes(html).trim() };
}
