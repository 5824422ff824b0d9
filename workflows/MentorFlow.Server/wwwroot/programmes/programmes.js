// Programmes list and creation form (manager page on the shared shell).
import { api, ready, h, showMessage, showFieldErrors, clearMessages, ApiError, formatDateTime } from '/js/shell.js';

await ready;
const list = document.getElementById('programmes');

async function load() {
  const { items } = await api('/api/programmes');
  list.replaceChildren(...items.map((p) => h('tr', {},
    h('td', {}, h('a', { href: `/programmes/programme.html?id=${encodeURIComponent(p.id)}` }, p.name)),
    h('td', {}, p.phase), h('td', {}, formatDateTime(p.pollClosesAt)), h('td', {}, formatDateTime(p.applicationsCloseAt)))));
  if (items.length === 0) list.append(h('tr', {}, h('td', { colspan: 4, class: 'mf-muted' }, 'No programme yet: create one below.')));
}

const form = document.getElementById('create');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearMessages();
  const data = new FormData(form);
  const iso = (name) => data.get(name) ? new Date(data.get(name)).toISOString() : null;
  const body = {
    name: data.get('name'), description: data.get('description'), organizerMailbox: data.get('organizerMailbox'),
    timeZone: data.get('timeZone'), language: data.get('language'), lengthOptions: data.getAll('lengthOptions'),
    targetMenteesPerMentor: Number(data.get('targetMenteesPerMentor')), pollClosesAt: iso('pollClosesAt'),
    applicationsCloseAt: iso('applicationsCloseAt'), recruitmentEndsAt: iso('recruitmentEndsAt'),
    defaultMeetingFrequency: data.get('defaultMeetingFrequency'), defaultCommunication: data.get('defaultCommunication'),
    confirmationDays: Number(data.get('confirmationDays')), kickOffDays: Number(data.get('kickOffDays')),
    menteeChoosesFromTopThree: data.get('menteeChoosesFromTopThree') === 'on',
    resources: data.get('resourceTitle') ? [{ title: data.get('resourceTitle'), url: data.get('resourceUrl') }] : [],
  };
  try {
    const created = await api('/api/programmes', { json: body });
    location.href = `/programmes/programme.html?id=${encodeURIComponent(created.id)}`;
  } catch (error) {
    if (error instanceof ApiError) showFieldErrors(form, error.fieldErrors); else throw error;
  }
});

await load();
if (new URLSearchParams(location.search).has('created')) showMessage('success', 'Programme created');
