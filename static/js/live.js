/* Live counts over a WebSocket: idea pages and lists update when others act. */
(function () {
  "use strict";

  function socketUrl(path) {
    var base = document.body.dataset.wsUrl;
    if (!base) {
      var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
      base = scheme + "//" + window.location.host + "/ws/";
    }
    return base.replace(/\/$/, "") + "/" + path;
  }

  var plurals = window.Intl && Intl.PluralRules
    ? new Intl.PluralRules(document.documentElement.lang || "en")
    : null;

  /* The word after a count ("1 supporter", "2 supporters") follows the count. */
  function setNoun(countEl, value) {
    var noun = countEl.parentElement && countEl.parentElement.querySelector("[data-plural-one]");
    if (!noun) { return; }
    var one = plurals ? plurals.select(Number(value)) === "one" : Number(value) === 1;
    noun.textContent = one ? noun.dataset.pluralOne : noun.dataset.pluralOther;
  }

  function setText(selector, value) {
    document.querySelectorAll(selector).forEach(function (el) {
      if (el.textContent !== String(value)) {
        el.textContent = value;
        setNoun(el, value);
        el.classList.remove("bumped");
        void el.offsetWidth;
        el.classList.add("bumped");
      }
    });
  }

  function refreshComments(ideaId) {
    var section = document.getElementById("comment-section");
    var thread = document.getElementById("comment-thread");
    if (!section || !thread || !window.htmx) { return; }
    window.htmx.ajax("GET", section.dataset.commentsUrl, { target: "#comment-thread", swap: "outerHTML" });
  }

  function connect(path, onMessage) {
    var delay = 1000;
    function open() {
      var socket = new WebSocket(socketUrl(path));
      socket.onopen = function () { delay = 1000; document.body.dataset.live = "connected"; };
      socket.onmessage = function (event) {
        try { onMessage(JSON.parse(event.data)); } catch (e) { /* ignore malformed */ }
      };
      socket.onclose = function (event) {
        document.body.dataset.live = "closed";
        if (event.code === 4404 || event.code === 4403 || event.code === 4401) { return; }
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 30000);
      };
    }
    open();
  }

  function showCounts(counts) {
    setText('[data-idea-supports="' + counts.idea + '"]', counts.supports);
    setText('[data-idea-comments="' + counts.idea + '"]', counts.comments);
  }

  /* An idea's page hears each change ("idea.update"); list pages hear the
     changes of the last second or two together ("ideas.update"). */
  function handle(message) {
    if (message.type === "ideas.update") {
      (message.ideas || []).forEach(showCounts);
      return;
    }
    if (message.type !== "idea.update") { return; }
    showCounts(message);
    var pageIdea = document.body.dataset.liveIdea;
    if (message.kind === "comment" && pageIdea && String(message.idea) === pageIdea) {
      refreshComments(message.idea);
    }
  }

  /* The bell: a member's own notifications; the menu reloads its count. */
  function handleBell(message) {
    if (message.type !== "bell.update") { return; }
    document.body.dispatchEvent(new CustomEvent("bell-update", { detail: message }));
  }

  /* Buttons that ask first: data-confirm="Delete this comment?" */
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.dataset.confirm)) { event.preventDefault(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (!("WebSocket" in window)) { return; }
    if (document.body.hasAttribute("data-member")) {
      connect("notifications/", handleBell);
    }
    var ideaId = document.body.dataset.liveIdea;
    if (ideaId) {
      connect("ideas/" + ideaId + "/", handle);
    } else if (document.body.hasAttribute("data-live-list")) {
      connect("ideas/", handle);
    }
  });
})();
