// Puts one Elsa Studio custom element on a host page once the manager has signed in (see Studio/StudioPages.cs).
// The element talks to this server's Elsa-compatible API with the manager key from the shell's sign-in.
import { ready } from '/js/shell.js';

const body = document.body;
const key = await ready;
const host = document.getElementById('mf-studio');
// Blazor defines the custom elements once the WebAssembly runtime has started; create the element after that, so
// the callbacks below are set on the real element (a property set before the upgrade would be lost).
await customElements.whenDefined(body.dataset.studioElement);
const element = document.createElement(body.dataset.studioElement);
element.setAttribute('remote-endpoint', new URL('/elsa/api', location.origin).href);
element.setAttribute('api-key', key);
if (body.dataset.studioAttributeName) {
  element.setAttribute(body.dataset.studioAttributeName, body.dataset.studioAttributeValue ?? '');
}

// The Studio's lists and viewer do not navigate by themselves: they call the host back with the id to open (in
// Elsa's own Studio its pages pass these callbacks). Each callback opens our host page for that id.
const studioPage = (...segments) => '/studio/workflows/' + segments.map(encodeURIComponent).join('/');
const callbacks = {
  'elsa-workflow-definition-list': { editWorkflowDefinition: (id) => studioPage('definitions', id, 'edit') },
  'elsa-workflow-instance-list': { viewWorkflowInstance: (id) => studioPage('instances', id, 'view') },
  'elsa-workflow-instance-viewer': { editWorkflowDefinition: (id) => studioPage('definitions', id, 'edit') },
}[body.dataset.studioElement] ?? {};
for (const [name, target] of Object.entries(callbacks)) {
  element[name] = (id) => {
    if (typeof id === 'string' && id.length > 0) location.assign(target(id));
  };
}
host.replaceChildren(element);
host.removeAttribute('aria-busy');
document.addEventListener('mentorflow:signed-out', () => location.reload());

// The Studio navigates inside the page (history.pushState) to its own routes, e.g. to
// workflows/instances/{id}/view after a run. Each route is its own host page here, so load it.
const hostPath = location.pathname;
for (const method of ['pushState', 'replaceState']) {
  const original = history[method].bind(history);
  history[method] = (state, title, url) => {
    original(state, title, url);
    if (location.pathname !== hostPath) location.reload();
  };
}
window.addEventListener('popstate', () => {
  if (location.pathname !== hostPath) location.reload();
});
