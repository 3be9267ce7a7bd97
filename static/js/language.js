/* The language switcher changes on selection when scripts run (rewards.js submits
   every select[data-autosubmit]); its button is there for when they do not. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-hidden-with-js]").forEach(function (element) {
      element.hidden = true;
    });
  });
})();
