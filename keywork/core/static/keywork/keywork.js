// Keywork's one script. Pages work without it; it adds GOV.UK Frontend's behaviours
// (menu toggle, error summary focus, and so on). It lives in a file, not inline, so
// that the Content-Security-Policy can forbid inline script.
document.body.classList.add("js-enabled", "govuk-frontend-supported");
if (window.GOVUKFrontend) {
  window.GOVUKFrontend.initAll();
}
