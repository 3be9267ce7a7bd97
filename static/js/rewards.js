/* Rewards: a "+5 points" toast when htmx says points were earned, the money a
   payout converts to while its points are typed, and campaign boards that open
   on choice. Without JavaScript, the server's messages and buttons do the same. */
(function () {
  "use strict";

  var TOAST_MS = 4000;
  var region = null;

  /* One polite live region, created once, announced by screen readers. */
  function toastRegion() {
    if (region && document.body.contains(region)) { return region; }
    region = document.createElement("div");
    region.className = "toast-region";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    region.setAttribute("aria-atomic", "false");
    document.body.appendChild(region);
    return region;
  }

  function showToast(text) {
    if (!text) { return; }
    var toast = document.createElement("p");
    toast.className = "toast";
    toast.textContent = text; /* text, never HTML */
    toastRegion().appendChild(toast);
    window.setTimeout(function () {
      toast.classList.add("toast-leaving");
      window.setTimeout(function () { toast.remove(); }, 400);
    }, TOAST_MS);
  }

  /* htmx dispatches HX-Trigger events on the element that asked; they bubble. */
  document.addEventListener("DOMContentLoaded", function () {
    toastRegion(); /* present before it speaks, or readers may miss the first */
    document.body.addEventListener("points-earned", function (event) {
      var detail = event.detail || {};
      var text = detail.text || (detail.value && detail.value.text);
      if (!text && typeof detail.points === "number") {
        text = (detail.points > 0 ? "+" : "") + detail.points;
      }
      showToast(text);
    });

    document.querySelectorAll("[data-points-rate]").forEach(function (input) {
      var output = document.querySelector("[data-money-amount]");
      if (!output) { return; }
      var rate = Number(input.dataset.pointsRate);
      var currency = input.dataset.pointsCurrency || "";
      // Money as the page's language writes it (the server's {% money %} does
      // the same): "€12.50" in English, "12,50 €" in French.
      var format = null;
      if (window.Intl && Intl.NumberFormat) {
        try {
          format = new Intl.NumberFormat(document.documentElement.lang || "en", currency
            ? { style: "currency", currency: currency }
            : { minimumFractionDigits: 2, maximumFractionDigits: 2 });
        } catch (error) { format = null; }
      }
      input.addEventListener("input", function () {
        var points = parseInt(input.value, 10);
        if (!rate || isNaN(points) || points < 0) { return; }
        var amount = Math.floor(points * 100 / rate) / 100;
        output.textContent = format ? format.format(amount)
          : amount.toFixed(2) + (currency ? " " + currency : "");
      });
    });

    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.form) { select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit(); }
      });
    });
  });
})();
