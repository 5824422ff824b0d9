// Programme dashboard: phase, poll balance (shortage banner), application funnel, match review, exports.
import { api, ready, h, showMessage, clearMessages, ApiError } from '/js/shell.js';

await ready;
const id = new URLSearchParams(location.search).get('id');
const base = `/api/programmes/${encodeURIComponent(id)}`;
const $ = (selector) => document.querySelector(selector);

async function refresh() {
  const programme = await api(base);
  $('#title').textContent = programme.name;
  $('#summary').textContent = `Phase: ${programme.phase} · organizer ${programme.organizerMailbox} · target 1 mentor : ${programme.targetMenteesPerMentor} mentees`;
  const actions = { Draft: [['Open the poll', 'open']], Poll: [['Open applications', 'Applications']], Applications: [['Start matching', 'Matching']] };
  $('#phase-actions').replaceChildren(...(actions[programme.phase] ?? []).map(([label, target]) =>
    h('button', { class: 'mf-button', onclick: () => act(target === 'open' ? api(`${base}/open`, { method: 'POST' }) : api(`${base}/phase`, { json: { phase: target } })) }, label)),
    programme.phase !== 'Closed' ? h('button', { class: 'mf-button mf-secondary', onclick: () => confirm('Close the programme?') && act(api(`${base}/close`, { method: 'POST' })) }, 'Close programme') : '');

  const { results, recruitmentCandidates } = await api(`${base}/poll`);
  $('#poll').replaceChildren(...[['Answers', results.responses], ['Would mentor', results.mentors], ['Would be mentored', results.mentees],
    ['Both', results.both], ['Mentees per mentor', results.menteesPerMentor], ['Community members', results.communityMembers],
    ['Likely mentors to recruit', recruitmentCandidates]].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v ?? '–'))]));
  $('#banner').replaceChildren(results.mentorShortage
    ? h('div', { class: 'mf-alert mf-error', role: 'status' }, h('strong', {}, 'Mentors are short: '),
      `${results.mentorsMissing} more mentors are needed for the target ratio. The mentor-recruitment flow emails likely mentors when applications open.`)
    : '');

  const applications = await api(`${base}/applications`);
  const mentors = applications.filter((a) => a.role === 'Mentor').length;
  $('#funnel').textContent = `${results.responses} poll answers → ${applications.length} applications (${mentors} mentors, ${applications.length - mentors} mentees)`;

  const review = await api(`${base}/matching`);
  renderReview(review);
  $('#exports').replaceChildren(...['applications.csv', 'pairs.csv', 'relationships.csv', 'testimonials.csv', 'members.csv', 'poll.csv']
    .map((file) => h('button', { class: 'mf-button mf-secondary', onclick: () => download(file) }, file)));
}

function renderReview(review) {
  const active = review.pairs.filter((p) => p.status === 'Active').length;
  $('#match-summary').textContent = `${review.pairs.length} pairs (${active} active) · method: ${review.method} · minimum score ${review.minScore}`;
  $('#shortage').replaceChildren(...(review.shortage.length ? [h('p', {}, h('strong', {}, 'Missing mentor profiles: '),
    review.shortage.map((s) => `${s.mentorsNeeded} × ${s.careerPath} (${s.region}; ${s.topInterests.join(', ')})`).join('; '))] : []));
  $('#pairs').replaceChildren(...review.pairs.map((p) => h('tr', {},
    h('td', {}, `${p.mentorName} (${p.mentorId})`), h('td', {}, `${p.menteeName} (${p.menteeId})`), h('td', {}, p.score.toFixed(2)),
    h('td', {}, p.reasons), h('td', {}, p.pinned ? `${p.status} · pinned` : p.status),
    h('td', {}, p.status === 'Proposed' ? [
      h('button', { class: 'mf-button mf-secondary', onclick: () => act(api(`${base}/matching/pin`, { json: { mentorId: p.mentorId, menteeId: p.menteeId } })) }, 'Pin'),
      ' ',
      h('button', { class: 'mf-button mf-secondary', onclick: () => act(api(`${base}/matching/forbid`, { json: { mentorId: p.mentorId, menteeId: p.menteeId } })) }, 'Forbid'),
    ] : ''))));
  $('#unmatched').replaceChildren(...review.unmatched.map((u) => h('li', {}, `${u.menteeName} (${u.menteeId}): ${u.reason}`)));
}

async function act(promise) {
  clearMessages();
  try {
    await promise;
    await refresh();
    showMessage('success', 'Done');
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
}

async function upload(input, path) {
  const file = input.files[0];
  if (!file) return;
  await act(api(path, { method: 'POST', body: await file.text(), headers: { 'Content-Type': 'text/csv' } }));
  input.value = '';
}

async function download(file) {
  const response = await api(`${base}/export/${file}`, { raw: true });
  const url = URL.createObjectURL(await response.blob());
  h('a', { href: url, download: file }).click();
  URL.revokeObjectURL(url);
}

$('#members-file').addEventListener('change', (e) => upload(e.target, `${base}/members`));
$('#applications-file').addEventListener('change', (e) => upload(e.target, `${base}/applications/import`));
$('#run').addEventListener('click', () => act(api(`${base}/matching/run`, { json: { minScore: Number($('#min-score').value) } })));
$('#approve').addEventListener('click', () => confirm('Approve every proposed pair? Both sides are then asked to confirm.') && act(api(`${base}/matching/approve`, { method: 'POST' })));
await refresh();
