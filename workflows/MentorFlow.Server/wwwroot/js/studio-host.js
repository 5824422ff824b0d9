// Puts one Elsa Studio custom element on a host page once the manager has signed in (see Studio/StudioPages.cs).
// The element talks to this server's Elsa-compatible API with the manager key from the shell's sign-in.
import { ready } from '/js/shell.js';

const body = document.body;
const key = await ready;
const host = document.getElementById('mf-studio');
const element = document.createElement(body.dataset.studioElement);
element.setAttribute('remote-endpoint', new URL('/elsa/api', location.origin).href);
element.setAttribute('api-key', key);
if (body.dataset.studioAttributeName) {
  element.setAttribute(body.dataset.studioAttributeName, body.dataset.studioAttributeValue ?? '');
}
host.replaceChildren(element);
host.removeAttribute('aria-busy');
document.addEventListener('mentorflow:signed-out', () => location.reload());
