// Programme dashboard: phase, mentor-shortage banner, the reporting metrics, poll balance, funnel, match review,
// active pairs, testimonials, workflow incidents, exports and links (GET /api/programmes/{id}/dashboard).
import { api, ready, h, showMessage, clearMessages, showFieldErrors, ApiError, formatDate, formatDateTime } from '/js/shell.js';

await ready;
const id = new URLSearchParams(location.search).get('id');
const base = `/api/programmes/${encodeURIComponent(id)}`;
const $ = (selector) => document.querySelector(selector);

const number = (value) => value === null || value === undefined ? '–'
  : Number.isFinite(value) ? value.toLocaleString('en-GB', { maximumFractionDigits: 2 }) : '∞';
const percent = (rate) => rate === null || rate === undefined ? '–' : `${Math.round(rate * 100)}%`;
const change = (rate) => rate === null || rate === undefined ? '–' : `${rate >= 0 ? '+' : '−'}${Math.abs(Math.round(rate * 100))}%`;
const date = (iso) => formatDate(iso ? iso.slice(0, 10) : iso);
const status = (value) => ({ ClosedEarly: 'Closed early' })[value] ?? value;
const plural = (count, one, many = `${one}s`) => `${number(count)} ${count === 1 ? one : many}`;

/** A labelled figure for a <dl>: <div><dt>label</dt><dd>value <span>detail</span></dd></div> (a tile when `tile`). */
function figure(label, value, detail, tile = false) {
  return h('div', { class: tile ? 'mf-kpi' : 'mf-figure' }, h('dt', {}, label),
    h('dd', {}, h('span', { class: 'mf-figure-value' }, String(value)), detail ? h('span', { class: 'mf-figure-detail' }, detail) : null));
}

async function refresh() {
  const [programme, dashboard, review] = await Promise.all([api(base), api(`${base}/dashboard`), api(`${base}/matching`)]);
  $('#title').textContent = programme.name;
  document.title = `${programme.name} · MentorFlow`;
  $('#summary').textContent = `Phase: ${programme.phase} · organizer ${programme.organizerMailbox} · target 1 mentor : ${programme.targetMenteesPerMentor} mentees`
    + (programme.menteeChoosesFromTopThree ? ' · mentees choose among their top 3 mentors' : '');
  const actions = {
    Draft: [['Open the poll', 'open', 'Poll opened: the invitations are being sent.']],
    Poll: [['Open applications', 'Applications', 'Applications opened: members who answered the poll get the form.']],
    Applications: [['Start matching', 'Matching', 'Matching started: run the matching below.']],
  };
  $('#phase-actions').replaceChildren(...(actions[programme.phase] ?? []).map(([label, target, done]) =>
    h('button', { class: 'mf-button', onclick: () => act(target === 'open' ? api(`${base}/open`, { method: 'POST' }) : api(`${base}/phase`, { json: { phase: target } }), done) }, label)),
    programme.phase !== 'Closed' ? h('button', { class: 'mf-button mf-secondary', onclick: () => confirm('Close the programme?') && act(api(`${base}/close`, { method: 'POST' }), 'Programme closed.') }, 'Close programme') : '');

  renderTerms(programme);
  renderBanner(dashboard.poll);
  renderMetrics(dashboard.metrics);
  renderPoll(dashboard.poll, programme);
  renderFunnel(dashboard.funnel);
  renderMatches(dashboard.matches);
  renderReview(review);
  renderActivePairs(dashboard.activePairs);
  renderTestimonials(dashboard.testimonials);
  renderIncidents(dashboard.incidents);
  renderLinks(dashboard.links);
  $('#exports').replaceChildren(...['applications.csv', 'pairs.csv', 'relationships.csv', 'testimonials.csv', 'members.csv', 'poll.csv']
    .map((file) => h('button', { class: 'mf-button mf-secondary', onclick: () => download(file) }, file)));
}

function renderBanner({ results }) {
  $('#banner').replaceChildren(results.mentorShortage
    ? h('div', { class: 'mf-alert mf-error', role: 'status' }, h('strong', {}, 'Mentors are short: '),
      `${plural(results.mentorsMissing, 'more mentor')} ${results.mentorsMissing === 1 ? 'is' : 'are'} needed for the target ratio of 1 mentor to ${results.targetMenteesPerMentor} mentees `
      + `(${plural(results.mentors + results.both, 'answer')} to mentor, ${plural(results.mentees, 'answer')} to be mentored). `
      + 'The mentor-recruitment flow emails likely mentors when applications open.')
    : '');
}

function renderMetrics(m) {
  $('#metrics-asof').textContent = `As of ${date(m.asOf)}`
    + (m.programmeStart ? ` · first relationship started ${date(m.programmeStart)}` : ' · no relationship has started yet')
    + ` · active means a meeting in the last ${m.activeWindowDays} days.`;
  const o = m.outcomes;
  const growth = m.platform.growth;
  const noGrowth = m.platform.configured ? 'measured from the first relationship' : 'no platform data';
  $('#kpis').replaceChildren(
    figure('Active participants', number(m.activeParticipants), `${plural(m.activeMentors, 'mentor')} · ${plural(m.activeMentees, 'mentee')}`, true),
    figure('Active relationships', number(m.activeRelationships), `${number(m.totalRelationships)} in total · ${number(m.newRelationshipsInWindow)} new in ${m.activeWindowDays} days`, true),
    figure('New members', growth ? number(growth.totalNewMembers) : '–',
      growth ? `${change(growth.newMemberChange)} a day against the baseline` : noGrowth, true),
    figure('Visitors per day', growth ? change(growth.visitorChange) : '–',
      growth ? `${number(growth.programmeVisitorsPerDay)} a day since the start, ${number(growth.baselineVisitorsPerDay)} before` : noGrowth, true),
    figure('Completion rate', percent(o.completionRate), o.ended ? `${o.completed} of ${plural(o.ended, 'ended relationship')} · ${percent(o.earlyClosureRate)} closed early` : 'nothing has ended yet', true),
    figure('Goal attainment', percent(o.goalAttainment), o.goalsReported ? `over ${plural(o.goalsReported, 'ended pair')} with a goal` : 'no goals reported yet', true),
    figure('Satisfaction', o.satisfaction === null ? '–' : `${number(o.satisfaction)} / 5`, o.satisfactionResponses ? `mean of ${plural(o.satisfactionResponses, 'closing survey')}` : 'no closing surveys yet', true));
  $('#platform-note').textContent = m.platform.note
    ?? (growth ? `Platform growth: since ${date(growth.programmeFrom)} against ${date(growth.baselineFrom)} – ${date(growth.baselineTo)} (${growth.baselineDaysWithData} days with data).` : '');
  $('#data-issues').replaceChildren(...(m.dataIssues.length
    ? [h('div', { class: 'mf-alert mf-info' }, h('strong', {}, 'Rows left out of the metrics:'), h('ul', {}, m.dataIssues.map((issue) => h('li', {}, issue))))]
    : []));
}

// The poll as it really stands: not opened while the programme is a draft, open until its closing date, then closed.
function pollState(results, programme) {
  if (programme.phase === 'Draft') return 'not opened yet';
  if (results.closed || programme.phase !== 'Poll') return 'closed';
  return `open until ${new Date(programme.pollClosesAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })}`;
}

function renderPoll({ results, recruitmentCandidates }, programme) {
  $('#poll').replaceChildren(...[
    ['Answers', number(results.responses)], ['Would mentor', number(results.mentors)], ['Would be mentored', number(results.mentees)],
    ['Both', number(results.both)], ['Mentees per mentor', number(results.menteesPerMentor)], ['Community members', number(results.communityMembers)],
    ['Likely mentors to recruit', number(recruitmentCandidates)], ['Poll', pollState(results, programme)],
  ].map(([label, value]) => figure(label, value)));
}

function renderFunnel(funnel) {
  const top = Math.max(1, ...funnel.stages.map((s) => s.count));
  $('#funnel').replaceChildren(...funnel.stages.map((stage) => h('li', {},
    h('span', { class: 'mf-funnel-label' }, stage.label),
    h('span', { class: 'mf-funnel-bar', 'aria-hidden': 'true' }, h('span', { style: { width: `${Math.round((stage.count / top) * 100)}%` } })),
    h('span', { class: 'mf-funnel-count' }, number(stage.count)))));
  $('#applications').replaceChildren(...[['Applications', funnel.applications], ['Mentors', funnel.mentorApplications], ['Mentees', funnel.menteeApplications]]
    .map(([label, value]) => figure(label, number(value))));
}

function renderMatches(matches) {
  $('#matches').replaceChildren(...[['Proposed', matches.proposed], ['Approved', matches.approved], ['Active', matches.active],
    ['Completed', matches.completed], ['Closed early', matches.closedEarly], ['Unmatched mentees', matches.unmatched]]
    .map(([label, value]) => figure(label, number(value))));
}

function renderReview(review) {
  const weak = review.pairs.filter((p) => p.weak).length;
  $('#match-summary').textContent = `${plural(review.pairs.length, 'pair')}${weak ? ` (${weak} weak)` : ''} · method: ${review.method} · minimum score ${review.minScore}`;
  $('#min-score-help').textContent = review.minScoreExplained;
  $('#shortage').replaceChildren(...(review.shortage.length ? [h('p', {}, h('strong', {}, 'Missing mentor profiles: '),
    review.shortage.map((s) => `${s.mentorsNeeded} × ${s.careerPath} (${s.region}; ${s.topInterests.join(', ')})`).join('; '))] : []));
  $('#pairs').replaceChildren(...review.pairs.map((p) => h('tr', {},
    h('td', {}, `${p.mentorName} (${p.mentorId})`), h('td', {}, `${p.menteeName} (${p.menteeId})`), h('td', { class: 'mf-number' }, p.score.toFixed(2)),
    h('td', {}, p.reasons), h('td', {}, [status(p.status), p.pinned ? ' · pinned' : '', p.weak ? ' · weak match, review' : ''].join('')),
    h('td', {}, p.status === 'Proposed' ? [
      h('button', { class: 'mf-button mf-secondary', 'aria-label': `Pin ${p.mentorName} and ${p.menteeName}`, onclick: () => act(api(`${base}/matching/pin`, { json: { mentorId: p.mentorId, menteeId: p.menteeId } }), `Pinned ${p.mentorName} and ${p.menteeName}: the next run keeps them together.`) }, 'Pin'),
      ' ',
      h('button', { class: 'mf-button mf-secondary', 'aria-label': `Forbid ${p.mentorName} and ${p.menteeName}`, onclick: () => act(api(`${base}/matching/forbid`, { json: { mentorId: p.mentorId, menteeId: p.menteeId } }), `Forbade ${p.mentorName} and ${p.menteeName}: the next run never pairs them.`) }, 'Forbid'),
    ] : ''))));
  $('#pairs').closest('.mf-table-scroll').hidden = review.pairs.length === 0;
  $('#pairs-empty').hidden = review.pairs.length > 0;
  const choices = review.choices ?? [];
  $('#choices-section').hidden = choices.length === 0;
  $('#choices').replaceChildren(...choices.map((c) => h('tr', {},
    h('td', {}, `${c.menteeName} (${c.menteeId})`),
    h('td', {}, c.candidates.map((m) => `${m.mentorName} (${m.score.toFixed(2)})${m.mentorId === c.chosenMentorId ? ' ✓ chosen' : ''}`).join(' · ')),
    h('td', {}, formatDateTime(c.chooseBy)),
    h('td', {}, status(c.status)))));
  $('#unmatched').replaceChildren(...(review.unmatched.length
    ? review.unmatched.map((u) => h('li', {}, `${u.menteeName} (${u.menteeId}): ${u.reason}`))
    : [h('li', { class: 'mf-empty' }, 'None.')]));
}

function renderActivePairs(pairs) {
  $('#active-pairs').replaceChildren(...pairs.map((p) => h('tr', {},
    h('td', {}, `${p.mentorName} (${p.mentorId})`), h('td', {}, `${p.menteeName} (${p.menteeId})`), h('td', { class: 'mf-number' }, p.score.toFixed(2)),
    h('td', {}, date(p.started)), h('td', {}, date(p.plannedEnd)), h('td', { class: 'mf-number' }, number(p.meetings)), h('td', {}, date(p.lastMeeting)))));
  $('#active-pairs-table').hidden = pairs.length === 0;
  $('#active-pairs-empty').hidden = pairs.length > 0;
}

function renderTestimonials(t) {
  $('#testimonials').replaceChildren(
    ...(t.received ? [h('p', { class: 'mf-muted' }, `${plural(t.received, 'testimonial')} received, ${number(t.consented)} may be published (only those are quoted).`)] : []),
    ...(t.quotes.length
      ? t.quotes.map((q) => h('figure', { class: 'mf-quote' }, h('blockquote', {}, h('p', {}, q.text)),
        h('figcaption', {}, `${q.name}, ${q.role.toLowerCase()} · ${date(q.date)}`)))
      : [h('p', { class: 'mf-empty' }, t.received ? 'No testimonial may be published yet.' : 'No testimonials yet: the closing flow asks each pair for one.')]));
}

function renderIncidents(incidents) {
  if (incidents.items.length === 0) {
    $('#incidents').replaceChildren(h('p', { class: 'mf-empty' }, 'No workflow incidents: the flows of this programme and its pairs run without faults.'));
    return;
  }
  $('#incidents').replaceChildren(
    h('p', {}, `${plural(incidents.open, 'open incident')}, ${number(incidents.resolved)} resolved · ${plural(incidents.faultedInstances, 'faulted flow')}.`),
    h('div', { class: 'mf-table-scroll', role: 'region', 'aria-labelledby': 'incidents-h', tabindex: '0' },
      h('table', { class: 'mf-table' }, h('caption', { class: 'mf-visually-hidden' }, 'Incidents of the flows of this programme and its pairs'),
        h('thead', {}, h('tr', {}, ['When', 'Flow', 'For', 'Activity', 'Message', 'Status'].map((label) => h('th', { scope: 'col' }, label)))),
        h('tbody', {}, incidents.items.map((i) => h('tr', {},
          h('td', {}, formatDateTime(i.timestamp)),
          h('td', {}, h('a', { href: i.instanceUrl }, i.workflowName ?? i.definitionId)),
          h('td', {}, i.subject), h('td', {}, `${i.activityId} (${i.activityType})`), h('td', {}, i.message),
          h('td', {}, i.resolvedAt ? h('span', { class: 'mf-badge mf-badge-ok' }, 'resolved') : h('span', { class: 'mf-badge mf-badge-error' }, 'open'))))))));
}

function renderLinks(links) {
  $('#links').replaceChildren(
    h('li', {}, h('a', { href: links.flows }, 'Edit the lifecycle flows in Studio')),
    h('li', {}, h('a', { href: links.instances }, 'Running flows (Studio)')),
    h('li', {}, h('a', { href: links.mailbox }, 'Mailbox view (Graph sandbox)')),
    ...(links.organizerMailbox ? [h('li', {}, h('a', { href: links.organizerMailbox }, 'Organizer mailbox (Graph sandbox)'))] : []));
}

// Runs an action, refreshes the page and says what happened (a success message sits above the content, never over it).
async function act(promise, done) {
  clearMessages();
  try {
    await promise;
    await refresh();
    showMessage('success', done);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
}

// The application form's pick-lists: one term per line in each box.
const termLists = ['interests', 'careerPaths', 'goals'];
const termsOf = (name) => $(`#terms-${name}`).value.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
const termCount = (name) => { $(`#terms-${name}-count`).textContent = plural(termsOf(name).length, 'term'); };

function renderTerms(programme) {
  const saved = { interests: programme.interestTerms, careerPaths: programme.careerPathTerms, goals: programme.goalTerms };
  for (const name of termLists) {
    $(`#terms-${name}`).value = (saved[name] ?? []).join('\n');
    termCount(name);
  }
}

async function saveTerms(event) {
  event.preventDefault();
  const form = $('#terms-form');
  clearMessages();
  showFieldErrors(form, {});
  try {
    const saved = await api(`${base}/vocabulary`, { method: 'PUT', json: Object.fromEntries(termLists.map((name) => [name, termsOf(name)])) });
    await refresh();
    showMessage('success', `Saved the application form's terms: ${plural(saved.interests.length, 'interest')}, `
      + `${plural(saved.careerPaths.length, 'career path')}, ${plural(saved.goals.length, 'goal')}.`);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // "goals[2]" is the third line of the goals box: mark the box and say which line.
    const byList = {};
    for (const [field, messages] of Object.entries(error.fieldErrors)) {
      const [, list, index] = /^(\w+)(?:\[(\d+)\])?$/.exec(field) ?? [null, field, null];
      (byList[list] ??= []).push(...messages.map((message) => (index === null ? message : `Line ${Number(index) + 1}: ${message}`)));
    }
    showFieldErrors(form, byList);
  }
}

async function upload(input, path) {
  const file = input.files[0];
  if (!file) return;
  await act(api(path, { method: 'POST', body: await file.text(), headers: { 'Content-Type': 'text/csv' } }), `${file.name} imported.`);
  input.value = '';
}

async function download(file) {
  const response = await api(`${base}/export/${file}`, { raw: true });
  const url = URL.createObjectURL(await response.blob());
  h('a', { href: url, download: file }).click();
  URL.revokeObjectURL(url);
}

$('#terms-form').addEventListener('submit', saveTerms);
for (const name of termLists) $(`#terms-${name}`).addEventListener('input', () => termCount(name));
$('#members-file').addEventListener('change', (e) => upload(e.target, `${base}/members`));
$('#applications-file').addEventListener('change', (e) => upload(e.target, `${base}/applications/import`));
$('#run').addEventListener('click', () => act(api(`${base}/matching/run`, { json: { minScore: Number($('#min-score').value) } }), 'Matching run: the proposed pairs are below.'));
$('#approve').addEventListener('click', () => confirm('Approve every proposed pair? Both sides are then asked to confirm.') && act(api(`${base}/matching/approve`, { method: 'POST' }), 'Pairs approved: both sides are asked to confirm.'));
await refresh();
