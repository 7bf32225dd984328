import { expect } from 'chai';
import { classifyAttachment, cleanFilename, type RefusalCode } from '../../src/messages/attachment-policy.js';
import {
  apk,
  bmp,
  compoundFile,
  diskImage,
  docm,
  docx,
  elf,
  gif,
  heic,
  iso,
  jpeg,
  MSI_CLSID,
  openDocument,
  pdf,
  png,
  powerPointStream,
  pptx,
  tiff,
  vhd,
  webp,
  windowsProgram,
  workbookStream,
  xlsm,
  xlsx,
  zip,
} from '../support/attachment-samples.js';
import { growthRatio } from '../support/linear-time.js';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX_TYPE = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const ODT = 'application/vnd.oasis.opendocument.text';
const ODS = 'application/vnd.oasis.opendocument.spreadsheet';
const ODP = 'application/vnd.oasis.opendocument.presentation';
const utf16 = (text: string) => Buffer.from(text, 'utf16le');
const text = (value: string) => Buffer.from(value, 'utf8');
const INDONESIAN =
  'Dengan hormat,\nSaya mengajukan permohonan izin usaha mikro di Kelurahan Cempaka Putih — mohon petunjuk. Terima kasih ✓';

describe('Attachment policy: an allow-list sniffed from the bytes', () => {
  describe('keeps what an office needs, with the sniffed type and a matching extension', () => {
    const accepted: Array<[string, string | undefined, () => Buffer, string, string]> = [
      ['a PDF', 'surat-permohonan.pdf', () => pdf(), 'application/pdf', 'surat-permohonan.pdf'],
      ['a PNG', 'denah.png', png, 'image/png', 'denah.png'],
      ['a JPEG', 'ktp.jpeg', () => jpeg(), 'image/jpeg', 'ktp.jpeg'],
      ['a GIF', 'peta.gif', gif, 'image/gif', 'peta.gif'],
      ['a WebP', 'foto.webp', webp, 'image/webp', 'foto.webp'],
      ['a HEIC', 'IMG_0001.HEIC', heic, 'image/heic', 'IMG_0001.HEIC'],
      ['a TIFF', 'pindaian.tiff', tiff, 'image/tiff', 'pindaian.tiff'],
      ['a BMP', 'tanda-tangan.bmp', bmp, 'image/bmp', 'tanda-tangan.bmp'],
      ['a DOCX', 'surat.docx', () => docx(), DOCX_TYPE, 'surat.docx'],
      ['an XLSX', 'anggaran.xlsx', () => xlsx(), XLSX_TYPE, 'anggaran.xlsx'],
      ['a PPTX', 'paparan.pptx', pptx, PPTX_TYPE, 'paparan.pptx'],
      ['an ODT', 'surat.odt', () => openDocument(ODT), ODT, 'surat.odt'],
      ['an ODS', 'tabel.ods', () => openDocument(ODS), ODS, 'tabel.ods'],
      ['an ODP', 'paparan.odp', () => openDocument(ODP), ODP, 'paparan.odp'],
      [
        'a legacy Word document',
        'surat.doc',
        () => compoundFile([{ name: 'WordDocument', data: Buffer.alloc(600, 0xec) }]),
        'application/msword',
        'surat.doc',
      ],
      [
        'a legacy Excel workbook (globals in the mini stream)',
        'data.xls',
        () => compoundFile([{ name: 'Workbook', data: workbookStream([0, 0]) }]),
        'application/vnd.ms-excel',
        'data.xls',
      ],
      [
        'a legacy Excel workbook (globals in sectors of their own)',
        'data.xls',
        () => compoundFile([{ name: 'Workbook', data: workbookStream([0], { size: 9000 }) }]),
        'application/vnd.ms-excel',
        'data.xls',
      ],
      [
        'a legacy PowerPoint presentation',
        'paparan.ppt',
        () =>
          compoundFile([
            { name: 'PowerPoint Document', data: powerPointStream(false) },
            { name: 'Current User', data: Buffer.alloc(40) },
          ]),
        'application/vnd.ms-powerpoint',
        'paparan.ppt',
      ],
      ['text in Indonesian (UTF-8)', 'catatan.txt', () => text(INDONESIAN), 'text/plain; charset=utf-8', 'catatan.txt'],
      [
        'a CSV',
        'daftar-pemohon.csv',
        () => text('nama;nik\nSari;3171\n'),
        'text/csv; charset=utf-8',
        'daftar-pemohon.csv',
      ],
      ['ASCII with a byte-order mark', 'bom.txt', () => text('\uFEFFhalo'), 'text/plain; charset=utf-8', 'bom.txt'],
      [
        'text starting "BM" (not a bitmap)',
        'bmkg.txt',
        () => text('BMKG: hujan lebat'),
        'text/plain; charset=utf-8',
        'bmkg.txt',
      ],
    ];
    for (const [what, filename, bytes, contentType, displayName] of accepted) {
      it(what, async () => {
        expect(await classifyAttachment({ filename, content: bytes() })).to.deep.equal({
          accepted: true,
          contentType,
          displayName,
        });
      });
    }
  });

  describe('refuses everything else, whatever the name says', () => {
    const macroDoc = () =>
      compoundFile([
        { name: 'WordDocument', data: Buffer.alloc(600, 0xec) },
        {
          name: 'Macros',
          children: [
            {
              name: 'VBA',
              children: [
                { name: '_VBA_PROJECT', data: Buffer.from([0xcc, 0x61, 0xff, 0xff]) },
                { name: 'dir', data: Buffer.alloc(100, 1) },
              ],
            },
            { name: 'PROJECT', data: text('ID="{00000000}"\r\n') },
          ],
        },
      ]);
    const refused: Array<[string, string | undefined, () => Buffer, RefusalCode]> = [
      ['a Windows program', 'setup.exe', windowsProgram, 'program'],
      ['a Windows program named as a PDF', 'surat.pdf', windowsProgram, 'program'],
      ['a Windows program without an extension', 'setup', windowsProgram, 'program'],
      ['a Windows program without a name', undefined, windowsProgram, 'program'],
      ['a program named "evil.exe." (trailing dot)', 'evil.exe.', windowsProgram, 'program'],
      ['a program named "evil.exe " (trailing space)', 'evil.exe ', windowsProgram, 'program'],
      ['a program named "evil.exe\\0.pdf"', 'evil.exe\0.pdf', windowsProgram, 'program'],
      ['a program behind a right-to-left override', 'invoice\u202Efdp.exe', windowsProgram, 'program'],
      ['the two bytes MZ', 'setup.exe', () => Buffer.from('MZ'), 'program'],
      ['a Linux program', 'run', elf, 'program'],
      ['an Android package', 'aplikasi.apk', apk, 'program'],
      ['an Android package named as a PDF', 'formulir.pdf', apk, 'program'],
      [
        'a Windows Installer package',
        'setup.msi',
        () => compoundFile([{ name: 'x', data: Buffer.alloc(8) }], { rootClsid: MSI_CLSID }),
        'program',
      ],
      ['an ISO image', 'dokumen.iso', iso, 'not_allowed'],
      ['a disk image', 'dokumen.img', diskImage, 'not_allowed'],
      ['a VHD', 'dokumen.vhd', vhd, 'not_allowed'],
      ['a plain ZIP', 'berkas.zip', () => zip([{ name: 'surat.pdf', data: pdf() }]), 'not_allowed'],
      [
        'a ZIP with an Android manifest only',
        'berkas.zip',
        () => zip([{ name: 'AndroidManifest.xml', data: 'x' }]),
        'not_allowed',
      ],
      ['a DOCM', 'surat.docm', docm, 'macro'],
      ['a DOCM named .docx', 'surat.docx', docm, 'macro'],
      ['an XLSM', 'anggaran.xlsm', xlsm, 'macro'],
      [
        'a DOCX holding word/vbaProject.bin',
        'surat.docx',
        () => docx([{ name: 'word/vbaProject.bin', data: 'VBA' }]),
        'macro',
      ],
      [
        'a DOCX holding a VBA project in another case',
        'surat.docx',
        () => docx([{ name: 'word/VBAPROJECT.BIN', data: 'VBA' }]),
        'macro',
      ],
      [
        'a DOCX whose VBA project is left out of the central directory',
        'surat.docx',
        () => docx([{ name: 'word/vbaProject.bin', data: 'VBA', unlisted: true }]),
        'macro',
      ],
      [
        'an XLSX with an Excel 4.0 macro sheet',
        'data.xlsx',
        () => xlsx([{ name: 'xl/macrosheets/sheet1.xml', data: '<xm/>' }]),
        'macro',
      ],
      [
        'a DOCX with an ActiveX control',
        'surat.docx',
        () => docx([{ name: 'word/activeX/activeX1.xml', data: '<ax/>' }]),
        'macro',
      ],
      [
        'a DOCX with an embedded OLE object',
        'surat.docx',
        () => docx([{ name: 'word/embeddings/oleObject1.bin', data: 'ole' }]),
        'embedded_object',
      ],
      [
        'an ODT with a Basic library',
        'surat.odt',
        () => openDocument(ODT, [{ name: 'Basic/Standard/Module1.xml', data: '<m/>' }]),
        'macro',
      ],
      ['a legacy Word document with a VBA project', 'surat.doc', macroDoc, 'macro'],
      [
        'a legacy Word document with a Macros storage but no _VBA_PROJECT stream',
        'surat.doc',
        () =>
          compoundFile([
            { name: 'WordDocument', data: Buffer.alloc(600, 0xec) },
            { name: 'Macros', children: [{ name: 'PROJECT', data: text('Module=Module1\r\n') }] },
          ]),
        'macro',
      ],
      [
        'a legacy Excel workbook with a VBA project',
        'data.xls',
        () =>
          compoundFile([
            { name: 'Workbook', data: workbookStream([0]) },
            { name: '_VBA_PROJECT_CUR', children: [{ name: 'PROJECT', data: text('x') }] },
          ]),
        'macro',
      ],
      [
        'a legacy Excel workbook with an Excel 4.0 macro sheet',
        'data.xls',
        () => compoundFile([{ name: 'Workbook', data: workbookStream([0, 1]) }]),
        'macro',
      ],
      [
        'a large legacy Excel workbook with an Excel 4.0 macro sheet',
        'data.xls',
        () => compoundFile([{ name: 'Workbook', data: workbookStream([1], { size: 9000 }) }]),
        'macro',
      ],
      [
        'a legacy PowerPoint presentation with a VBA project',
        'paparan.ppt',
        () => compoundFile([{ name: 'PowerPoint Document', data: powerPointStream(true) }]),
        'macro',
      ],
      [
        'a legacy document naming a VBA project (UTF-16) anywhere in its bytes',
        'surat.doc',
        () => compoundFile([{ name: 'WordDocument', data: Buffer.concat([Buffer.alloc(64), utf16('_VBA_PROJECT')]) }]),
        'macro',
      ],
      [
        'a legacy document with an embedded package',
        'surat.doc',
        () =>
          compoundFile([
            { name: 'WordDocument', data: Buffer.alloc(600, 0xec) },
            {
              name: 'ObjectPool',
              children: [{ name: '_1', children: [{ name: '\u0001Ole10Native', data: windowsProgram() }] }],
            },
          ]),
        'embedded_object',
      ],
      [
        'an encrypted legacy Excel workbook',
        'data.xls',
        () => compoundFile([{ name: 'Workbook', data: workbookStream([0], { encrypted: true }) }]),
        'encrypted',
      ],
      [
        'an encrypted OOXML document',
        'surat.docx',
        () =>
          compoundFile([
            { name: 'EncryptionInfo', data: Buffer.alloc(200, 4) },
            { name: 'EncryptedPackage', data: Buffer.alloc(5000, 7) },
          ]),
        'encrypted',
      ],
      [
        'an Outlook item (another compound file)',
        'pesan.msg',
        () => compoundFile([{ name: '__properties_version1.0', data: Buffer.alloc(32) }]),
        'not_allowed',
      ],
      ['a compound file that is only a header', 'surat.doc', () => compoundFile([]).subarray(0, 512), 'unreadable'],
      [
        'a DOCX whose central directory is cut off',
        'surat.docx',
        () => docx().subarray(0, docx().length - 30),
        'unreadable',
      ],
      [
        'an SVG',
        'logo.svg',
        () => text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        'web_page',
      ],
      [
        'an SVG with an XML declaration, named as a picture',
        'logo.png',
        () => text('<?xml version="1.0"?>\n<svg/>'),
        'web_page',
      ],
      [
        'an HTML page',
        'surat.html',
        () => text('<!DOCTYPE html><html><script>location="x"</script></html>'),
        'web_page',
      ],
      [
        'an HTML page named as text, after a BOM and blank lines',
        'surat.txt',
        () => text('\uFEFF\r\n  \t<html><body>x</body></html>'),
        'web_page',
      ],
      ['text named as a web page', 'halaman.htm', () => text('halo <b>dunia</b>'), 'web_page'],
      ['a script', 'jalankan.js', () => text('WScript.Shell.Run("calc")'), 'script'],
      ['a batch file', 'pasang.bat', () => text('@echo off\r\nformat c:'), 'script'],
      ['a PowerShell script', 'skrip.PS1', () => text('Invoke-Expression $x'), 'script'],
      ['a text program named "evil.exe."', 'evil.exe.', () => text('halo'), 'script'],
      ['a SYLK file Excel would run', 'data.slk', () => text('ID;P\nC;Y1;X1;EEXEC("calc")\nE\n'), 'script'],
      ['text with a NUL byte', 'catatan.txt', () => text('halo\0dunia'), 'not_allowed'],
      ['UTF-16 text', 'catatan.txt', () => Buffer.concat([Buffer.from([0xff, 0xfe]), utf16('halo')]), 'not_allowed'],
      ['Latin-1 text (not UTF-8)', 'catatan.txt', () => Buffer.from('caf\xe9', 'latin1'), 'not_allowed'],
      [
        'random bytes named as a photo',
        'foto.jpg',
        () => Buffer.from([0x13, 0x00, 0x37, 0xfe, 0x80, 0x00, 0x81]),
        'not_allowed',
      ],
    ];
    for (const [what, filename, bytes, code] of refused) {
      it(what, async () => {
        const verdict = await classifyAttachment({ filename, content: bytes() });
        expect(verdict).to.include({ accepted: false, code });
        expect((verdict as { reason: string }).reason).to.be.a('string').that.is.not.empty;
      });
    }

    it('says why in Bahasa Indonesia, and names the file by its cleaned name', async () => {
      expect(await classifyAttachment({ filename: 'invoice\u202Efdp.exe', content: windowsProgram() })).to.deep.equal({
        accepted: false,
        code: 'program',
        reason: 'berkas program tidak diterima',
        name: 'invoicefdp.exe',
      });
      const macro = await classifyAttachment({ filename: 'surat.docm', content: docm() });
      expect(macro).to.include({ name: 'surat.docm' });
      expect((macro as { reason: string }).reason).to.contain('makro');
    });
  });

  describe('display names', () => {
    const names: Array<[string, string | undefined, () => Buffer, string]> = [
      ['the extension of the sniffed type replaces a wrong one', 'foto.pdf', () => jpeg(), 'foto.jpg'],
      ['a PDF named .exe is a .pdf', 'evil.exe', () => pdf(), 'evil.pdf'],
      ['cut at a NUL', 'evil.exe\0.pdf', () => pdf(), 'evil.pdf'],
      ['no trailing dots or spaces', 'laporan.pdf. . ', () => pdf(), 'laporan.pdf'],
      ['the extension is added when there is none', 'laporan', () => pdf(), 'laporan.pdf'],
      ['a version number is not an extension', 'laporan v1.2', () => pdf(), 'laporan v1.2.pdf'],
      ['the declared case of a right extension is kept', 'SURAT.PDF', () => pdf(), 'SURAT.PDF'],
      ['another extension of the same type is kept', 'ktp.jfif', () => jpeg(), 'ktp.jfif'],
      ['text under another name becomes .txt', 'catatan.log', () => text('baris 1\n'), 'catatan.txt'],
      ['a forwarded message without a name', undefined, () => text('From: a@example.com\r\n\r\nisi'), 'lampiran.txt'],
      ['basename only (slashes)', '../../x', () => pdf(), 'x.pdf'],
      ['basename only (backslashes)', '..\\..\\Windows\\System32\\surat.pdf', () => pdf(), 'surat.pdf'],
      ['no right-to-left override', 'invoice\u202Efdp.pdf', () => pdf(), 'invoicefdp.pdf'],
      [
        'no bidirectional marks, isolates or embeddings',
        'a\u200Eb\u200Fc\u202Ad\u202Ce\u2066f\u2069.pdf',
        () => pdf(),
        'abcdef.pdf',
      ],
      ['no zero-width or other format characters', 'su\u200Brat\u2060\uFEFF\u00AD.pdf', () => pdf(), 'surat.pdf'],
      ['no C0, DEL or C1 controls', 'su\u0007r\u001Bat\u007F\u0085\u009B.pdf', () => pdf(), 'surat.pdf'],
      [
        'line breaks and runs of white space are one space',
        'surat\r\n   izin\u00A0\u00A0usaha.pdf',
        () => pdf(),
        'surat izin usaha.pdf',
      ],
      ['characters Windows refuses become _', 'a<b>c:d"e|f?g*h.pdf', () => pdf(), 'a_b_c_d_e_f_g_h.pdf'],
      ['a Windows device name is defused', 'CON.pdf', () => pdf(), '_CON.pdf'],
      ['no leading dots', '...rahasia.pdf', () => pdf(), 'rahasia.pdf'],
      ['a default when nothing is left', '....', () => pdf(), 'lampiran.pdf'],
      ['a default when only invisible characters were given', '\u202E\u200B\u0000x', () => pdf(), 'lampiran.pdf'],
      ['a default for a bare extension', '.pdf', () => pdf(), 'lampiran.pdf'],
      ['a default when there is no name', undefined, () => png(), 'lampiran.png'],
      ['a default for an empty name', '', () => jpeg(), 'lampiran.jpg'],
    ];
    for (const [what, filename, bytes, displayName] of names) {
      it(what, async () => {
        expect(await classifyAttachment({ filename, content: bytes() })).to.include({ accepted: true, displayName });
      });
    }

    it('at most 150 characters, keeping the extension and whole characters', async () => {
      const long = await classifyAttachment({ filename: `${'a'.repeat(300)}.pdf`, content: pdf() });
      expect(long).to.include({ accepted: true, displayName: `${'a'.repeat(146)}.pdf` });
      const emoji = (await classifyAttachment({ filename: `${'😀'.repeat(200)}.pdf`, content: pdf() })) as {
        displayName: string;
      };
      expect(Array.from(emoji.displayName)).to.have.lengthOf(150);
      expect(emoji.displayName).to.match(/^(?:😀)+\.pdf$/u);
      expect(cleanFilename(`x${'.'.repeat(200)}exe`)).to.equal('x.exe');
    });
  });

  describe('runs in linear time on the bytes', function () {
    this.timeout(120_000);
    // The same input 16 times smaller: linear work grows about 16 times, quadratic about 256.
    const expectLinear = async (filename: string, build: (size: number) => Buffer) => {
      const { ratio, largeMs } = await growthRatio(
        (latin1) => classifyAttachment({ filename, content: Buffer.from(latin1, 'latin1') }),
        (size) => build(size).toString('latin1'),
        { factor: 16 },
      );
      expect(ratio, `the large input took ${largeMs.toFixed(0)} ms, ${ratio.toFixed(0)}x`).to.be.below(64);
    };
    it('text that is white space before its first character', () =>
      expectLinear('a.txt', (size) => text(`${' '.repeat(size)}x`)));
    it('a DOCX of many entries', () =>
      expectLinear('a.docx', (size) =>
        docx(
          Array.from({ length: Math.floor(size / 60) }, (_, index) => ({
            name: `word/media/image${index}.png`,
            data: '',
          })),
        ),
      ));
    it('a workbook whose globals are empty records', () =>
      expectLinear('a.xls', (size) => compoundFile([{ name: 'Workbook', data: Buffer.alloc(size) }])));
  });
});
