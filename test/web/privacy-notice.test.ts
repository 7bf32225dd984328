import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';

const OFFICE = 'DPMPTSP Kota Contoh';

/** The notice on /lapor as a citizen reads it: its title and paragraphs, tags gone, entities decoded. */
async function notice(server: TestServer, lang: 'id' | 'en'): Promise<string> {
  const response = await fetch(`${server.baseUrl}/lapor?lang=${lang}`);
  expect(response.status).to.equal(200);
  const html = await response.text();
  const section = /<section class="notice" aria-labelledby="privacy-title">([\s\S]*?)<\/section>/.exec(html)?.[1];
  expect(section, 'the notice on the page').to.be.a('string');
  return section!
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/**
 * The personal-data notice of the /lapor form (UU 27/2022), in Bahasa Indonesia and in English:
 * what is kept, why, who sees it, for how long (the office's period, or its schedule and whom to
 * ask about it), and whom to ask about one's data.
 */
describe('Web door: the personal-data notice on the form', () => {
  describe('with the office’s retention period and contact set', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({
        OFFICE_NAME: OFFICE,
        PRIVACY_CONTACT: 'PPID DPMPTSP (ppid@dpmptsp.example.go.id)',
        PRIVACY_RETENTION_YEARS: '5',
      });
    });
    after(async () => server?.stop());

    it('says in Bahasa Indonesia what is kept, why, for how long and whom to ask', async () => {
      const text = await notice(server, 'id');
      expect(text).to.contain('Data pribadi Anda');
      // What, and by whom.
      expect(text).to.contain(`${OFFICE} menyimpan nama, nomor HP, email, isi laporan dan lampiran Anda`);
      // Why, and under which law.
      expect(text).to.contain('untuk menindaklanjuti laporan ini dan menjawab Anda');
      expect(text).to.contain('UU 27/2022 tentang Pelindungan Data Pribadi');
      expect(text).to.contain('Data hanya dilihat oleh petugas yang perlu menanganinya');
      // How long: a period.
      expect(text).to.contain('sesudahnya 5 tahun sejak laporan selesai');
      expect(text).to.contain('lalu dihapus');
      // Whom to ask.
      expect(text).to.contain('hubungi PPID DPMPTSP (ppid@dpmptsp.example.go.id) dan sebutkan nomor tiket Anda');
    });

    it('says the same in English', async () => {
      const text = await notice(server, 'en');
      expect(text).to.contain('Your personal data');
      expect(text).to.contain(`${OFFICE} keeps your name, mobile number, email, report and attachments`);
      expect(text).to.contain('to follow up this report and answer you');
      expect(text).to.contain('Law 27/2022 on Personal Data Protection');
      expect(text).to.contain('for 5 years after it is closed');
      expect(text).to.contain('then deleted');
      expect(text).to.contain('contact PPID DPMPTSP (ppid@dpmptsp.example.go.id) and quote your ticket number');
    });
  });

  describe('with nothing set', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ OFFICE_NAME: OFFICE });
    });
    after(async () => server?.stop());

    it('names the office’s retention schedule and whom to ask how long, in both languages', async () => {
      const id = await notice(server, 'id');
      expect(id).to.contain(`masa simpan yang ditetapkan ${OFFICE} dalam jadwal retensi arsipnya, lalu dihapus`);
      expect(id).to.contain('Lama masa simpan itu dapat Anda tanyakan kepada petugas layanan kami');
      expect(id).to.contain('hubungi petugas layanan kami dan sebutkan nomor tiket Anda');
      const en = await notice(server, 'en');
      expect(en).to.contain(`the period set in the records retention schedule of ${OFFICE}, then deleted`);
      expect(en).to.contain('You can ask our service staff how long that period is');
      expect(en).to.contain('contact our service staff and quote your ticket number');
    });
  });
});
