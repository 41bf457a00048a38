/* The finder (/find/): full-text search and facets over every record, state in the URL.
 *
 * This is the page's side: it reads and writes the form and the address, shows the
 * results, the counts and the matched words, and announces the results to screen readers.
 * The records' data, and the search itself, are assets/finder-index.js's FinderIndex,
 * which overrides/main.html loads first.
 *
 * Record text only ever reaches the page through textContent, never innerHTML.
 */
(function () {
  "use strict";

  const form = document.querySelector("[data-finder]");
  if (!form) return;

  const PAGE_SIZE = 20;  // cards shown at first, and added by "Show more results"
  const SORTS = ["relevance", "rating", "updated"];

  const input = form.querySelector("input[type=search]");
  const sortSelect = form.querySelector("select[name=sort]");
  const status = form.querySelector("[role=status]");
  const list = form.querySelector("[data-results]");
  const more = form.querySelector("[data-more]");
  const clear = form.querySelector("[data-clear]");
  const selectedNotes = Array.from(form.querySelectorAll("[data-selected]"));
  const filters = form.querySelector("[data-filters]");
  const filtersHome = form.querySelector("[data-filters-home]");
  const dialog = form.querySelector("[data-filters-dialog]");
  const openFilters = form.querySelector("[data-open-filters]");
  const done = form.querySelector("[data-close-filters]");
  const fieldsets = Array.from(form.querySelectorAll(".ww-facet"));
  const boxes = Array.from(form.querySelectorAll(".ww-facet input[type=checkbox]"));
  const root = form.getAttribute("data-root");
  // The width from which the filters sit beside the results (finder.css), not in a dialog.
  const wide = window.matchMedia("(min-width: 45em)");
  // Where the page was when the reader left it for a result, to go back to on Back.
  const SCROLL_KEY = "ww-finder-scroll";

  // What changes while the page is open.
  const finder = {
    index: null,          // the FinderIndex, once its manifest has loaded
    generation: 0,        // each update's number: a slower, older update must not win
    shown: PAGE_SIZE,     // how many cards the results show
    typingEntry: false,   // the current history entry was made by typing
    pendingHistory: null, // a change not yet written to the history: { url, replace, typing }
  };

  form.hidden = false;

  // ---- the view and the URL ---------------------------------------------------------
  // A view is the words, the ticks and the sort: { q, facets: { facet: [value, ...] }, sort }.
  // ?text=...&theme=...&sort=... ("q" would open Material's header search, which reads it)

  function readView(search) {
    const params = new URLSearchParams(search);
    const view = { q: params.get("text") || "", sort: params.get("sort") || "relevance", facets: {} };
    if (SORTS.indexOf(view.sort) < 0) view.sort = "relevance";
    for (const box of boxes) view.facets[box.name] = params.getAll(box.name);
    return view;
  }

  function formView() {
    const view = { q: input.value, sort: sortSelect.value, facets: {} };
    for (const box of boxes) {
      view.facets[box.name] = view.facets[box.name] || [];
      if (box.checked) view.facets[box.name].push(box.value);
    }
    return view;
  }

  function showView(view) {
    input.value = view.q;
    sortSelect.value = view.sort;
    for (const box of boxes) box.checked = view.facets[box.name].indexOf(box.value) >= 0;
  }

  function urlFor(view) {
    const params = new URLSearchParams();
    if (view.q.trim()) params.append("text", view.q.trim());
    for (const facet of Object.keys(view.facets)) {
      for (const value of view.facets[facet]) params.append(facet, value);
    }
    if (view.sort !== "relevance") params.append("sort", view.sort);
    const query = params.toString();
    return location.pathname + (query ? "?" + query : "");
  }

  // Each change is a history entry, so Back undoes it; typing a word is one change. The
  // search starts first, and the entry is written once the results are up: a new address
  // makes the browser fetch the page's icon again, which would compete with the search's
  // own requests.
  async function changed(typing) {
    finder.shown = PAGE_SIZE;
    if (finder.pendingHistory && !(typing && finder.pendingHistory.typing)) writeHistory();
    const url = urlFor(formView());
    if (finder.pendingHistory) finder.pendingHistory.url = url;
    else finder.pendingHistory = { url: url, replace: typing && finder.typingEntry, typing: typing };
    finder.typingEntry = typing;
    const searched = update();  // never rejects: it says on the page what went wrong
    setTimeout(writeHistory, 500);
    await searched;
    writeHistory();
  }

  function writeHistory() {
    const entry = finder.pendingHistory;
    finder.pendingHistory = null;
    if (!entry || entry.url === location.pathname + location.search) return;
    if (entry.replace) history.replaceState(null, "", entry.url);
    else history.pushState(null, "", entry.url);
  }

  // ---- results ----------------------------------------------------------------------

  // Brings counts and results up to date with the form. `adding`: "Show more results"
  // asked, so cards are added after those shown and the first new one gets the focus.
  async function update(adding) {
    const mine = ++finder.generation, view = formView(), index = finder.index;
    const current = function () { return mine === finder.generation; };
    const selected = boxes.filter(function (box) { return box.checked; }).length;
    for (const note of selectedNotes) note.textContent = selected ? "(" + selected + ")" : "";
    try {
      const found = await index.search(view);
      if (!current()) return;
      const order = found.order;
      const from = adding ? list.children.length : 0, to = Math.min(finder.shown, order.length);
      if (from >= to) {
        showResults(order.length, view, adding);
        showCounts(found.counts());
        return;
      }
      // The first result is what the eye waits for: it is fetched on its own, and the
      // counts and the rest of the page follow once it is on screen.
      const first = await index.card(order[from]);
      if (!current()) return;
      showResults(order.length, view, adding);
      const item = list.appendChild(cardElement(first, found.terms(order[from])));
      if (adding) item.querySelector("a").focus();
      await afterPaint();
      if (!current()) return;
      showCounts(found.counts());
      // The others are requested together, and each is shown once those before it are.
      const rest = order.slice(from + 1, to);
      let position = 0;
      for await (const info of index.cards(rest)) {
        if (!current()) return;
        list.appendChild(cardElement(info, found.terms(rest[position++])));
      }
    } catch (error) {
      if (!current()) return;
      status.textContent = "Something went wrong while searching. Please reload the page.";
      console.error(error);
    }
  }

  // Resolves once the browser has drawn what the page holds now.
  function afterPaint() {
    return new Promise(function (resolve) {
      requestAnimationFrame(function () { setTimeout(resolve, 0); });
    });
  }

  // The count, announced to screen readers, and an empty list for the cards (unless adding).
  function showResults(total, view, adding) {
    if (!adding) {
      list.textContent = "";
      list.setAttribute("data-query", view.q.trim());
    }
    status.textContent = total === 0 ? "No results. Try fewer or shorter words, or clear some filters."
      : total === 1 ? "1 result" : total + " results";
    done.textContent = total === 0 ? "Close the filters" : total === 1 ? "Show 1 result" : "Show " + total + " results";
    more.hidden = Math.min(finder.shown, total) >= total;
  }

  // Beside each value, how many results ticking it would give.
  function showCounts(counts) {
    for (const box of boxes) {
      const n = counts[box.name] && counts[box.name][box.value];
      if (n === undefined) continue;
      box.parentNode.querySelector("[data-count]").textContent = "(" + n + ")";
      box.parentNode.classList.toggle("ww-facet__value--none", n === 0);
    }
    fieldsets.forEach(showChoices);
  }

  // A choice that would give no results is hidden, unless it is ticked or the reader has
  // asked to see every choice of its facet; the facet's button says how many are hidden.
  function showChoices(fieldset) {
    const button = fieldset.querySelector("[data-more-choices]");
    const all = button.getAttribute("aria-expanded") === "true";
    let none = 0;
    for (const value of fieldset.querySelectorAll(".ww-facet__value")) {
      const empty = value.classList.contains("ww-facet__value--none") && !value.querySelector("input").checked;
      if (empty) none++;
      value.hidden = empty && !all;
    }
    button.hidden = none === 0 && !all;
    button.textContent = all ? "Show fewer choices" : "Show " + none + " more " + (none === 1 ? "choice" : "choices");
  }

  // ---- the filters on a phone: a dialog ------------------------------------------------

  function showFilters() {
    dialog.appendChild(filters);
    dialog.showModal();
    openFilters.setAttribute("aria-expanded", "true");
  }

  // On closing (the "Show results" button, Escape), the filters go back beside the
  // results, and the browser gives the focus back to the "Filters" button.
  dialog.addEventListener("close", function () {
    filtersHome.appendChild(filters);
    openFilters.setAttribute("aria-expanded", "false");
  });
  openFilters.addEventListener("click", showFilters);
  done.addEventListener("click", function () { dialog.close(); });
  wide.addEventListener("change", function () { if (wide.matches && dialog.open) dialog.close(); });
  for (const fieldset of fieldsets) {
    const button = fieldset.querySelector("[data-more-choices]");
    button.addEventListener("click", function () {
      button.setAttribute("aria-expanded", button.getAttribute("aria-expanded") === "true" ? "false" : "true");
      showChoices(fieldset);
    });
  }

  // ---- back from a result: the same place on the page ---------------------------------
  // The results are drawn after the page loads, too late for the browser's own scroll
  // restoring; so the page keeps where it was, and how many results it showed, for this
  // address, and goes back there once the results are drawn again.

  history.scrollRestoration = "manual";
  window.addEventListener("pagehide", function () {
    try {
      sessionStorage.setItem(SCROLL_KEY, JSON.stringify({ url: location.href, y: window.scrollY, shown: finder.shown }));
    } catch (error) {
      // No session storage (a private window may refuse it): Back starts at the top.
    }
  });

  function savedPlace() {
    const navigation = performance.getEntriesByType("navigation")[0];
    if (!navigation || navigation.type !== "back_forward") return null;
    try {
      const place = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || "null");
      return place && place.url === location.href ? place : null;
    } catch (error) {
      return null;
    }
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Text with every word whose stem the search matched wrapped in <mark>, built from
  // text nodes: the record's text is never parsed as HTML.
  function highlighted(tag, className, text, terms) {
    const node = element(tag, className);
    finder.index.highlight(text, terms).forEach(function (piece, i) {
      if (i % 2) node.appendChild(element("mark", "", piece));
      else if (piece) node.appendChild(document.createTextNode(piece));
    });
    return node;
  }

  // The two evidence signals, as the listing cards show them (macros.html.j2): strength
  // as dots and words, who checked it as words in a neutral outline.
  function signals(info) {
    const list = element("dl", "ww-signals");
    const strength = element("span", info.strength[0] === null ? "ww-strength ww-strength--none" : "ww-strength");
    if (info.strength[0] !== null) {
      const dots = element("span", "ww-strength__dots", "●●●●".slice(0, info.strength[0]) + "○○○○".slice(info.strength[0]));
      dots.setAttribute("aria-hidden", "true");
      strength.appendChild(dots);
      strength.appendChild(document.createTextNode(" "));
      strength.appendChild(element("span", "ww-strength__text", "Strength " + info.strength[0] + " of 4: " + info.strength[1]));
    } else {
      strength.textContent = info.strength[1];
    }
    const rows = [["Strength of evidence", strength], ["Who checked it", element("span", "ww-checked", info.checked[1])]];
    for (const [label, value] of rows) {
      const row = element("div");
      row.appendChild(element("dt", "", label));
      const dd = element("dd");
      dd.appendChild(value);
      row.appendChild(dd);
      list.appendChild(row);
    }
    return list;
  }

  function cardElement(info, terms) {
    const item = element("li"), article = element("article", "ww-card");
    const type = element("p", "ww-card__type", info.type + " · ");
    type.appendChild(element("span", "ww-evidence-year", info.year ? "Evidence from " + info.year : "Year of the evidence not stated"));
    article.appendChild(type);
    const heading = element("h2", "ww-card__title"), link = highlighted("a", "", info.title, terms);
    link.href = root + info.url;
    heading.appendChild(link);
    article.appendChild(heading);
    article.appendChild(signals(info));
    article.appendChild(highlighted("p", "ww-card__summary", info.summary, terms));
    if (info.figure) {
      const figure = element("p", "ww-card__figure");
      figure.appendChild(element("strong", "", info.figure[0]));
      figure.appendChild(document.createTextNode(" "));
      figure.appendChild(highlighted("span", "", info.figure[1], terms));
      article.appendChild(figure);
    } else if (info.figure === null) {
      article.appendChild(element("p", "ww-card__figure ww-card__figure--none", "No outcome measured"));
    }
    const facts = element("dl", "ww-card__meta");
    for (const fact of info.facts) {
      facts.appendChild(element("dt", "", fact[0]));
      facts.appendChild(highlighted("dd", "", fact[1], terms));
    }
    article.appendChild(facts);
    item.appendChild(article);
    return item;
  }

  // ---- wiring -----------------------------------------------------------------------

  async function start() {
    try {
      finder.index = await FinderIndex.load(form.getAttribute("data-data"));
    } catch (error) {
      status.textContent = "The finder could not load its data.";
      const failed = document.querySelector("[data-finder-failed]");
      if (failed) failed.hidden = false;
      console.error(error);
      return;
    }
    showView(readView(location.search));
    const place = savedPlace();
    if (place) finder.shown = Math.max(PAGE_SIZE, place.shown | 0);
    await update();
    if (place) window.scrollTo(0, place.y);
    // lunr.js is needed as soon as a word is typed: fetch it once the first results are
    // up, so that typing waits only for the index shards its words need, and warm up the
    // search while the page is idle.
    try {
      await finder.index.warmUp();
    } catch (error) {
      // The first search loads lunr.js again, and says so if it fails.
    }
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  input.addEventListener("focus", function () {
    if (finder.index) finder.index.loadLunr().catch(function () {});
  });
  input.addEventListener("input", function () { if (finder.index) changed(true); });
  form.addEventListener("change", function (event) {
    if (finder.index && (event.target.type === "checkbox" || event.target === sortSelect)) changed(false);
  });
  clear.addEventListener("click", function () {
    input.value = "";
    for (const box of boxes) box.checked = false;
    if (finder.index) changed(false);
  });
  more.addEventListener("click", function () {
    if (!finder.index) return;
    finder.shown += PAGE_SIZE;
    update(true);
  });
  window.addEventListener("popstate", function () {
    if (!finder.index) return;
    finder.pendingHistory = null;
    showView(readView(location.search));
    finder.typingEntry = false;
    finder.shown = PAGE_SIZE;
    update();
  });

  start();
})();
