// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary so screen readers announce the problems first (GOV.UK pattern).
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
  // A select that asks for it submits its form on change (the language switch keeps its button for no-JS users).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
});
