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

  /* "Live updates paused": shown while any socket of the page is down against
     its will, in a polite live region the base template renders empty. */
  var down = {};
  var leaving = false;
  var sockets = {};
  var reopen = {};

  function showPaused() {
    var status = document.getElementById("live-status");
    if (!status) { return; }
    var paused = Object.keys(down).some(function (path) { return down[path]; });
    var text = paused ? status.dataset.pausedText : "";
    if (status.textContent !== text) { status.textContent = text; }
  }

  /* Refusals (unknown or hidden idea, logged out) end the page's updates for
     good; any other close is a fault, retried with a growing, jittered delay. */
  var REFUSED = [4401, 4403, 4404];

  function connect(path, handlers) {
    var delay = 1000;
    var timer = null;
    var opened = false;
    function retry() {
      timer = setTimeout(open, delay * (0.75 + Math.random() / 2));
      delay = Math.min(delay * 2, 30000);
    }
    function open() {
      timer = null;
      var socket = null;
      try {
        socket = new WebSocket(socketUrl(path));
      } catch (e) { /* some browsers throw for a refused URL */ }
      if (socket === null || socket.readyState === WebSocket.CLOSED) {
        /* Refused before any connection (the page's Content-Security-Policy, a
           malformed URL): no close event follows, so pause and retry here. */
        down[path] = true;
        showPaused();
        retry();
        return;
      }
      sockets[path] = socket;
      socket.onopen = function () {
        delay = 1000;
        document.body.dataset.live = "connected";
        down[path] = false;
        showPaused();
        if (handlers.onOpen) { handlers.onOpen(socket, opened); }
        opened = true;
      };
      socket.onmessage = function (event) {
        try { handlers.onMessage(JSON.parse(event.data)); } catch (e) { /* ignore malformed */ }
      };
      socket.onclose = function (event) {
        if (sockets[path] === socket) { delete sockets[path]; }
        document.body.dataset.live = "closed";
        if (leaving) { return; }
        down[path] = REFUSED.indexOf(event.code) === -1;
        showPaused();
        if (!down[path]) { return; }
        retry();
      };
    }
    /* Back online, or back from the browser's page cache: try now. */
    reopen[path] = function () {
      if (sockets[path]) { return; }
      if (timer !== null) { clearTimeout(timer); }
      delay = 1000;
      open();
    };
    open();
  }

  /* The ids of the ideas whose counts the page shows. */
  function shownIdeas() {
    var ids = {};
    document.querySelectorAll("[data-idea-supports], [data-idea-comments]").forEach(function (el) {
      var id = Number(el.dataset.ideaSupports || el.dataset.ideaComments);
      if (id > 0) { ids[id] = true; }
    });
    return Object.keys(ids).map(Number).slice(0, 100);
  }

  /* Each time a socket opens, ask for the current counts: updates sent while
     it was down never arrive, and the page may have rendered before it joined. */
  function syncIdeas(socket) {
    var ids = shownIdeas();
    if (ids.length) { socket.send(JSON.stringify({ type: "sync", ideas: ids })); }
  }

  function showCounts(counts) {
    setText('[data-idea-supports="' + counts.idea + '"]', counts.supports);
    setText('[data-idea-comments="' + counts.idea + '"]', counts.comments);
  }

  /* An idea's page hears each change ("idea.update"); a list page hears the
     changes of the ideas it shows, those of the last second or two together
     ("ideas.update"); a sync answers with the counts as they are ("ideas.sync")
     and, on a list page, is what the socket listens to. */
  function handle(message) {
    var pageIdea = document.body.dataset.liveIdea;
    if (message.type === "ideas.sync") {
      (message.ideas || []).forEach(function (counts) {
        var shown = document.querySelector('[data-idea-comments="' + counts.idea + '"]');
        var missed = shown && shown.textContent !== String(counts.comments);
        showCounts(counts);
        if (missed && pageIdea && String(counts.idea) === pageIdea) {
          refreshComments(counts.idea);
        }
      });
      return;
    }
    if (message.type === "ideas.update") {
      (message.ideas || []).forEach(showCounts);
      return;
    }
    if (message.type !== "idea.update") { return; }
    showCounts(message);
    if (message.kind === "comment" && pageIdea && String(message.idea) === pageIdea) {
      refreshComments(message.idea);
    }
  }

  /* The bell: a member's own notifications; the menu reloads its count, also
     when its socket comes back, since news sent meanwhile was lost. */
  function handleBell(message) {
    if (message.type !== "bell.update") { return; }
    document.body.dispatchEvent(new CustomEvent("bell-update", { detail: message }));
  }

  function resyncBell(socket, reopened) {
    if (reopened) { handleBell({ type: "bell.update" }); }
  }

  function reopenAll() {
    Object.keys(reopen).forEach(function (path) { reopen[path](); });
  }

  window.addEventListener("pagehide", function () { leaving = true; });
  window.addEventListener("pageshow", function (event) {
    leaving = false;
    if (event.persisted) { reopenAll(); }
  });
  window.addEventListener("online", function () {
    if (Object.keys(down).some(function (path) { return down[path]; })) { reopenAll(); }
  });

  /* For browser tests: drop every socket as a broken network would. */
  window.cocreateLive = {
    drop: function () {
      Object.keys(sockets).forEach(function (path) { sockets[path].close(4000); });
    }
  };

  /* Buttons that ask first: data-confirm="Delete this comment?" */
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.dataset.confirm)) { event.preventDefault(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (!("WebSocket" in window)) { return; }
    if (document.body.hasAttribute("data-member")) {
      connect("notifications/", { onMessage: handleBell, onOpen: resyncBell });
    }
    var ideaId = document.body.dataset.liveIdea;
    if (ideaId) {
      connect("ideas/" + ideaId + "/", { onMessage: handle, onOpen: syncIdeas });
    } else if (document.body.hasAttribute("data-live-list")) {
      /* A list page hears only of the ideas it asked for: when filters, a sort
         or a page swap its results in, it asks again for those it shows now
         (none, too: then it hears nothing). */
      var asked = null;
      var syncList = function (socket) {
        var ids = shownIdeas();
        asked = ids.join(",");
        socket.send(JSON.stringify({ type: "sync", ideas: ids }));
      };
      connect("ideas/", { onMessage: handle, onOpen: syncList });
      document.body.addEventListener("htmx:afterSettle", function () {
        var socket = sockets["ideas/"];
        if (!socket || socket.readyState !== WebSocket.OPEN) { return; }
        if (shownIdeas().join(",") !== asked) { syncList(socket); }
      });
    }
  });
})();
