import { BRIDGE, isBridgeMessage, type ToFrame, type ToLoader } from './bridge.js';
import { LAUNCHER_TEXTS } from './i18n/launcher.js';

/**
 * The script an office puts on its own website: `<script src="https://OUR-ORIGIN/chat/widget.js" async>`.
 * It adds one element to the page: a launcher button and, on our origin, the chat's iframe, both
 * in a shadow root so that the page's style sheets do not reach them and theirs do not reach the
 * page (open, not closed: closing it would hide nothing from the page's own scripts, and an open
 * one lets the office's testers and assistive tools find the button). Styles are set through the CSSOM (element.style), which a strict CSP on the office's page
 * still allows, never as a <style> or a style attribute. Built as an IIFE: no global is left behind.
 * The session token never touches the office's page: the frame keeps it in its own storage.
 */
(() => {
  // currentScript is null where a tag manager runs the code another way: the tag is then looked for.
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[src*="/chat/widget.js"]');
  if (!script?.src || document.querySelector('[data-satu-pintu-chat]')) return; // loaded twice: once is enough
  const origin = new URL(script.src).origin;
  const language = script.dataset.lang === 'en' ? 'en' : 'id';
  const words = LAUNCHER_TEXTS[language];

  const css = (element: HTMLElement, properties: Record<string, string>) => {
    for (const [name, value] of Object.entries(properties)) element.style.setProperty(name, value, 'important');
  };

  const host = document.createElement('div');
  host.setAttribute('data-satu-pintu-chat', '');
  css(host, { all: 'initial', position: 'fixed', right: '16px', bottom: '16px', 'z-index': '2147483000' });
  const root = host.attachShadow({ mode: 'open' });

  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-label', words.open);
  button.textContent = words.label;
  css(button, {
    font: '600 16px/1 system-ui, sans-serif',
    color: '#fff',
    background: '#0b5cad',
    border: '2px solid #fff',
    'border-radius': '28px',
    padding: '0 20px',
    height: '56px',
    'min-width': '56px',
    cursor: 'pointer',
    'box-shadow': '0 2px 8px rgba(0,0,0,.3)',
  });
  const badge = document.createElement('span');
  badge.setAttribute('aria-hidden', 'true');
  css(badge, {
    display: 'none',
    'margin-left': '8px',
    padding: '2px 7px',
    'border-radius': '10px',
    background: '#a3161b',
    font: '600 13px/1.3 system-ui, sans-serif',
  });
  button.append(badge);

  let frame: HTMLIFrameElement | undefined;
  let open = false;
  const small = window.matchMedia('(max-width: 480px)');

  const place = () => {
    if (!frame) return;
    const shown = open ? 'block' : 'none';
    if (small.matches) {
      // A phone: the chat takes the whole screen and has its own close button.
      css(frame, {
        display: shown,
        position: 'fixed',
        inset: '0',
        width: '100%',
        height: '100%',
        'border-radius': '0',
      });
      css(button, { display: open ? 'none' : 'inline-block' });
    } else {
      css(frame, {
        display: shown,
        position: 'fixed',
        inset: 'auto 16px 84px auto',
        width: '370px',
        height: 'min(600px, calc(100vh - 100px))',
        'border-radius': '8px',
      });
      css(button, { display: 'inline-block' });
    }
  };

  const makeFrame = () => {
    if (frame) return frame;
    frame = document.createElement('iframe');
    frame.src = `${origin}/chat/frame?lang=${language}`;
    frame.title = words.frame;
    css(frame, { border: '0', background: '#fff', 'box-shadow': '0 4px 16px rgba(0,0,0,.3)', 'color-scheme': 'light' });
    root.append(frame);
    place();
    return frame;
  };

  const tell = (message: ToFrame) => frame?.contentWindow?.postMessage(message, origin);
  const setOpen = (next: boolean, focusButton: boolean) => {
    open = next;
    const target = makeFrame();
    place();
    button.setAttribute('aria-expanded', String(open));
    button.setAttribute('aria-label', open ? words.close : words.open);
    tell({ ns: BRIDGE, type: 'visibility', open });
    if (open) target.focus();
    else if (focusButton) button.focus();
  };

  button.addEventListener('click', () => setOpen(!open, false));
  small.addEventListener('change', place);
  window.addEventListener('message', (event) => {
    if (event.origin !== origin || !frame || event.source !== frame.contentWindow) return;
    if (!isBridgeMessage<ToLoader>(event.data)) return;
    if (event.data.type === 'ready') tell({ ns: BRIDGE, type: 'visibility', open });
    else if (event.data.type === 'close') setOpen(false, true);
    else if (event.data.type === 'unread') {
      const count = Math.max(0, Math.floor(Number(event.data.count) || 0));
      badge.textContent = count > 9 ? '9+' : String(count);
      css(badge, { display: count > 0 && !open ? 'inline-block' : 'none' });
      button.setAttribute(
        'aria-label',
        count > 0 && !open ? `${words.open} (${count})` : open ? words.close : words.open,
      );
    }
  });

  root.append(button);
  (document.body ?? document.documentElement).append(host);
  // The frame loads once the office's page has, so that the chat never slows the page down; a
  // returning visitor's frame then picks up the conversation and the launcher shows what is unread.
  const later = () => setTimeout(makeFrame, 0);
  if (document.readyState === 'complete') later();
  else window.addEventListener('load', later, { once: true });
})();
