// Manager keys: list, create (the key is shown once), revoke (manager page on the shared shell).
import { api, ready, h, showMessage, showFieldErrors, clearMessages, ApiError, formatDateTime } from '/js/shell.js';

await ready;
const list = document.getElementById('keys');
const created = document.getElementById('created');

async function load() {
  const { items } = await api('/api/manager-keys');
  list.replaceChildren(...items.map((key) => h('tr', {},
    h('td', {}, key.name),
    h('td', {}, h('code', {}, key.id)),
    h('td', {}, key.source === 'configuration' ? 'configuration' : 'created here'),
    h('td', {}, key.createdAt ? formatDateTime(key.createdAt) : '—'),
    h('td', {}, key.lastUsedAt ? formatDateTime(key.lastUsedAt) : '—'),
    h('td', {}, key.revokedAt ? `revoked ${formatDateTime(key.revokedAt)}` : 'active'),
    h('td', {}, key.revocable
      ? h('button', { type: 'button', class: 'mf-button mf-secondary', 'data-revoke': key.id, 'aria-label': `Revoke ${key.name}` }, 'Revoke')
      : ''))));
}

list.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-revoke]');
  if (!button) return;
  const name = button.closest('tr').firstChild.textContent;
  if (!confirm(`Revoke the key "${name}"? Whoever uses it is refused from now on.`)) return;
  clearMessages();
  try {
    await api(`/api/manager-keys/${encodeURIComponent(button.dataset.revoke)}/revoke`, { method: 'POST' });
    showMessage('success', `Key "${name}" revoked`);
    await load();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
});

const form = document.getElementById('create');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearMessages();
  try {
    const key = await api('/api/manager-keys', { json: { name: new FormData(form).get('name') } });
    created.replaceChildren(h('div', { class: 'mf-alert mf-success', role: 'status' },
      h('h2', {}, `Key "${key.name}" created`),
      h('p', {}, 'Copy it now: it is shown only this once. Send it as "Authorization: ApiKey <key>".'),
      h('p', {}, h('code', { id: 'new-key' }, key.key))));
    created.hidden = false;
    form.reset();
    await load();
  } catch (error) {
    if (error instanceof ApiError) showFieldErrors(form, error.fieldErrors); else throw error;
  }
});

await load();
