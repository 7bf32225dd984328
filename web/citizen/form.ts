// The /lapor page's progressive enhancement. The page works without it (a plain multipart post,
// checked on the server with a signed timestamp under stricter limits). With it, the proof-of-work
// challenge the page carries is solved in the background as soon as the page loads (SHA-256 with
// WebCrypto, about a second on a low-end phone), so that by the time the citizen presses "send"
// it is usually done; the answer goes in the hidden `altcha` field and the form is posted as usual.
import { type Challenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/sha';

const form = document.getElementById('report-form') as HTMLFormElement | null;
if (form) enhance(form);

function enhance(form: HTMLFormElement): void {
  // A problem found by the server: bring the summary to the reader first.
  document.getElementById('error-summary')?.focus();
  const field = form.elements.namedItem('altcha') as HTMLInputElement | null;
  const status = document.getElementById('form-status');
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  let challenge: Challenge | undefined;
  try {
    challenge = JSON.parse(form.dataset.challenge ?? '') as Challenge;
  } catch {
    return; // no challenge: the plain form it is
  }
  if (!field || !challenge || !globalThis.crypto?.subtle) return;
  const solving = solveChallenge({ challenge, deriveKey, timeout: 60_000 })
    .then((solution) => {
      if (solution) field.value = btoa(JSON.stringify({ challenge, solution }));
    })
    .catch(() => undefined); // unsolved: the form goes without it, as without JavaScript

  let sending = false;
  form.addEventListener('submit', (event) => {
    if (field.value !== '' || sending) return; // solved: the browser posts it; sending: let it go
    event.preventDefault();
    sending = true;
    if (button) button.disabled = true;
    if (status) status.textContent = status.dataset.solving ?? '';
    void solving.then(() => {
      if (status) status.textContent = '';
      form.submit(); // no submit event: straight to the server
    });
  });
}
