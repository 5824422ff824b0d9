// MentorFlow manager shell: header + navigation, sign-in with the manager API key (kept in sessionStorage),
// an api() fetch helper that sends `Authorization: ApiKey <key>` and shows RFC 9457 problem details.
// Usage and contract: ../README.md. ES module, no dependencies, no build step.

const STORAGE_KEY = 'mentorflow.managerApiKey';

/** The navigation every manager page shows; `id` matches `<body data-page="...">`. */
export const NAV = Object.freeze([
  { id: 'programmes', label: 'Programmes', href: '/programmes/' },
  { id: 'flows', label: 'Flows (Studio)', href: '/studio/workflows/definitions' },
  { id: 'instances', label: 'Instances', href: '/studio/workflows/instances' },
  { id: 'mailbox', label: 'Mailbox (Graph sandbox)', href: '/graph/sandbox' },
  { id: 'api-docs', label: 'API docs', href: '/scalar' },
  { id: 'keys', label: 'Manager keys', href: '/keys/' },
]);

/** Error thrown by {@link api} for a non-2xx answer; `problem` is the parsed problem details (or a synthetic one). */
/** A calendar date, unambiguous in any locale: "2 Nov 2026" (a date-only value is read as that day). */
export function formatDate(value) {
  if (!value) return '–';
  const text = String(value);
  const at = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T12:00:00Z`) : new Date(text);
  return at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

/** A moment with its time: "2 Nov 2026, 09:00" in the browser's time zone. */
export function formatDateTime(value) {
  return value ? new Date(value).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '–';
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `Request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    /** `{ field: [messages] }` from the problem's `errors` (empty when it has none). */
    this.fieldErrors = normaliseErrors(problem?.errors);
  }
}

/**
 * Builds a DOM element: h('a', { href: '/x', class: 'mf-button' }, 'text', childNode). Text is never parsed as HTML.
 * Styles are an object (h('span', { style: { width: '40%' } })): a style string would be an attribute the CSP refuses.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    // Styles go through the CSSOM: the pages' CSP (style-src 'self') refuses a style attribute, not element.style.
    else if (name === 'style' && typeof value === 'object') Object.assign(element.style, value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function getApiKey() {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function setApiKey(key) {
  sessionStorage.setItem(STORAGE_KEY, key);
  renderSession();
  document.dispatchEvent(new CustomEvent('mentorflow:signed-in'));
}

export function signOut() {
  sessionStorage.removeItem(STORAGE_KEY);
  renderSession();
  document.dispatchEvent(new CustomEvent('mentorflow:signed-out'));
}

let pendingSignIn = null;

/**
 * Asks for the manager API key (once per browser tab), checks it against the server and stores it.
 * Resolves with the key. Concurrent callers share one dialog.
 */
export function signIn({ message } = {}) {
  pendingSignIn ??= showSignInDialog(message).finally(() => { pendingSignIn = null; });
  return pendingSignIn;
}

/**
 * fetch() for the MentorFlow API. Adds the API key (asking for it when missing), sends `json` as a JSON body,
 * parses JSON answers, returns null for 204. A non-2xx answer throws {@link ApiError} and, unless `quiet: true`,
 * shows the problem details (title, detail, each field error) at the top of the page. `raw: true` returns the Response.
 */
export async function api(path, options = {}) {
  const { quiet = false, raw = false, json, headers, ...rest } = options;
  let key = getApiKey() ?? await signIn();
  const send = async () => {
    const init = { ...rest, headers: new Headers(headers ?? {}) };
    init.headers.set('Authorization', `ApiKey ${key}`);
    if (!init.headers.has('Accept')) init.headers.set('Accept', 'application/json, application/problem+json');
    if (json !== undefined) {
      init.body = JSON.stringify(json);
      init.method ??= 'POST';
      init.headers.set('Content-Type', 'application/json');
    }
    return fetch(path, init);
  };

  let response = await send();
  if (response.status === 401) {
    sessionStorage.removeItem(STORAGE_KEY);
    key = await signIn({ message: 'Your API key was not accepted. Enter a valid manager API key.' });
    response = await send();
  }

  if (!response.ok) {
    const problem = await readProblem(response);
    if (!quiet) showProblem(problem);
    throw new ApiError(response.status, problem);
  }

  if (raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) return response.json();
  return response.text();
}

/** Shows a message at the top of the page. kind: 'error' | 'success' | 'info'. Returns the element. */
export function showMessage(kind, title, items = [], { detail } = {}) {
  const region = messagesRegion();
  const box = h('div', { class: `mf-alert mf-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('button', { type: 'button', class: 'mf-dismiss', 'aria-label': 'Dismiss message', onclick: () => box.remove() }, '×'),
    h('h2', {}, title),
    detail ? h('p', {}, detail) : null,
    items.length ? h('ul', {}, items.map(item => h('li', {}, item))) : null);
  region.append(box);
  return box;
}

/** Shows RFC 9457 problem details (or Elsa's `{ errors: { generalErrors: [...] } }`) as an error message. */
export function showProblem(problem) {
  const errors = normaliseErrors(problem?.errors);
  const items = Object.entries(errors).flatMap(([field, messages]) =>
    messages.map(message => (field && field !== 'generalErrors' ? `${field}: ${message}` : message)));
  return showMessage('error', problem?.title || 'Something went wrong', items, { detail: problem?.detail });
}

export function clearMessages() {
  messagesRegion().replaceChildren();
}

/** Marks form fields named in `fieldErrors` as invalid and writes the message under each; returns true if any matched. */
export function showFieldErrors(form, fieldErrors) {
  form.querySelectorAll('.mf-field-error').forEach(node => node.remove());
  form.querySelectorAll('[aria-invalid]').forEach(node => node.removeAttribute('aria-invalid'));
  let matched = false;
  for (const [field, messages] of Object.entries(fieldErrors ?? {})) {
    const input = form.querySelector(`[name="${CSS.escape(field)}"]`)
      ?? [...form.elements].find(element => element.name && element.name.toLowerCase() === field.toLowerCase());
    if (!input) continue;
    matched = true;
    const id = `${input.id || input.name}-error`;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', id);
    input.after(h('div', { class: 'mf-field-error', id }, messages.join(' ')));
  }
  return matched;
}

/** Resolves once the shell is on the page and, unless `<body data-auth="none">`, the manager has signed in. */
export const ready = mount();

// ---------------------------------------------------------------------------------------------------------------

function normaliseErrors(errors) {
  const result = {};
  const walk = (value, field) => {
    if (value === null || value === undefined) return;
    if (typeof value === 'string') (result[field] ??= []).push(value);
    else if (Array.isArray(value)) value.forEach(item => walk(item, field));
    else if (typeof value === 'object') {
      if (typeof value.message === 'string') (result[value.activityId ? `${value.activityId}${value.input ? '.' + value.input : ''}` : field] ??= []).push(value.message);
      else Object.entries(value).forEach(([name, inner]) => walk(inner, name));
    }
  };
  walk(errors, '');
  return result;
}

async function readProblem(response) {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === 'object') return { status: response.status, ...parsed };
  } catch {
    // not JSON: fall through
  }
  return { status: response.status, title: `${response.status} ${response.statusText}`.trim(), detail: text.slice(0, 500) || undefined };
}

function messagesRegion() {
  let region = document.getElementById('mf-messages');
  if (!region) {
    region = h('div', { id: 'mf-messages', 'aria-live': 'polite' });
    const main = document.querySelector('main');
    if (main) main.prepend(region);
    else document.body.append(region);
  }
  return region;
}

function renderSession() {
  const session = document.querySelector('.mf-session');
  if (!session) return;
  const signedIn = Boolean(getApiKey());
  session.replaceChildren(
    h('span', { class: 'mf-visually-hidden' }, signedIn ? 'Signed in with a manager API key.' : 'Not signed in.'),
    signedIn
      ? h('button', { type: 'button', class: 'mf-button mf-secondary', onclick: () => { signOut(); location.reload(); } }, 'Sign out')
      : h('button', { type: 'button', class: 'mf-button mf-secondary', onclick: () => signIn().then(() => location.reload()) }, 'Sign in'));
}

function renderHeader() {
  const current = document.body.dataset.page ?? '';
  const header = h('header', { class: 'mf-header' },
    h('a', { class: 'mf-brand', href: '/' }, 'MentorFlow'),
    h('nav', { class: 'mf-nav', 'aria-label': 'Main' },
      h('ul', {}, NAV.map(item => h('li', {},
        h('a', { href: item.href, 'aria-current': item.id === current ? 'page' : false }, item.label))))),
    h('div', { class: 'mf-session' }));
  // Absolute href: the Studio pages set <base href="/studio/">, which would turn '#main' into another page.
  const skip = h('a', { class: 'mf-skip-link', href: `${location.pathname}${location.search}#main` }, 'Skip to content');
  document.body.prepend(skip, header);
  const main = document.querySelector('main');
  if (main) {
    main.id ||= 'main';
    main.classList.add('mf-main');
    if (!main.hasAttribute('tabindex')) main.setAttribute('tabindex', '-1');
  }
  renderSession();
}

function showSignInDialog(message) {
  return new Promise(resolve => {
    const error = h('div', { class: 'mf-field-error', id: 'mf-signin-error', role: 'alert' }, message ?? '');
    const input = h('input', {
      id: 'mf-signin-key', name: 'apiKey', type: 'password', autocomplete: 'current-password', required: true,
      'aria-describedby': 'mf-signin-hint mf-signin-error',
    });
    const submit = h('button', { type: 'submit', class: 'mf-button' }, 'Sign in');
    const form = h('form', { method: 'dialog' },
      h('h2', { id: 'mf-signin-title' }, 'Sign in to MentorFlow'),
      h('label', { for: 'mf-signin-key' }, 'Manager API key'),
      input,
      h('p', { class: 'mf-hint', id: 'mf-signin-hint' },
        'The key from Security:ManagerApiKeys, or the development key the server printed on its first start. ',
        'It is kept in this browser tab only.'),
      error,
      h('div', { class: 'mf-actions' }, submit));
    const dialog = h('dialog', { class: 'mf-signin', 'aria-labelledby': 'mf-signin-title' }, form);
    dialog.addEventListener('cancel', event => event.preventDefault());
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const key = input.value.trim();
      if (!key) {
        error.textContent = 'Enter the API key.';
        input.setAttribute('aria-invalid', 'true');
        return;
      }
      submit.disabled = true;
      try {
        const response = await fetch('/api/system', { headers: { Authorization: `ApiKey ${key}`, Accept: 'application/json' } });
        if (response.status === 401) {
          error.textContent = 'This key was not accepted. Check it and try again.';
          input.setAttribute('aria-invalid', 'true');
          input.focus();
          return;
        }
        if (!response.ok) {
          error.textContent = `The server answered ${response.status}. Try again in a moment.`;
          return;
        }
        setApiKey(key);
        dialog.close();
        dialog.remove();
        resolve(key);
      } catch {
        error.textContent = 'The server could not be reached.';
      } finally {
        submit.disabled = false;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}

async function mount() {
  if (document.readyState === 'loading') {
    await new Promise(resolve => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
  }
  renderHeader();
  if (document.body.dataset.auth === 'none') return getApiKey();
  return getApiKey() ?? signIn();
}

// Plain-script access for pages that do not use modules.
globalThis.MentorFlow = Object.freeze({ api, ready, signIn, signOut, getApiKey, showMessage, showProblem, clearMessages, showFieldErrors, h, ApiError, NAV });
