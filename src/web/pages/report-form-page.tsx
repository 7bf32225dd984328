import type { WebTexts } from '../../i18n/web-texts.js';
import type { CitizenAssets } from '../citizen-assets.js';
import { Layout } from './layout.js';

export interface ReportFormPageProps {
  texts: WebTexts;
  office: string;
  assets: CitizenAssets;
}

/** GET /lapor: the complaint and question form. */
export function ReportFormPage({ texts, office, assets }: ReportFormPageProps) {
  return (
    <Layout texts={texts} office={office} title={texts.form.title} path="/lapor" assets={assets}>
      <h1>{texts.form.title}</h1>
      <p>{texts.form.intro}</p>
    </Layout>
  );
}
