import { isUtf8 } from 'node:buffer';
import { fileTypeFromBuffer } from 'file-type';
import { CompoundFile, zipEntryNames, type CompoundEntry } from '../mail/office-containers.js';

/**
 * Which attachments Satu Pintu keeps: an allow-list of what a public-service office needs, told
 * from the bytes alone. The declared content type is ignored and the declared name is only a
 * label (and, for text, what kind of text it claims to be); neither can make a file acceptable.
 *
 * Kept:
 * - PDF;
 * - images: JPEG, PNG, GIF, WebP, HEIC/HEIF, TIFF, BMP;
 * - office documents without macros: OOXML (.docx, .xlsx, .pptx) with no VBA project, Excel 4.0
 *   macro sheet, ActiveX control or embedded OLE object; OpenDocument (.odt, .ods, .odp) with no
 *   Basic or script library; legacy Word, Excel and PowerPoint (.doc, .xls, .ppt) with no VBA
 *   project, macro sheet or embedded package, and not encrypted (it could not be checked);
 * - text and CSV: valid UTF-8 (ASCII included) without NUL bytes, not markup (a first character
 *   `<` is HTML, SVG or XML) and not named as a script or a web page.
 * Everything else (programs, archives, disk images, web pages, media...) is refused.
 *
 * The content type recorded is the sniffed one, so the file can be served as what it is. The
 * display name is the declared one cleaned (see `cleanFilename`), with the extension of the
 * sniffed type: when the declared extension is not one of that type's, it is replaced
 * (`foto.pdf` that is a JPEG becomes `foto.jpg`), so the name never claims another type; a name
 * without an extension gets one (`lampiran` → `lampiran.pdf`). Replacing rather than appending
 * (`foto.pdf.jpg`) avoids the double extension that reads as `foto.pdf` where extensions are
 * hidden.
 *
 * Linear in the size of the file: file-type reads a bounded prefix (and a ZIP's first entries),
 * the container walks are bounded by the file's size, the text checks are single passes.
 */

export type RefusalCode =
  | 'program'
  | 'macro'
  | 'embedded_object'
  | 'script'
  | 'web_page'
  | 'encrypted'
  | 'unreadable'
  | 'not_allowed';

export type AttachmentVerdict =
  | { accepted: true; contentType: string; displayName: string }
  | {
      accepted: false;
      code: RefusalCode;
      /** Why, in Bahasa Indonesia, for the note the citizen and the agent read. */
      reason: string;
      /** The declared name, cleaned, to name the file in that note. */
      name: string;
    };

const REASONS: Record<RefusalCode, { id: string; en: string }> = {
  program: { id: 'berkas program tidak diterima', en: 'programs are not accepted' },
  macro: {
    id: 'dokumen bermakro tidak diterima; kirim sebagai PDF atau dokumen tanpa makro',
    en: 'documents with macros are not accepted; send a PDF or a document without macros',
  },
  embedded_object: {
    id: 'dokumen berisi objek tertanam (OLE) tidak diterima; kirim sebagai PDF',
    en: 'documents with embedded (OLE) objects are not accepted; send a PDF',
  },
  script: { id: 'berkas skrip atau program tidak diterima', en: 'scripts and programs are not accepted' },
  web_page: {
    id: 'halaman web (HTML/SVG/XML) tidak diterima; kirim sebagai PDF',
    en: 'web pages (HTML/SVG/XML) are not accepted; send a PDF',
  },
  encrypted: {
    id: 'dokumen bersandi tidak dapat diperiksa; hapus sandinya atau kirim sebagai PDF',
    en: 'a password-protected document cannot be checked; remove the password or send a PDF',
  },
  unreadable: { id: 'isi berkas rusak atau tidak dapat diperiksa', en: 'the file is damaged or cannot be checked' },
  not_allowed: {
    id: 'jenis berkas tidak diterima (yang diterima: PDF, gambar, dokumen Office atau OpenDocument tanpa makro, teks atau CSV)',
    en: 'this type of file is not accepted (accepted: PDF, images, Office or OpenDocument documents without macros, text or CSV)',
  },
};

/** The reason for a refusal in English, for API answers. */
export const refusalInEnglish = (code: RefusalCode): string => REASONS[code].en;

interface AllowedType {
  contentType: string;
  /** The first is the one a display name is given. */
  extensions: readonly string[];
}

const PDF: AllowedType = { contentType: 'application/pdf', extensions: ['pdf'] };
const TEXT: AllowedType = { contentType: 'text/plain; charset=utf-8', extensions: ['txt'] };
const CSV: AllowedType = { contentType: 'text/csv; charset=utf-8', extensions: ['csv'] };
const DOC: AllowedType = { contentType: 'application/msword', extensions: ['doc'] };
const XLS: AllowedType = { contentType: 'application/vnd.ms-excel', extensions: ['xls'] };
const PPT: AllowedType = { contentType: 'application/vnd.ms-powerpoint', extensions: ['ppt'] };

/** By the MIME type file-type reports. */
const SNIFFED: Record<string, AllowedType> = {
  'application/pdf': PDF,
  'image/jpeg': { contentType: 'image/jpeg', extensions: ['jpg', 'jpeg', 'jpe', 'jfif'] },
  'image/png': { contentType: 'image/png', extensions: ['png'] },
  // An animated PNG is a PNG to anything that does not know APNG.
  'image/apng': { contentType: 'image/png', extensions: ['png', 'apng'] },
  'image/gif': { contentType: 'image/gif', extensions: ['gif'] },
  'image/webp': { contentType: 'image/webp', extensions: ['webp'] },
  'image/heic': { contentType: 'image/heic', extensions: ['heic', 'heif'] },
  'image/heif': { contentType: 'image/heif', extensions: ['heif', 'heic'] },
  'image/tiff': { contentType: 'image/tiff', extensions: ['tif', 'tiff'] },
  'image/bmp': { contentType: 'image/bmp', extensions: ['bmp', 'dib'] },
};

const OOXML: Record<string, AllowedType> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['xlsx'],
  },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': {
    contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    extensions: ['pptx'],
  },
};

const OPENDOCUMENT: Record<string, AllowedType> = {
  'application/vnd.oasis.opendocument.text': {
    contentType: 'application/vnd.oasis.opendocument.text',
    extensions: ['odt'],
  },
  'application/vnd.oasis.opendocument.spreadsheet': {
    contentType: 'application/vnd.oasis.opendocument.spreadsheet',
    extensions: ['ods'],
  },
  'application/vnd.oasis.opendocument.presentation': {
    contentType: 'application/vnd.oasis.opendocument.presentation',
    extensions: ['odp'],
  },
};

/**
 * Every content type the policy records: what a kept file may be served as. Anything else in the
 * attachments table (a provider's media, a row older than the policy) is served as bytes to save.
 */
export const KEPT_CONTENT_TYPES: ReadonlySet<string> = new Set(
  [
    PDF,
    TEXT,
    CSV,
    DOC,
    XLS,
    PPT,
    ...Object.values(SNIFFED),
    ...Object.values(OOXML),
    ...Object.values(OPENDOCUMENT),
  ].map((type) => type.contentType),
);

/** file-type extensions of things that run. */
const PROGRAMS = new Set([
  'exe',
  'elf',
  'macho',
  'apk',
  'jar',
  'class',
  'dex',
  'wasm',
  'lnk',
  'chm',
  'swf',
  'crx',
  'xpi',
  'deb',
  'rpm',
  'dmg',
  'msi',
  'cab',
  'pkg',
  'ar',
  'reg',
  'asar',
]);
const MACRO_ENABLED = new Set(['docm', 'dotm', 'xlsm', 'xltm', 'pptm', 'potm', 'ppsm']);

/**
 * Names text claims that make it something to run or render (the bytes of a script are just
 * text): refused rather than kept as `.txt`. SYLK and web queries are text Excel executes.
 */
const SCRIPT_EXTENSIONS = new Set(
  (
    'bat cmd com exe scr pif msi msp mst cpl hta jar js jse mjs cjs vbs vbe wsf wsh wsc ws ps1 psm1 psd1 ps1xml ' +
    'psc1 lnk reg inf scf url sh bash zsh csh ksh command py pyw pl rb php phtml asp aspx jsp cgi ' +
    'application appref-ms gadget settingcontent-ms library-ms desktop slk iqy'
  ).split(' '),
);
const WEB_PAGE_EXTENSIONS = new Set('html htm xhtml shtml mht mhtml svg svgz xml xsl xslt'.split(' '));

const DEFAULT_NAME = 'lampiran';
const MAX_NAME = 150;

/** Decides whether an attachment is kept, and as what. */
export async function classifyAttachment(input: { filename?: string; content: Buffer }): Promise<AttachmentVerdict> {
  const name = splitName(input.filename);
  const outcome = await sniff(input.content, name.extension?.toLowerCase());
  if ('refused' in outcome) {
    const { id } = REASONS[outcome.refused];
    return { accepted: false, code: outcome.refused, reason: id, name: joinName(name) };
  }
  return { accepted: true, contentType: outcome.type.contentType, displayName: displayName(name, outcome.type) };
}

type Sniffed = { type: AllowedType } | { refused: RefusalCode };

async function sniff(content: Buffer, declaredExtension: string | undefined): Promise<Sniffed> {
  let sniffed: { ext: string; mime: string } | undefined;
  try {
    sniffed = await fileTypeFromBuffer(content);
  } catch {
    return { refused: 'unreadable' };
  }
  if (!sniffed) return textType(content, declaredExtension);
  const { ext, mime } = sniffed;
  if (mime === 'image/bmp' && !isBitmap(content)) return textType(content, declaredExtension); // "BM..." text
  const allowed = SNIFFED[mime];
  if (allowed) return { type: allowed };
  if (OOXML[mime]) return checkOoxml(content, OOXML[mime]);
  if (OPENDOCUMENT[mime]) return checkOpenDocument(content, OPENDOCUMENT[mime]);
  if (mime === 'application/x-cfb') return checkCompoundFile(content);
  if (MACRO_ENABLED.has(ext)) return { refused: 'macro' };
  if (PROGRAMS.has(ext)) return { refused: 'program' };
  if (ext === 'xml' || ext === 'html' || ext === 'svg') return { refused: 'web_page' };
  return { refused: 'not_allowed' };
}

/** Valid UTF-8 without NUL, not markup, not named as a script: text/plain, or text/csv if so named. */
function textType(content: Buffer, declaredExtension: string | undefined): Sniffed {
  if (content.includes(0) || !isUtf8(content)) return { refused: 'not_allowed' };
  if (startsWithMarkup(content) || (declaredExtension && WEB_PAGE_EXTENSIONS.has(declaredExtension)))
    return { refused: 'web_page' };
  if (declaredExtension && SCRIPT_EXTENSIONS.has(declaredExtension)) return { refused: 'script' };
  return { type: declaredExtension === 'csv' ? CSV : TEXT };
}

/** After a byte-order mark and white space, `<`: what browsers sniff as HTML or XML (SVG). */
function startsWithMarkup(content: Buffer): boolean {
  let at = content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf ? 3 : 0;
  while (at < content.length) {
    const byte = content[at]!;
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) return byte === 0x3c;
    at++;
  }
  return false;
}

/** file-type says BMP on the two bytes `BM`; a bitmap also has a DIB header of a known size. */
function isBitmap(content: Buffer): boolean {
  return content.length >= 26 && [12, 40, 52, 56, 64, 108, 124].includes(content.readUInt32LE(14));
}

/** Case-insensitive search of ASCII (or, widened, UTF-16LE) in the raw bytes: one pass. */
function rawIncludes(content: Buffer, needle: string, utf16 = false): boolean {
  const lowered = content.toString('latin1').toLowerCase();
  return lowered.includes(utf16 ? needle.split('').join('\0') : needle);
}

function checkOoxml(content: Buffer, type: AllowedType): Sniffed {
  const names = zipEntryNames(content)?.map((entry) => entry.toLowerCase());
  if (!names) return { refused: 'unreadable' };
  // The local headers too: a name left out of the central directory is still in the bytes.
  if (rawIncludes(content, 'vbaproject.bin')) return { refused: 'macro' };
  for (const entry of names) {
    if (entry.endsWith('vbaproject.bin') || entry.endsWith('vbadata.xml')) return { refused: 'macro' };
    if (entry.includes('macrosheets/') || entry.includes('activex/')) return { refused: 'macro' };
    if (entry.includes('embeddings/') && entry.endsWith('.bin')) return { refused: 'embedded_object' };
  }
  return { type };
}

function checkOpenDocument(content: Buffer, type: AllowedType): Sniffed {
  const names = zipEntryNames(content)?.map((entry) => entry.toLowerCase());
  if (!names) return { refused: 'unreadable' };
  if (names.some((entry) => entry.startsWith('basic/') || entry.startsWith('scripts/'))) return { refused: 'macro' };
  return { type };
}

const lower = (entry: CompoundEntry) => entry.name.toLowerCase();
const VBA_STORAGES = new Set(['_vba_project_cur', '_vba_project', 'macros', 'vba']);
const PACKAGE_STREAM = '\u0001ole10native';
// Windows Installer packages, patches and transforms ({000C1084-…}, {000C1086-…}, {000C1082-…}).
const INSTALLER_CLASSES = new Set(['84', '86', '82'].map((first) => `${first}100c0000000000c000000000000046`));
const VBA_INFO_CONTAINER = Buffer.from([0x0f, 0x00, 0xff, 0x03]);

/**
 * A legacy Office file: Word (WordDocument), Excel (Workbook, or Book before 97) or PowerPoint
 * (PowerPoint Document) at the top, and no VBA project, macro sheet or embedded package anywhere.
 * Other compound files (installers, Outlook items, encrypted OOXML) are not accepted.
 */
function checkCompoundFile(content: Buffer): Sniffed {
  const file = CompoundFile.open(content);
  if (!file) return { refused: 'unreadable' };
  if (INSTALLER_CLASSES.has(file.root.clsid)) return { refused: 'program' };
  const entries = file.entries.filter((entry): entry is CompoundEntry => entry !== undefined);
  if (entries.some((entry) => VBA_STORAGES.has(lower(entry))) || rawIncludes(content, '_vba_project', true))
    return { refused: 'macro' };
  if (entries.some((entry) => lower(entry) === PACKAGE_STREAM)) return { refused: 'embedded_object' };
  const top = new Map(file.children(file.root).map((entry) => [lower(entry), entry]));
  if (top.has('encryptedpackage')) return { refused: 'encrypted' };
  if (top.get('worddocument')?.type === 'stream') return { type: DOC };
  const workbook = top.get('workbook') ?? top.get('book');
  if (workbook?.type === 'stream') {
    const stream = file.read(workbook);
    if (!stream) return { refused: 'unreadable' };
    const verdict = checkWorkbookGlobals(stream);
    return verdict ? { refused: verdict } : { type: XLS };
  }
  const slides = top.get('powerpoint document');
  if (slides?.type === 'stream') {
    const stream = file.read(slides);
    if (!stream) return { refused: 'unreadable' };
    // The header of a VBAInfoContainer (recVer 0xF, recType 0x03FF), anywhere: PowerPoint keeps
    // the VBA project compressed inside this stream, not as storages of its own.
    if (stream.includes(VBA_INFO_CONTAINER)) return { refused: 'macro' };
    return { type: PPT };
  }
  return { refused: 'not_allowed' };
}

/**
 * The workbook globals of a BIFF stream, up to their EOF record: a sheet whose BoundSheet record
 * says macro sheet (Excel 4.0 macros, no VBA storage needed) or VBA module is a macro; FILEPASS
 * means the rest is encrypted and cannot be checked.
 */
function checkWorkbookGlobals(stream: Buffer): RefusalCode | undefined {
  const FILEPASS = 0x002f;
  const BOUNDSHEET = 0x0085;
  const EOF = 0x000a;
  let at = 0;
  while (at + 4 <= stream.length) {
    const type = stream.readUInt16LE(at);
    const length = stream.readUInt16LE(at + 2);
    if (type === FILEPASS) return 'encrypted';
    if (type === BOUNDSHEET && length >= 6 && at + 10 <= stream.length) {
      const sheetType = stream[at + 4 + 5];
      if (sheetType === 0x01 || sheetType === 0x06) return 'macro';
    }
    if (type === EOF) return undefined;
    at += 4 + length;
  }
  return undefined;
}

/**
 * A name safe to show and to save as: the part after the last `/` or `\`, cut at a NUL; no
 * control characters (C0, DEL, C1), no bidirectional controls or other invisible format
 * characters (which can make `invoice\u202Efdp.exe` read as `invoiceexe.pdf`), no line
 * separators; white space (line breaks included) as one space; the characters Windows refuses in names
 * (`<>:"|?*`) as `_`; no leading or trailing dots or spaces (Windows drops trailing ones, so
 * `evil.exe.` is `evil.exe`); Windows device names (`CON`, `NUL`...) defused; at most 150
 * characters, keeping the extension. An empty result is `lampiran`.
 */
export function cleanFilename(filename: string | undefined): string {
  return joinName(splitName(filename));
}

interface SplitName {
  stem: string;
  /** Without the dot; only when it looks like one (1 to 10 letters, digits or dashes, with a letter). */
  extension?: string;
}

/**
 * Outside text made safe to show in a note: cut at a NUL, white space as single spaces, no
 * control, format (bidi, zero-width), separator or lone surrogate characters, at most 150
 * characters.
 */
export function cleanLabel(value: string | undefined): string {
  return Array.from(visible(value ?? '').trim())
    .slice(0, MAX_NAME)
    .join('');
}

function visible(value: string): string {
  const nul = value.indexOf('\0');
  return (nul >= 0 ? value.slice(0, nul) : value)
    .slice(0, 1024)
    .replace(/\s/gu, ' ')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu, '')
    .normalize('NFC')
    .replace(/ {2,}/g, ' ');
}

function splitName(filename: string | undefined): SplitName {
  let name = visible(filename ?? '').replace(/[<>:"|?*]/g, '_');
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  name = trimDotsAndSpaces(name, false);
  const dot = name.lastIndexOf('.');
  const candidate = dot >= 0 ? name.slice(dot + 1) : '';
  if (dot < 0 || !looksLikeExtension(candidate)) return { stem: defuseDeviceName(trimDotsAndSpaces(name)) };
  return { stem: defuseDeviceName(trimDotsAndSpaces(name.slice(0, dot))), extension: candidate };
}

function looksLikeExtension(candidate: string): boolean {
  return candidate.length >= 1 && candidate.length <= 10 && /^[a-z0-9-]+$/i.test(candidate) && /[a-z]/i.test(candidate);
}

/** Trailing dots and spaces, and (unless told not to) leading ones: scanned, not a regular expression. */
function trimDotsAndSpaces(name: string, leading = true): string {
  let start = 0;
  let end = name.length;
  while (leading && start < end && (name[start] === '.' || name[start] === ' ')) start++;
  while (end > start && (name[end - 1] === '.' || name[end - 1] === ' ')) end--;
  return name.slice(start, end);
}

/** `CON`, `PRN`, `AUX`, `NUL`, `COM1`..., `LPT1`... name devices on Windows, whatever follows the dot. */
function defuseDeviceName(stem: string): string {
  const dot = stem.indexOf('.');
  const first = dot >= 0 ? stem.slice(0, dot) : stem;
  return /^(?:con|prn|aux|nul|com\d|lpt\d)$/i.test(first.trim()) ? `_${stem}` : stem;
}

function joinName({ stem, extension }: SplitName): string {
  return fitName(stem || DEFAULT_NAME, extension);
}

function displayName(name: SplitName, type: AllowedType): string {
  const declared = name.extension?.toLowerCase();
  if (declared && type.extensions.includes(declared)) return fitName(name.stem || DEFAULT_NAME, name.extension);
  // No extension, or another type's: the sniffed type's (replacing it; "v1.2" is no extension).
  return fitName(name.stem || DEFAULT_NAME, type.extensions[0]);
}

/** At most MAX_NAME characters (code points, never half a pair), the extension kept whole. */
function fitName(stem: string, extension: string | undefined): string {
  const suffix = extension ? `.${extension}` : '';
  const room = MAX_NAME - suffix.length;
  const characters = Array.from(stem);
  const fitted = characters.length > room ? trimDotsAndSpaces(characters.slice(0, room).join('')) : stem;
  return `${fitted || DEFAULT_NAME}${suffix}`;
}
