// Hamkke: behaviour without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("DOMContentLoaded", function () {
  // Language switch: submit the form as soon as a language is picked.
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // Buttons that print the page (e.g. recovery codes).
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.addEventListener("click", function () { window.print(); });
  });
  // Confirm before destructive actions.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("submit", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
});
