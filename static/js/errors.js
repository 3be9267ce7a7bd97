/* When an htmx request fails (an error status, or no answer at all), say so
   instead of doing nothing. The sentence comes translated from the page
   (<body data-htmx-error="...">), never from this file. */
(function () {
  "use strict";

  var SHOW_MS = 8000;
  var region = null;
  var timer = null;

  /* One assertive live region, created at load so readers announce its first use. */
  function alertRegion() {
    if (region && document.body.contains(region)) { return region; }
    region = document.createElement("div");
    region.className = "toast-region htmx-error-region";
    region.setAttribute("role", "alert");
    region.setAttribute("aria-live", "assertive");
    document.body.appendChild(region);
    return region;
  }

  function showError(event) {
    var text = document.body.getAttribute("data-htmx-error");
    /* A busy server says in words why it refused (cocreate.overload). */
    var xhr = event && event.detail && event.detail.xhr;
    if (xhr && xhr.status === 503 && xhr.responseText &&
        (xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0) {
      text = xhr.responseText;
    }
    if (!text) { return; }
    var box = alertRegion();
    box.textContent = "";
    var message = document.createElement("p");
    message.className = "toast toast-error";
    message.textContent = text; /* text, never HTML */
    box.appendChild(message);
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { box.textContent = ""; }, SHOW_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    alertRegion();
    /* A busy server's 503 names the fragment's error paragraph it replaces
       (HX-Retarget): show its sentence there instead of the generic toast. */
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      var xhr = event.detail.xhr;
      if (xhr.status === 503 && xhr.getResponseHeader("HX-Retarget")) {
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    });
    document.body.addEventListener("htmx:responseError", showError);
    document.body.addEventListener("htmx:sendError", showError);
    document.body.addEventListener("htmx:timeout", showError);
  });
})();
