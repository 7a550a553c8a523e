/**
 * The dashboard's only script, a progressive enhancement: every page works without it. It is
 * served as a file (the Content-Security-Policy allows no inline script).
 * - `/` moves the focus to the search box, as on many sites (not while typing in a field).
 * - A `<select data-autosubmit>` submits its form when changed.
 */
export const APP_JS = `'use strict';
document.addEventListener('keydown', function (e) {
  if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
  var t = e.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  var box = document.querySelector('input[type=search]');
  if (box) { e.preventDefault(); box.focus(); box.select(); }
});
document.addEventListener('change', function (e) {
  var t = e.target;
  if (t && t.matches && t.matches('select[data-autosubmit]') && t.form) t.form.requestSubmit();
});
document.documentElement.classList.add('js');
`;
