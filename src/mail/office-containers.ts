/**
 * Just enough of the two containers office documents come in to see what is inside them: the
 * entry names of a ZIP (OOXML, OpenDocument) from its central directory, and the directory and
 * streams of a Compound File (legacy .doc/.xls/.ppt, MS-CFB). Nothing is decompressed or
 * interpreted beyond that.
 *
 * The bytes come from outside: every walk is bounded by the size of the file. A ZIP walk moves
 * forward on each entry; a Compound File chain takes at most as many steps as the file has
 * sectors, so a loop in a crafted sector table ends the walk (as unreadable) instead of hanging.
 * Anything malformed gives `undefined`, never an exception.
 */

const ZIP_END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP_CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const ZIP_MAX_COMMENT = 0xffff;

/** The names of a ZIP's entries, from its central directory; undefined when there is none to read. */
export function zipEntryNames(bytes: Buffer): string[] | undefined {
  if (bytes.length < 22) return undefined;
  let end = -1;
  const lowest = Math.max(0, bytes.length - 22 - ZIP_MAX_COMMENT);
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (bytes.readUInt32LE(at) === ZIP_END_OF_CENTRAL_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) return undefined;
  const count = bytes.readUInt16LE(end + 10);
  const size = bytes.readUInt32LE(end + 12);
  const offset = bytes.readUInt32LE(end + 16);
  // ZIP64 (markers 0xFFFF / 0xFFFFFFFF): no office document of a mail attachment's size needs it.
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) return undefined;
  const limit = offset + size;
  if (limit > end) return undefined;
  const names: string[] = [];
  let at = offset;
  for (let index = 0; index < count; index++) {
    if (at + 46 > limit || bytes.readUInt32LE(at) !== ZIP_CENTRAL_DIRECTORY_HEADER) return undefined;
    const nameEnd = at + 46 + bytes.readUInt16LE(at + 28);
    if (nameEnd > limit) return undefined;
    names.push(bytes.toString('utf8', at + 46, nameEnd));
    at = nameEnd + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return names;
}

const CFB_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const END_OF_CHAIN = 0xfffffffe;
const NO_STREAM = 0xffffffff;
const MINI_SECTOR_SIZE = 64;
const MINI_STREAM_CUTOFF = 4096;
const ENTRY_SIZE = 128;

export interface CompoundEntry {
  /** As stored (UTF-16); compare case-insensitively, as the format does. */
  name: string;
  type: 'storage' | 'stream' | 'root';
  /** Index in the directory. */
  id: number;
  start: number;
  size: number;
  left: number;
  right: number;
  child: number;
  /** The class id, as 32 hex digits in stored byte order. */
  clsid: string;
}

const ENTRY_TYPES: Record<number, CompoundEntry['type'] | undefined> = { 1: 'storage', 2: 'stream', 5: 'root' };

/** A Compound File (MS-CFB) read in place: its directory entries, and any stream's bytes on demand. */
export class CompoundFile {
  private constructor(
    private readonly bytes: Buffer,
    private readonly sectorShift: number,
    private readonly sectorCount: number,
    private readonly fatSectors: number[],
    private readonly firstMiniFatSector: number,
    /** Every entry of the directory, by id (unused slots left out of the tree walks). */
    readonly entries: Array<CompoundEntry | undefined>,
  ) {}

  static open(bytes: Buffer): CompoundFile | undefined {
    if (bytes.length < 512 || !bytes.subarray(0, 8).equals(CFB_SIGNATURE)) return undefined;
    if (bytes.readUInt16LE(0x1c) !== 0xfffe) return undefined;
    const sectorShift = bytes.readUInt16LE(0x1e);
    if (sectorShift !== 9 && sectorShift !== 12) return undefined;
    const sectorSize = 1 << sectorShift;
    const sectorCount = Math.ceil((bytes.length - sectorSize) / sectorSize);
    if (sectorCount <= 0) return undefined;
    const fatSectorCount = bytes.readUInt32LE(0x2c);
    if (fatSectorCount > sectorCount) return undefined;

    // The FAT's own sectors: the first 109 listed in the header, the rest in the DIFAT chain.
    const fatSectors: number[] = [];
    for (let index = 0; index < 109 && fatSectors.length < fatSectorCount; index++)
      fatSectors.push(bytes.readUInt32LE(0x4c + index * 4));
    let difat = bytes.readUInt32LE(0x44);
    const perDifat = sectorSize / 4 - 1;
    for (let steps = 0; fatSectors.length < fatSectorCount; steps++) {
      if (difat >= sectorCount || steps > sectorCount) return undefined;
      const base = (difat + 1) * sectorSize;
      if (base + sectorSize > bytes.length) return undefined;
      for (let index = 0; index < perDifat && fatSectors.length < fatSectorCount; index++)
        fatSectors.push(bytes.readUInt32LE(base + index * 4));
      difat = bytes.readUInt32LE(base + perDifat * 4);
    }
    if (fatSectors.some((sector) => sector >= sectorCount)) return undefined;

    const file = new CompoundFile(bytes, sectorShift, sectorCount, fatSectors, bytes.readUInt32LE(0x3c), []);
    const directory = file.chainBytes(bytes.readUInt32LE(0x30));
    if (!directory) return undefined;
    for (let id = 0; (id + 1) * ENTRY_SIZE <= directory.length; id++) {
      const at = id * ENTRY_SIZE;
      const type = ENTRY_TYPES[directory[at + 0x42]!];
      const nameLength = directory.readUInt16LE(at + 0x40);
      if (!type || nameLength < 2 || nameLength > 64 || nameLength % 2 !== 0) {
        file.entries.push(undefined);
        continue;
      }
      file.entries.push({
        name: directory.toString('utf16le', at, at + nameLength - 2),
        type,
        id,
        left: directory.readUInt32LE(at + 0x44),
        right: directory.readUInt32LE(at + 0x48),
        child: directory.readUInt32LE(at + 0x4c),
        clsid: directory.toString('hex', at + 0x50, at + 0x60),
        start: directory.readUInt32LE(at + 0x74),
        // Version 4 keeps 64 bits (version 3 writers may leave junk in the high half): a size
        // over 4 GiB cannot be in a file this size anyway.
        size:
          sectorShift === 9 || directory.readUInt32LE(at + 0x7c) === 0
            ? directory.readUInt32LE(at + 0x78)
            : Number.MAX_SAFE_INTEGER,
      });
    }
    if (file.entries[0]?.type !== 'root') return undefined;
    return file;
  }

  get root(): CompoundEntry {
    return this.entries[0]!;
  }

  /** The entries directly inside a storage (or the root): its red-black tree of children, walked once. */
  children(storage: CompoundEntry): CompoundEntry[] {
    const found: CompoundEntry[] = [];
    const seen = new Set<number>();
    const pending = [storage.child];
    while (pending.length > 0) {
      const id = pending.pop()!;
      if (id === NO_STREAM || seen.has(id)) continue;
      seen.add(id);
      const entry = this.entries[id];
      if (!entry || entry.type === 'root') continue;
      found.push(entry);
      pending.push(entry.left, entry.right);
    }
    return found;
  }

  /** A stream's bytes, from the mini stream when it is small; undefined when its chain is broken. */
  read(entry: CompoundEntry): Buffer | undefined {
    if (entry.type === 'stream' && entry.size < MINI_STREAM_CUTOFF) {
      const ministream = this.chainBytes(this.root.start, this.root.size);
      const miniFat = this.chainBytes(this.firstMiniFatSector);
      if (!ministream || !miniFat) return undefined;
      const parts: Buffer[] = [];
      let sector = entry.start;
      for (let taken = 0; taken < entry.size; taken += MINI_SECTOR_SIZE) {
        const at = sector * MINI_SECTOR_SIZE;
        if (at + MINI_SECTOR_SIZE > ministream.length || (sector + 1) * 4 > miniFat.length) return undefined;
        parts.push(ministream.subarray(at, at + MINI_SECTOR_SIZE));
        sector = miniFat.readUInt32LE(sector * 4);
      }
      return Buffer.concat(parts).subarray(0, entry.size);
    }
    return this.chainBytes(entry.start, entry.size);
  }

  /** The sectors of a FAT chain, joined (and cut to `size` if given). */
  private chainBytes(start: number, size?: number): Buffer | undefined {
    const sectorSize = 1 << this.sectorShift;
    const perFatSector = sectorSize / 4;
    const parts: Buffer[] = [];
    let sector = start;
    for (let steps = 0; sector !== END_OF_CHAIN; steps++) {
      if (size !== undefined && steps * sectorSize >= size) break;
      if (sector >= this.sectorCount || steps >= this.sectorCount) return undefined;
      const at = (sector + 1) * sectorSize;
      parts.push(this.bytes.subarray(at, at + sectorSize));
      const fatSector = this.fatSectors[Math.floor(sector / perFatSector)];
      if (fatSector === undefined) return undefined;
      const entryAt = (fatSector + 1) * sectorSize + (sector % perFatSector) * 4;
      if (entryAt + 4 > this.bytes.length) return undefined;
      sector = this.bytes.readUInt32LE(entryAt);
    }
    const joined = Buffer.concat(parts);
    if (size === undefined) return joined;
    return joined.length >= size ? joined.subarray(0, size) : undefined;
  }
}
