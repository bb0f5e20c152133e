// Keywork's one script. Pages work without it; it adds GOV.UK Frontend's behaviours
// (menu toggle, skip link focus, error summary focus) and MOJ Frontend's button menu on
// the person's page. It lives in a file, not inline, so that the Content-Security-Policy
// can forbid inline script.
// GOV.UK Frontend asks for this body class as its sign that the browser is modern
// enough; its own page template sets it with an inline script, which Keywork cannot use.
if (window.GOVUKFrontend && "noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("js-enabled", "govuk-frontend-supported");
  window.GOVUKFrontend.initAll();
  // MOJ Frontend's button menu: without this, its actions stay side by side as links.
  if (window.MOJFrontend) {
    window.GOVUKFrontend.createAll(window.MOJFrontend.ButtonMenu);
  }
}
