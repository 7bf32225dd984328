import type { ComponentChildren } from 'preact';
import type { WebTexts } from '../../../i18n/web-texts.js';
import type { CitizenAssets } from '../citizen-assets.js';

export interface LayoutProps {
  texts: WebTexts;
  /** The office's name (OFFICE_NAME): the header, the title, the footer. */
  office: string;
  /** This page's own title, before the office's name in the browser's title bar. */
  title: string;
  /** The page's path, for the language switch (which keeps the citizen on the same page). */
  path: string;
  assets: CitizenAssets;
  /** A page that enhances itself names its script; the page works without it. */
  script?: boolean;
  children: ComponentChildren;
}

/**
 * The shell of every citizen page: language, title, a skip link for keyboard and screen-reader
 * users, the office's name, the language switch (a plain link, so it works without JavaScript), and
 * the footer. No inline script or style anywhere (the CSP forbids them): the style sheet and the
 * optional script come from this server. Text goes through Preact, which escapes it.
 */
export function Layout({ texts, office, title, path, assets, script, children }: LayoutProps) {
  const other = texts.language === 'id' ? 'en' : 'id';
  const layout = texts.layout;
  return (
    <html lang={texts.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} · ${office}`}</title>
        {assets.style && <link rel="stylesheet" href={assets.style} />}
        {script && assets.script && <script type="module" src={assets.script} />}
      </head>
      <body>
        <a class="skip-link" href="#content">
          {layout.skipToContent}
        </a>
        <header class="site-header">
          <div class="wrap">
            <p class="office">
              <a href={`/lapor?lang=${texts.language}`}>{office}</a>
            </p>
            <nav aria-label={layout.navigation}>
              <ul>
                <li>
                  <a href={`/lapor?lang=${texts.language}`}>{layout.reportLink}</a>
                </li>
                <li>
                  <a href={`${path}?lang=${other}`} hreflang={other} lang={other} title={layout.otherLanguageName}>
                    {layout.otherLanguage}
                  </a>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="content" class="wrap" tabindex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>{layout.footer(office)}</p>
            <p class="small">{layout.footerNote}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}
