/**
 * Separates what a citizen wrote from the history their mail client quoted below it, so that an
 * agent reads the new words first and the ticket timeline does not repeat itself.
 *
 * Hand-written rather than email-reply-parser: that library backtracks quadratically on crafted
 * lines unless a native regex engine is installed (and this listener is on the internet), it hides
 * signatures (a citizen's phone number often sits there), and it knows no Indonesian. Every test
 * here is one line against a bounded pattern: linear in the size of the mail.
 */
export interface SplitText {
  /** What the sender wrote in this mail. */
  reply: string;
  /** The quoted history from the first quote marker on; '' when none was found. */
  quoted: string;
}

// "On Mon, 3 Jun 2024 at 10:00, Name <a@b> wrote:" and its translations (Gmail, Apple Mail,
// Thunderbird); Indonesian Gmail writes "Pada tanggal Sen, 3 Jun 2024 pukul 10.00 Name <a@b> menulis:".
const ATTRIBUTION =
  /^(?:on|pada|le|el|am|il|em|op|den|w dniu)\b.{0,300}?(?:wrote|menulis|a écrit|écrit|escribió|schrieb|ha scritto|scritto|escreveu|schreef|skrev|napisał)\s*:\s*$/i;
// Outlook and webmail separators.
const SEPARATOR =
  /^\s*-{2,}\s*(?:original message|pesan asli|pesan awal|ursprüngliche nachricht|message d'origine|mensaje original)\s*-{2,}\s*$/i;
// Outlook's header block: "From: Name <address>" (or a name after a line of underscores) followed
// within a few lines by "Sent: …". A citizen's own letter heading ("Dari: Budi / Perihal: izin")
// has neither the address nor the underscores, so it is never cut.
const HEADER_FROM = /^\s*\*?(?:from|dari|von|de|van|da)\s*:\*?\s+\S/i;
const HEADER_SENT = /^\s*\*?(?:sent|date|dikirim|terkirim|tanggal|gesendet|envoyé|enviado)\s*:\*?\s/i;
const UNDERSCORES = /^_{20,}\s*$/;

/** Splits at the first line where quoted history begins; the whole text is the reply when none does. */
export function splitQuotedText(text: string): SplitText {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const start = quoteStart(lines);
  if (start === undefined) return { reply: text.trim(), quoted: '' };
  const reply = lines.slice(0, start).join('\n').trim();
  const quoted = lines.slice(start).join('\n').trim();
  // Nothing above the quote (a mail that only forwards or re-sends): the quote is the content.
  return reply === '' ? { reply: quoted, quoted: '' } : { reply, quoted };
}

function quoteStart(lines: string[]): number | undefined {
  const trailingQuotesFrom = lastContentLine(lines) + 1;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (line.length > 1000) continue; // a pasted log line is never an attribution
    if (SEPARATOR.test(line)) return index;
    if (ATTRIBUTION.test(line)) return index;
    // Clients wrap a long attribution over two lines.
    const next = lines[index + 1];
    if (
      next !== undefined &&
      next.length < 300 &&
      /^(?:on|pada)\b/i.test(line) &&
      ATTRIBUTION.test(`${line} ${next.trim()}`)
    )
      return index;
    if (UNDERSCORES.test(line) && outlookHeaderAt(lines, index + 1)) return index;
    if (line.includes('@') && outlookHeaderAt(lines, index)) return index;
    // A '>' block counts as history only when nothing but quotes and blank lines follow it: a
    // citizen who answers between quoted lines (inline replies) keeps every word.
    if (line.trimStart().startsWith('>') && index >= trailingQuotesFrom) return index;
  }
  return undefined;
}

function outlookHeaderAt(lines: string[], from: number): boolean {
  if (!HEADER_FROM.test(lines[from] ?? '')) return false;
  return lines.slice(from + 1, from + 5).some((line) => HEADER_SENT.test(line));
}

/** The last line that is neither blank nor quoted (-1 when there is none). */
function lastContentLine(lines: string[]): number {
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = lines[index]!.trim();
    if (line !== '' && !line.startsWith('>')) return index;
  }
  return -1;
}
