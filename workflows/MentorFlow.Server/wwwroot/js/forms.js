// The participant forms' one script (served from this server; the forms' Content-Security-Policy allows no inline
// script). The forms work without it; it only helps.
(() => {
  // A form sent back with problems: focus the error summary so screen readers announce it.
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();

  // The time zone list starts on the browser's own zone when the list has it and nothing was sent yet.
  const zones = document.querySelector('select[data-browser-time-zone]');
  const browserZone = (() => { try { return Intl.DateTimeFormat().resolvedOptions().timeZone; } catch { return ''; } })();
  if (zones && browserZone) {
    const option = [...zones.options].find((candidate) => candidate.value === browserZone);
    if (option) zones.value = browserZone;
  }

  // Pick-lists: the search box narrows the options as one types (ticked options always stay in view) and says how
  // many are shown.
  for (const search of document.querySelectorAll('[data-picklist-search]')) {
    const input = search.querySelector('input[type="search"]');
    const list = document.getElementById(input.getAttribute('aria-controls'));
    const count = document.getElementById(input.getAttribute('aria-describedby'));
    if (!list || !count) continue;
    const options = [...list.querySelectorAll('label.mf-option')];
    const fold = (text) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    const words = options.map((label) => fold(label.textContent));
    const update = () => {
      const wanted = fold(input.value.trim());
      let shown = 0;
      options.forEach((label, i) => {
        const visible = wanted === '' || words[i].includes(wanted) || label.querySelector('input').checked;
        label.hidden = !visible;
        if (visible) shown += 1;
      });
      count.textContent = wanted === '' ? '' : input.dataset.countText.replace('{0}', shown).replace('{1}', options.length);
    };
    input.addEventListener('input', update);
    // Enter in the search box must not send the form.
    input.addEventListener('keydown', (event) => { if (event.key === 'Enter') event.preventDefault(); });
    search.hidden = false;
  }
})();
