import { crc32 } from 'node:zlib';

/**
 * Real (small) files, built byte by byte, for the attachment policy: the signatures and
 * containers a sniffer and an office suite read, with nothing borrowed from a library.
 */

export const pdf = (body = 'Surat permohonan izin usaha'): Buffer =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${body}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );

/** A 1x1 transparent PNG. */
export const png = (): Buffer =>
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );

/** A JPEG start of image and JFIF header, then `body`, then end of image. */
export const jpeg = (body: Buffer = Buffer.alloc(0)): Buffer =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01]),
    Buffer.from([0x00, 0x01, 0x00, 0x00]),
    body,
    Buffer.from([0xff, 0xd9]),
  ]);

/** A 1x1 GIF89a. */
export const gif = (): Buffer => Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export const webp = (): Buffer => {
  const chunk = Buffer.concat([Buffer.from('VP8L'), u32(5), Buffer.from([0x2f, 0x00, 0x00, 0x00, 0x00, 0x00])]);
  return Buffer.concat([Buffer.from('RIFF'), u32(4 + chunk.length), Buffer.from('WEBP'), chunk]);
};

/** An ISO base media `ftyp` box of an iPhone photo, then an empty `meta` box. */
export const heic = (): Buffer =>
  Buffer.concat([u32be(24), Buffer.from('ftypheic'), u32be(0), Buffer.from('mif1heic'), u32be(8), Buffer.from('meta')]);

/** A little-endian TIFF with one empty directory. */
export const tiff = (): Buffer => Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0, 0, 0, 0]);

/** A 1x1 24-bit BMP (BITMAPINFOHEADER). */
export const bmp = (): Buffer => {
  const info = Buffer.alloc(40);
  info.writeUInt32LE(40, 0);
  info.writeInt32LE(1, 4);
  info.writeInt32LE(1, 8);
  info.writeUInt16LE(1, 12);
  info.writeUInt16LE(24, 14);
  const pixels = Buffer.from([0xff, 0xff, 0xff, 0x00]);
  return Buffer.concat([Buffer.from('BM'), u32(14 + 40 + 4), u32(0), u32(54), info, pixels]);
};

/** A DOS/Windows program's header: `MZ`, then the PE offset at 0x3C and `PE\0\0`. */
export const windowsProgram = (): Buffer => {
  const bytes = Buffer.alloc(256);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\0\0', 0x80, 'latin1');
  return bytes;
};

/** A 64-bit Linux ELF header. */
export const elf = (): Buffer => {
  const bytes = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]).copy(bytes);
  bytes.writeUInt16LE(2, 16); // ET_EXEC
  bytes.writeUInt16LE(0x3e, 18); // x86-64
  return bytes;
};

/** An ISO 9660 image: 16 system sectors, then the primary volume descriptor `\x01CD001`. */
export const iso = (): Buffer => {
  const bytes = Buffer.alloc(32768 + 2048);
  bytes.write('\x01CD001\x01', 32768, 'latin1');
  return bytes;
};

/** A raw disk image: a master boot record with its 55 AA signature. */
export const diskImage = (): Buffer => {
  const bytes = Buffer.alloc(4096);
  bytes[510] = 0x55;
  bytes[511] = 0xaa;
  return bytes;
};

/** A fixed VHD: the data, then the 512-byte footer `conectix`. */
export const vhd = (): Buffer => {
  const bytes = Buffer.alloc(4096 + 512);
  bytes.write('conectix', 4096, 'latin1');
  return bytes;
};

export interface ZipEntry {
  name: string;
  data: string | Buffer;
  /** Only in its local header, left out of the central directory (a smuggler's trick). */
  unlisted?: boolean;
}

/** A ZIP of stored (uncompressed) entries, local headers then the central directory. */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    offset += 30 + name.length + data.length;
    if (entry.unlisted) continue;
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset - (30 + name.length + data.length), 42);
    centrals.push(central, name);
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const listed = entries.filter((entry) => !entry.unlisted).length;
  end.writeUInt16LE(listed, 8);
  end.writeUInt16LE(listed, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const OOXML_MAIN = {
  word: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
  wordMacro: 'application/vnd.ms-word.document.macroEnabled.main+xml',
  xl: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
  xlMacro: 'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
  ppt: 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
};

function ooxml(main: string, part: string, extra: ZipEntry[]): Buffer {
  return zip([
    {
      name: '[Content_Types].xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/${part}" ContentType="${main}"/></Types>`,
    },
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${part}"/></Relationships>`,
    },
    { name: part, data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><document/>' },
    ...extra,
  ]);
}

export const docx = (extra: ZipEntry[] = []) => ooxml(OOXML_MAIN.word, 'word/document.xml', extra);
export const docm = () =>
  ooxml(OOXML_MAIN.wordMacro, 'word/document.xml', [{ name: 'word/vbaProject.bin', data: 'VBA' }]);
export const xlsx = (extra: ZipEntry[] = []) => ooxml(OOXML_MAIN.xl, 'xl/workbook.xml', extra);
export const xlsm = () => ooxml(OOXML_MAIN.xlMacro, 'xl/workbook.xml', [{ name: 'xl/vbaProject.bin', data: 'VBA' }]);
export const pptx = () => ooxml(OOXML_MAIN.ppt, 'ppt/presentation.xml', []);

/** An OpenDocument file: `mimetype` first, stored, as the format requires. */
export const openDocument = (mimetype: string, extra: ZipEntry[] = []) =>
  zip([
    { name: 'mimetype', data: mimetype },
    { name: 'content.xml', data: '<?xml version="1.0" encoding="UTF-8"?><office:document-content/>' },
    { name: 'META-INF/manifest.xml', data: '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest/>' },
    ...extra,
  ]);

export const apk = () =>
  zip([
    { name: 'AndroidManifest.xml', data: Buffer.from([0x03, 0x00, 0x08, 0x00]) },
    { name: 'classes.dex', data: 'dex\n035\0' },
  ]);

export interface CfbNode {
  name: string;
  /** A stream's bytes; without them (and with `children`) a storage. */
  data?: Buffer;
  children?: CfbNode[];
}

const END_OF_CHAIN = 0xfffffffe;
const NO_STREAM = 0xffffffff;

/**
 * A version 3 Compound File (MS-CFB, 512-byte sectors): streams under 4096 bytes in the mini
 * stream, the others in sectors of their own; siblings chained by their right links (a valid,
 * if lopsided, tree).
 */
export function compoundFile(nodes: CfbNode[], options: { rootClsid?: Buffer } = {}): Buffer {
  interface Entry {
    name: string;
    type: number;
    data?: Buffer;
    right: number;
    child: number;
    start: number;
    size: number;
    clsid?: Buffer;
  }
  const entries: Entry[] = [
    { name: 'Root Entry', type: 5, right: NO_STREAM, child: NO_STREAM, start: END_OF_CHAIN, size: 0 },
  ];
  const add = (siblings: CfbNode[]): number => {
    const ids = siblings.map((node) => {
      entries.push({
        name: node.name,
        type: node.data ? 2 : 1,
        data: node.data,
        right: NO_STREAM,
        child: NO_STREAM,
        start: END_OF_CHAIN,
        size: node.data?.length ?? 0,
      });
      return entries.length - 1;
    });
    siblings.forEach((node, index) => {
      entries[ids[index]!]!.right = ids[index + 1] ?? NO_STREAM;
      if (node.children) entries[ids[index]!]!.child = add(node.children);
    });
    return ids[0] ?? NO_STREAM;
  };
  entries[0]!.child = add(nodes);
  entries[0]!.clsid = options.rootClsid;

  const sectors: Buffer[] = [];
  const fat: number[] = [];
  const allocate = (bytes: Buffer): number => {
    if (bytes.length === 0) return END_OF_CHAIN;
    const start = sectors.length;
    for (let at = 0; at < bytes.length; at += 512) {
      const sector = Buffer.alloc(512);
      bytes.copy(sector, 0, at, Math.min(at + 512, bytes.length));
      sectors.push(sector);
      fat.push(at + 512 < bytes.length ? sectors.length : END_OF_CHAIN);
    }
    return start;
  };

  const mini: Buffer[] = [];
  const miniFat: number[] = [];
  for (const entry of entries) {
    if (!entry.data || entry.data.length === 0) continue;
    if (entry.data.length < 4096) {
      entry.start = mini.length;
      for (let at = 0; at < entry.data.length; at += 64) {
        const sector = Buffer.alloc(64);
        entry.data.copy(sector, 0, at, Math.min(at + 64, entry.data.length));
        mini.push(sector);
        miniFat.push(at + 64 < entry.data.length ? mini.length : END_OF_CHAIN);
      }
    } else {
      entry.start = allocate(entry.data);
    }
  }
  const ministream = Buffer.concat(mini);
  entries[0]!.start = allocate(ministream);
  entries[0]!.size = ministream.length;
  const miniFatBytes = Buffer.alloc(Math.ceil((miniFat.length * 4) / 512) * 512, 0xff);
  for (const [index, next] of miniFat.entries()) miniFatBytes.writeUInt32LE(next, index * 4);
  const firstMiniFat = allocate(miniFatBytes);

  const directory = Buffer.alloc(Math.ceil(entries.length / 4) * 512);
  for (let id = 0; id < directory.length / 128; id++) {
    const at = id * 128;
    const entry = entries[id];
    directory.writeUInt32LE(NO_STREAM, at + 0x44);
    directory.writeUInt32LE(NO_STREAM, at + 0x48);
    directory.writeUInt32LE(NO_STREAM, at + 0x4c);
    if (!entry) continue;
    const name = Buffer.from(`${entry.name}\0`, 'utf16le');
    name.copy(directory, at);
    directory.writeUInt16LE(name.length, at + 0x40);
    directory[at + 0x42] = entry.type;
    directory[at + 0x43] = 1; // black
    directory.writeUInt32LE(entry.right, at + 0x48);
    directory.writeUInt32LE(entry.child, at + 0x4c);
    entry.clsid?.copy(directory, at + 0x50);
    directory.writeUInt32LE(entry.start, at + 0x74);
    directory.writeUInt32LE(entry.size, at + 0x78);
  }
  const firstDirectory = allocate(directory);

  // The FAT's own sectors come last, marked FATSECT in the FAT itself.
  let fatSectorCount = 1;
  while (sectors.length + fatSectorCount > fatSectorCount * 128) fatSectorCount++;
  const fatIds: number[] = [];
  for (let index = 0; index < fatSectorCount; index++) {
    fatIds.push(sectors.length + index);
    fat.push(0xfffffffd);
  }
  const fatBytes = Buffer.alloc(fatSectorCount * 512, 0xff);
  for (const [index, next] of fat.entries()) fatBytes.writeUInt32LE(next, index * 4);
  for (let at = 0; at < fatBytes.length; at += 512) sectors.push(fatBytes.subarray(at, at + 512));

  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(fatSectorCount, 0x2c);
  header.writeUInt32LE(firstDirectory, 0x30);
  header.writeUInt32LE(4096, 0x38);
  header.writeUInt32LE(firstMiniFat, 0x3c);
  header.writeUInt32LE(miniFatBytes.length / 512, 0x40);
  header.writeUInt32LE(END_OF_CHAIN, 0x44);
  header.writeUInt32LE(0, 0x48);
  for (let index = 0; index < 109; index++) header.writeUInt32LE(fatIds[index] ?? NO_STREAM, 0x4c + index * 4);
  return Buffer.concat([header, ...sectors]);
}

/** A BIFF record: type, length, data. */
const record = (type: number, data: Buffer): Buffer => {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(type, 0);
  head.writeUInt16LE(data.length, 2);
  return Buffer.concat([head, data]);
};

/**
 * An Excel 97 Workbook stream's globals: BOF, one BoundSheet per sheet type given (0 worksheet,
 * 1 Excel 4.0 macro sheet), an optional FILEPASS, EOF; padded to `size` bytes.
 */
export function workbookStream(sheetTypes: number[], options: { encrypted?: boolean; size?: number } = {}): Buffer {
  const bof = Buffer.alloc(16);
  bof.writeUInt16LE(0x0600, 0);
  bof.writeUInt16LE(0x0005, 2);
  const records = [record(0x0809, bof)];
  if (options.encrypted) records.push(record(0x002f, Buffer.alloc(54)));
  sheetTypes.forEach((sheetType, index) => {
    const name = Buffer.from(`Sheet${index + 1}`, 'latin1');
    const data = Buffer.concat([Buffer.from([0, 0, 0, 0, 0, sheetType, name.length, 0]), name]);
    records.push(record(0x0085, data));
  });
  records.push(record(0x000a, Buffer.alloc(0)));
  const stream = Buffer.concat(records);
  return options.size && options.size > stream.length
    ? Buffer.concat([stream, Buffer.alloc(options.size - stream.length)])
    : stream;
}

/** A PowerPoint Document stream: a DocumentContainer holding a DocumentAtom, and maybe a VBAInfoContainer. */
export function powerPointStream(withVba: boolean): Buffer {
  const header = (version: number, type: number, length: number) => {
    const bytes = Buffer.alloc(8);
    bytes.writeUInt16LE(version, 0);
    bytes.writeUInt16LE(type, 2);
    bytes.writeUInt32LE(length, 4);
    return bytes;
  };
  const atom = Buffer.concat([header(0x01, 0x03e9, 40), Buffer.alloc(40)]);
  const vbaAtom = Buffer.concat([header(0x02, 0x0400, 12), Buffer.alloc(12)]);
  const vba = withVba ? Buffer.concat([header(0x0f, 0x03ff, vbaAtom.length), vbaAtom]) : Buffer.alloc(0);
  const children = Buffer.concat([atom, vba]);
  return Buffer.concat([header(0x0f, 0x03e8, children.length), children]);
}

/** The root CLSID of Windows Installer packages, {000C1084-0000-0000-C000-000000000046}. */
export const MSI_CLSID = Buffer.from([
  0x84, 0x10, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
]);

const u32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value, 0);
  return bytes;
};
const u32be = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value, 0);
  return bytes;
};
