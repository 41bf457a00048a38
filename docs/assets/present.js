/* Present mode for a session pack: one screen at a time, full screen, with a countdown from
   each activity's minutes. Keys: next (→ ↓ Space Page Down Enter), back (← ↑ Page Up),
   P pauses the countdown, Escape stops. Clickers send Page Up and Page Down. Nothing is
   fetched, so a loaded page goes on working offline. Without this file the screens are a list. */
(function () {
  "use strict";

  var deck = document.querySelector("[data-ww-present]");
  var start = document.querySelector("[data-ww-present-start]");
  if (!deck || !start) return;

  var slides = Array.prototype.slice.call(deck.querySelectorAll(".ww-slide"));
  var state = { index: 0, presenting: false, endsAt: 0, remaining: 0, paused: false, tick: null };

  // The controls: buttons for a mouse or a touch screen, and a status for screen readers.
  var bar = document.createElement("div");
  bar.className = "ww-present__bar";
  bar.innerHTML =
    '<button type="button" data-go="-1">Back</button>' +
    '<button type="button" data-pause>Pause</button>' +
    '<button type="button" data-go="1">Next</button>' +
    '<button type="button" data-stop>Stop presenting</button>' +
    '<span class="ww-present__status" role="status"></span>';
  bar.hidden = true;
  deck.appendChild(bar);
  var status = bar.querySelector(".ww-present__status");
  var pauseButton = bar.querySelector("[data-pause]");

  function timerOf(slide) { return slide.querySelector("[data-ww-timer]"); }

  function showTime() {
    var timer = timerOf(slides[state.index]);
    if (!timer) return;
    var left = state.paused ? state.remaining : Math.max(0, state.endsAt - Date.now());
    var seconds = Math.ceil(left / 1000);
    timer.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    timer.classList.toggle("is-over", seconds === 0);
    if (seconds === 0 && !state.paused) stopClock();
  }

  function stopClock() {
    if (state.tick !== null) window.clearInterval(state.tick);
    state.tick = null;
  }

  function startClock(milliseconds) {
    stopClock();
    state.paused = false;
    pauseButton.textContent = "Pause";
    state.endsAt = Date.now() + milliseconds;
    state.tick = window.setInterval(showTime, 250);
    showTime();
  }

  function show(index) {
    state.index = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, n) { slide.hidden = n !== state.index; });
    var slide = slides[state.index];
    var timer = timerOf(slide);
    stopClock();
    if (timer) {
      timer.hidden = false;
      startClock(Number(slide.getAttribute("data-minutes")) * 60000);
    }
    pauseButton.hidden = !timer;
    status.textContent = "Screen " + (state.index + 1) + " of " + slides.length;
  }

  function togglePause() {
    if (!timerOf(slides[state.index])) return;
    if (state.paused) {
      startClock(state.remaining);
    } else {
      state.remaining = Math.max(0, state.endsAt - Date.now());
      state.paused = true;
      stopClock();
      pauseButton.textContent = "Restart countdown";
      showTime();
    }
  }

  function begin() {
    state.presenting = true;
    document.documentElement.classList.add("ww-presenting");
    deck.classList.add("is-presenting");
    deck.tabIndex = -1;
    bar.hidden = false;
    show(0);
    deck.focus();
    // Full screen where the browser allows it; the deck already covers the window if not.
    if (deck.requestFullscreen) deck.requestFullscreen().catch(function () {});
  }

  function end() {
    state.presenting = false;
    stopClock();
    document.documentElement.classList.remove("ww-presenting");
    deck.classList.remove("is-presenting");
    bar.hidden = true;
    slides.forEach(function (slide) { slide.hidden = false; });
    deck.querySelectorAll("[data-ww-timer]").forEach(function (timer) { timer.hidden = true; });
    if (document.fullscreenElement && document.exitFullscreen) document.exitFullscreen().catch(function () {});
    start.focus();
  }

  var NEXT = ["ArrowRight", "ArrowDown", "PageDown", " ", "Enter"];
  var BACK = ["ArrowLeft", "ArrowUp", "PageUp", "Backspace"];

  document.addEventListener("keydown", function (event) {
    if (!state.presenting || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest && event.target.closest("button") && (event.key === " " || event.key === "Enter")) return;
    if (NEXT.indexOf(event.key) >= 0) show(state.index + 1);
    else if (BACK.indexOf(event.key) >= 0) show(state.index - 1);
    else if (event.key === "Home") show(0);
    else if (event.key === "End") show(slides.length - 1);
    else if (event.key === "p" || event.key === "P") togglePause();
    else if (event.key === "Escape") end();
    else return;
    event.preventDefault();
  });

  // Leaving full screen with the browser's own Escape also stops presenting.
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement && state.presenting) end();
  });

  bar.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-go")) show(state.index + Number(button.getAttribute("data-go")));
    else if (button.hasAttribute("data-pause")) togglePause();
    else if (button.hasAttribute("data-stop")) end();
  });

  start.hidden = false;
  start.addEventListener("click", begin);
})();
