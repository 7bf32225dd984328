import type { WebTexts } from '../../../i18n/web-texts.js';
import type { CitizenAssets } from '../citizen-assets.js';
import type { Receipt } from '../report-receipt.js';
import { Layout } from './layout.js';

export interface ReportReceivedPageProps {
  texts: WebTexts;
  office: string;
  assets: CitizenAssets;
  receipt: Receipt;
  /** This page's own address, to look again while the reference is not known yet. */
  path: string;
}

/**
 * After a report: its ticket's reference number in large type, where the acknowledgement went;
 * or, if the ticket is not made yet, that the report is safe and a link to look again (no script
 * needed, nothing refreshes by itself: a screen reader is not interrupted).
 */
export function ReportReceivedPage({ texts, office, assets, receipt, path }: ReportReceivedPageProps) {
  const received = texts.received;
  return (
    <Layout texts={texts} office={office} title={received.title} path={path} assets={assets}>
      <h1>{received.title}</h1>
      {receipt.reference ? (
        <div class="panel-ok" role="status">
          <p>{received.thanks}</p>
          <p>
            {received.reference}:{' '}
            <strong class="reference" id="reference">
              {receipt.reference}
            </strong>
          </p>
          <p>{received.keep}</p>
          <p>{receipt.acknowledgedBy === 'email' ? received.ackByEmail : received.ackBySms}</p>
        </div>
      ) : (
        <div class="notice" role="status">
          <p>{received.pending}</p>
          <p>
            <a href={`${path}?lang=${texts.language}`}>{received.refresh}</a>
          </p>
        </div>
      )}
      <p>
        <a href={`/lapor?lang=${texts.language}`}>{received.another}</a>
      </p>
    </Layout>
  );
}
