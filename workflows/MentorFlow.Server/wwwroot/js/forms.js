// The participant forms' one script (served from this server; the forms' Content-Security-Policy allows no inline
// script). The forms work without it; it only helps.
(() => {
  // A form sent back with problems: focus the error summary so screen readers announce it.
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();
})();
