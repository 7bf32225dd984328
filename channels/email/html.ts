import { compile } from 'html-to-text';
import { Tokenizer } from 'htmlparser2';
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
  return sanitize(boundNesting(html), SANITIZE_OPTIONS);
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
  const bounded = boundNesting(html, MAX_TEXT_DEPTH);
  return { full: toText(bounded).trim(), fresh: toTextWithoutQuotes(bounded).trim() };
}

/**
 * How deep elements may nest in the HTML the libraries see, as in browsers (Chromium's parser stops
 * nesting at 512 too). htmlparser2, under both sanitize-html and html-to-text, keeps its open
 * elements in an array it shifts and searches at every tag, quadratic in the depth (1 MB of `<div>`:
 * seconds), and html-to-text walks the tree recursively (a few thousand levels overflow the stack).
 */
export const MAX_HTML_DEPTH = 512;
/**
 * Less for the text: html-to-text indents every line of a nested list or quote once per level, so
 * its time grows with the depth too (1 MB of `<ul><li>`: 24 s at 512 levels, 1.4 s at 64).
 */
export const MAX_TEXT_DEPTH = 64;

// What htmlparser2 treats as void in HTML: no element to close, so no depth.
const VOID_ELEMENTS = new Set(
  'area base basefont br col command embed frame hr img input isindex keygen link meta param source track wbr'.split(
    ' ',
  ),
);
// The elements htmlparser2's tokenizer reads as text up to their own close tag: no elements inside.
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);
// Those that html-to-text's older htmlparser2 reads as text too: their text is written as it came.
// In the others a `<` is escaped, so that no parser can find a tag in it.
const RAW_TEXT_EVERYWHERE = new Set(['script', 'style', 'title', 'textarea', 'xmp']);
// What an opening tag closes first (htmlparser2's table, which follows the HTML standard's), so
// that `<p>` after `<p>` or `<td>` after `<td>` is a sibling here as there, not one level deeper.
const P = ['p'];
const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p'];
const FORM = ['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea'];
const OPEN_IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>(
  Object.entries({
    tr: ['tr', 'th', 'td'],
    th: ['th'],
    td: ['thead', 'th', 'td'],
    body: ['head', 'link', 'script'],
    a: ['a'],
    li: ['li'],
    option: ['option'],
    optgroup: ['optgroup', 'option'],
    dd: ['dd', 'dt'],
    dt: ['dd', 'dt'],
    rt: ['rt', 'rp'],
    rp: ['rt', 'rp'],
    tbody: ['thead', 'tbody'],
    tfoot: ['thead', 'tbody'],
    ...Object.fromEntries(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((name) => [name, HEADINGS])),
    ...Object.fromEntries(['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((name) => [name, FORM])),
    ...Object.fromEntries(
      'p address article aside blockquote details div dl fieldset figcaption figure footer form header hr main nav ol pre section table ul'
        .split(' ')
        .map((name) => [name, P]),
    ),
  }).map(([name, closed]) => [name, new Set(closed)]),
);
const TAG_NAME = /^[a-z][a-z0-9:._-]*$/;
const ATTRIBUTE_NAME = /^[^\s"'<>/=]+$/;

/**
 * The HTML rewritten with its nesting bounded by `maxDepth`, in one linear pass with
 * htmlparser2's own tokenizer: tags beyond the depth are dropped (their text is kept), every tag
 * is written anew (its name, attributes in double quotes) and closed explicitly, every `<` in text
 * is escaped, and comments, doctypes and CDATA go. Whatever parses the result, its open elements are
 * among the ones kept here (a close written here closes at least that element there), so it never
 * nests deeper than this did. Not a sanitizer: sanitize-html still decides what is kept.
 */
export function boundNesting(html: string, maxDepth = MAX_HTML_DEPTH): string {
  const out: string[] = [];
  const open: string[] = []; // the elements open here, innermost last
  const openCount = new Map<string, number>(); // per name, how many of them are in `open`
  let tag: { name: string; attributes: string[]; keep: boolean } | undefined;
  let attribute: { name: string; value: string } | undefined;
  const push = (name: string) => {
    open.push(name);
    openCount.set(name, (openCount.get(name) ?? 0) + 1);
  };
  const pop = (): string => {
    const name = open.pop()!;
    openCount.set(name, openCount.get(name)! - 1);
    out.push(`</${name}>`);
    return name;
  };
  const endOpenTag = (selfClosing: boolean) => {
    if (tag?.keep) {
      const closes = OPEN_IMPLIES_CLOSE.get(tag.name);
      while (closes && open.length > 0 && closes.has(open.at(-1)!)) pop();
      const isVoid = VOID_ELEMENTS.has(tag.name);
      // Text-only elements (script, style, textarea...) hold no elements: kept whatever the depth.
      if (isVoid || open.length < maxDepth || RAW_TEXT.has(tag.name)) {
        out.push(`<${[tag.name, ...tag.attributes].join(' ')}${selfClosing ? ' /' : ''}>`);
        if (!isVoid) push(tag.name);
      }
    }
    tag = undefined;
  };
  const tokenizer = new Tokenizer(
    { decodeEntities: false },
    {
      ontext: (start, end) => {
        const text = html.slice(start, end);
        out.push(RAW_TEXT_EVERYWHERE.has(open.at(-1) ?? '') ? text : text.replaceAll('<', '&lt;'));
      },
      ontextentity: () => {},
      onopentagname: (start, end) => {
        const name = html.slice(start, end).toLowerCase();
        tag = { name, attributes: [], keep: TAG_NAME.test(name) };
      },
      onattribname: (start, end) => {
        attribute = { name: html.slice(start, end), value: '' };
      },
      onattribdata: (start, end) => {
        if (attribute) attribute.value += html.slice(start, end);
      },
      onattribentity: () => {},
      onattribend: () => {
        if (tag && attribute && ATTRIBUTE_NAME.test(attribute.name))
          tag.attributes.push(
            `${attribute.name}="${attribute.value.replaceAll('"', '&quot;').replaceAll('<', '&lt;')}"`,
          );
        attribute = undefined;
      },
      onopentagend: () => endOpenTag(false),
      onselfclosingtag: () => endOpenTag(true),
      onclosetag: (start, end) => {
        const name = html.slice(start, end).toLowerCase();
        // A close closes whatever is open inside its element; one without its element open is
        // dropped, but for `</p>` and `</br>`, which htmlparser2 reads as an empty paragraph and a break.
        if ((openCount.get(name) ?? 0) > 0) while (pop() !== name);
        else if (name === 'p') out.push('<p></p>');
        else if (name === 'br') out.push('<br>');
      },
      oncomment: () => {},
      oncdata: () => {},
      ondeclaration: () => {},
      onprocessinginstruction: () => {},
      onend: () => {
        while (open.length > 0) pop();
      },
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  return out.join('');
}
