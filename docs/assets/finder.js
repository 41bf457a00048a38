/* The finder (/find/): full-text search and facets over every record, state in the URL.
 *
 * Data, all built by generator/finder.py and described there:
 *   finder/facets.json     one bitset per facet value, dates, the index manifest
 *   finder/lunr.js         the lunr.js whose index format lunr.py writes
 *   finder/index/<n>.json  index shards: contiguous runs of terms, fetched as words need them
 *   finder/cards/<n>.json  one result card per record, fetched for the results on screen
 *
 * Record text only ever reaches the page through textContent, never innerHTML.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-finder]");
  if (!form) return;

  var PAGE_SIZE = 20;  // cards shown at first, and added by "Show more results"
  // A word of fewer letters matches whole words only: a one- or two-letter prefix would
  // match a large part of the vocabulary and fetch many shards for little use.
  var MIN_PREFIX = 3;
  // While the last word is being typed it may run past its stem ("attenda" on the way to
  // "attendance", indexed as "attend"); it may drop up to this many letters to match.
  var BACKOFF = 4;
  var WARM_UP_RECORDS = 500;  // see warmUp()
  // lunr.py stores no metadata (such as word positions) with a posting; lunr.js only reads
  // it, so every posting can share one empty object.
  var NO_METADATA = Object.freeze({});
  var SORTS = ["relevance", "rating", "updated"];

  var input = form.querySelector("input[type=search]");
  var sortSelect = form.querySelector("select[name=sort]");
  var status = form.querySelector("[role=status]");
  var list = form.querySelector("[data-results]");
  var more = form.querySelector("[data-more]");
  var clear = form.querySelector("[data-clear]");
  var selectedNote = form.querySelector("[data-selected]");
  var filters = form.querySelector(".ww-finder__filters");
  var boxes = Array.prototype.slice.call(form.querySelectorAll(".ww-facet input[type=checkbox]"));
  var dataUrl = new URL(form.getAttribute("data-data"), location.href);
  var dataFolder = dataUrl.href.replace(/[^/]*$/, "");
  var root = form.getAttribute("data-root");

  var data = null;          // facets.json
  var words32 = 0;          // length of every bitset in 32-bit words
  var everything = null;    // the bitset of all records
  var facetBits = {};       // facet id -> value id -> bitset
  var ratingRank = [];      // record -> rank of its rating (evidence: after every level)
  var updated = [];         // record -> when it was last updated, in days
  var cards = new Map();    // record -> Promise of its card
  var shards = new Map();   // shard number -> Promise of its terms
  var loadedShards = [];    // shard number -> terms, once fetched
  var index = null;         // a lunr.Index over the loaded shards
  var indexedCount = -1;    // how many shards `index` was built from
  var lunrLoading = null;   // a Promise of lunr.js, once asked for
  var lunrLoaded = false;
  var generation = 0;       // each update's number: a slower, older update must not win
  var shown = PAGE_SIZE;
  var typingEntry = false;  // the current history entry was made by typing
  var pendingHistory = null; // a change not yet written to the history: { url, replace, typing }

  form.hidden = false;
  if (window.matchMedia("(max-width: 44.99em)").matches) filters.open = false;

  // ---- data -------------------------------------------------------------------------

  function versioned(path) {
    return dataFolder + path + "?v=" + data.build;
  }

  function fetchJSON(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  function decodeBitset(text) {
    var bytes = atob(text), set = new Uint32Array(words32);
    for (var i = 0; i < bytes.length; i++) set[i >> 2] |= bytes.charCodeAt(i) << ((i & 3) * 8);
    return set;
  }

  function loadLunr() {
    if (!lunrLoading) {
      lunrLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = dataFolder + "lunr.js?v=" + (data ? data.build : "");
        script.onload = function () { lunrLoaded = true; resolve(); };
        script.onerror = function () { lunrLoading = null; reject(new Error("lunr.js did not load")); };
        document.head.appendChild(script);
      });
    }
    return lunrLoading;
  }

  function card(n) {
    if (!cards.has(n)) {
      cards.set(n, fetchJSON(versioned("cards/" + n + ".json")).catch(function (error) {
        cards.delete(n);
        throw error;
      }));
    }
    return cards.get(n);
  }

  function shard(n) {
    if (!shards.has(n)) {
      shards.set(n, fetchJSON(versioned("index/" + n + ".json")).then(function (terms) {
        loadedShards[n] = terms;
        return terms;
      }, function (error) {
        shards.delete(n);
        throw error;
      }));
    }
    return shards.get(n);
  }

  // ---- bitsets ----------------------------------------------------------------------

  function and(a, b) {
    var out = new Uint32Array(words32);
    for (var i = 0; i < words32; i++) out[i] = a[i] & b[i];
    return out;
  }

  function or(a, b) {
    var out = new Uint32Array(words32);
    for (var i = 0; i < words32; i++) out[i] = a[i] | b[i];
    return out;
  }

  function count(set) {
    var total = 0;
    for (var i = 0; i < words32; i++) {
      var v = set[i] - ((set[i] >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      total += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return total;
  }

  function has(set, n) {
    return (set[n >> 5] >>> (n & 31)) & 1;
  }

  function fromList(numbers) {
    var set = new Uint32Array(words32);
    numbers.forEach(function (n) { set[n >> 5] |= 1 << (n & 31); });
    return set;
  }

  // ---- state and the URL ------------------------------------------------------------
  // ?text=...&theme=...&sort=... ("q" would open Material's header search, which reads it)

  function readState(search) {
    var params = new URLSearchParams(search);
    var state = { q: params.get("text") || "", sort: params.get("sort") || "relevance", facets: {} };
    if (SORTS.indexOf(state.sort) < 0) state.sort = "relevance";
    boxes.forEach(function (box) { state.facets[box.name] = params.getAll(box.name); });
    return state;
  }

  function formState() {
    var state = { q: input.value, sort: sortSelect.value, facets: {} };
    boxes.forEach(function (box) {
      state.facets[box.name] = state.facets[box.name] || [];
      if (box.checked) state.facets[box.name].push(box.value);
    });
    return state;
  }

  function applyState(state) {
    input.value = state.q;
    sortSelect.value = state.sort;
    boxes.forEach(function (box) { box.checked = state.facets[box.name].indexOf(box.value) >= 0; });
  }

  function urlFor(state) {
    var params = new URLSearchParams();
    if (state.q.trim()) params.append("text", state.q.trim());
    Object.keys(state.facets).forEach(function (facet) {
      state.facets[facet].forEach(function (value) { params.append(facet, value); });
    });
    if (state.sort !== "relevance") params.append("sort", state.sort);
    var query = params.toString();
    return location.pathname + (query ? "?" + query : "");
  }

  // Each change is a history entry, so Back undoes it; typing a word is one change. The
  // entry is written once the results are up: a new address makes the browser fetch the
  // page's icon again, which would compete with the search's own requests.
  function changed(typing) {
    shown = PAGE_SIZE;
    if (pendingHistory && !(typing && pendingHistory.typing)) writeHistory();
    var url = urlFor(formState());
    if (pendingHistory) pendingHistory.url = url;
    else pendingHistory = { url: url, replace: typing && typingEntry, typing: typing };
    typingEntry = typing;
    update().then(writeHistory);
    setTimeout(writeHistory, 500);
  }

  function writeHistory() {
    var entry = pendingHistory;
    pendingHistory = null;
    if (!entry || entry.url === location.pathname + location.search) return;
    if (entry.replace) history.replaceState(null, "", entry.url);
    else history.pushState(null, "", entry.url);
  }

  // ---- full-text search -------------------------------------------------------------

  // The words of a query, split and trimmed as lunr.py split and trimmed the records.
  var SEPARATOR = /[ \t\n\r\f\v\u00a0-]+/;
  var TRIM = /^[^\p{L}\p{N}\p{M}_]*?([\p{L}\p{N}\p{M}_]+)[^\p{L}\p{N}\p{M}_]*?$/u;
  var PLAIN_WORD = /^[a-z0-9]+$/;  // needs no trimming

  function trim(word) {
    if (PLAIN_WORD.test(word)) return word;
    var match = TRIM.exec(word);
    return match ? match[1] : word;
  }

  function stem(word) {
    return lunr.stemmer(new lunr.Token(word)).toString();
  }

  function queryWords(text) {
    return text.toLowerCase().split(SEPARATOR).map(trim).filter(function (word) {
      return word && lunr.stopWordFilter(word) !== undefined;
    });
  }

  function firstShardAfter(term) {
    var first = data.index.shards, low = 0, high = first.length;
    while (low < high) {
      var mid = (low + high) >> 1;
      if (first[mid] <= term) low = mid + 1; else high = mid;
    }
    return low;
  }

  // The shards that hold every term from `low` to `high`.
  function shardsFor(low, high) {
    var start = Math.max(firstShardAfter(low) - 1, 0), end = firstShardAfter(high) - 1, wanted = [];
    for (var n = start; n <= end; n++) wanted.push(n);
    return wanted;
  }

  function termRange(term, prefix) {
    return prefix ? shardsFor(term, term + "\uffff") : shardsFor(term, term);
  }

  // A lunr index over the shards fetched so far.
  function currentIndex() {
    var numbers = Object.keys(loadedShards).map(Number).sort(function (a, b) { return a - b; });
    if (numbers.length !== indexedCount) {
      index = indexOf(numbers.map(function (n) { return loadedShards[n]; }));
      indexedCount = numbers.length;
    }
    return index;
  }

  // Shards, in term order, rebuilt in lunr's serialised form and loaded by lunr.js, which
  // then scores exactly as it would with the whole index.
  function indexOf(shardList) {
    var fields = data.index.fields, inverted = [], vectors = new Map();
    shardList.forEach(function (terms) {
      terms.forEach(function (entry) {
        var term = entry[1], posting = { _index: term };
        fields.forEach(function (field, f) {
          var refs = {}, flat = entry[2][f], ref = 0;
          for (var i = 0; i < flat.length; i += 2) {
            ref += flat[i];
            refs[ref] = NO_METADATA;
            var key = field + "/" + ref, elements = vectors.get(key);
            if (!elements) vectors.set(key, elements = []);
            elements.push(term, flat[i + 1]);
          }
          posting[field] = refs;
        });
        inverted.push([entry[0], posting]);
      });
    });
    var fieldVectors = [];
    vectors.forEach(function (elements, key) {
      fieldVectors.push([key, elements.length > 2 ? byTermIndex(elements) : elements]);
    });
    return lunr.Index.load({
      version: data.index.version, fields: fields, pipeline: data.index.pipeline,
      fieldVectors: fieldVectors, invertedIndex: inverted,
    });
  }

  // A vector's [term index, weight, ...] pairs in the order lunr.Vector needs.
  function byTermIndex(elements) {
    var pairs = [];
    for (var i = 0; i < elements.length; i += 2) pairs.push([elements[i], elements[i + 1]]);
    pairs.sort(function (a, b) { return a[0] - b[0]; });
    var sorted = [];
    pairs.forEach(function (pair) { sorted.push(pair[0], pair[1]); });
    return sorted;
  }

  function expands(term, prefix) {
    var idx = currentIndex();
    if (!prefix) return term in idx.invertedIndex;
    return idx.tokenSet.intersect(lunr.TokenSet.fromString(term + "*")).toArray().length > 0;
  }

  function loadFor(term, prefix) {
    return Promise.all(termRange(term, prefix).map(shard));
  }

  // Which index term (or prefix) each word of the query stands for.
  function clausesFor(words) {
    return Promise.all(words.map(function (word, position) {
      var stemmed = stem(word);
      if (word.length < MIN_PREFIX) {
        return loadFor(stemmed, false).then(function () { return { term: stemmed, prefix: false }; });
      }
      var candidates = [stemmed];
      if (word !== stemmed) candidates.push(word);
      var backoff = [];
      if (position === words.length - 1) {
        for (var k = word.length - 1; k >= Math.max(MIN_PREFIX, word.length - BACKOFF); k--) backoff.push(word.slice(0, k));
      }
      return Promise.all(candidates.map(function (c) { return loadFor(c, true); })).then(function () {
        var found = candidates.filter(function (c) { return expands(c, true); })[0];
        if (found || !backoff.length) return { term: found || stemmed, prefix: true };
        return loadFor(backoff[backoff.length - 1], true).then(function () {
          var shorter = backoff.filter(function (c) { return expands(c, true); })[0];
          return { term: shorter || stemmed, prefix: true };
        });
      });
    }));
  }

  // Records matching every word of the text, best first, with the index terms each matched.
  function search(text) {
    if (!lunrLoaded) return loadLunr().then(function () { return search(text); });
    var words = queryWords(text);
    if (!words.length) return Promise.resolve(null);
    return clausesFor(words).then(function (clauses) {
      var found = currentIndex().query(function (query) {
        clauses.forEach(function (clause) {
          query.term(clause.term, {
            usePipeline: false, presence: lunr.Query.presence.REQUIRED,
            wildcard: clause.prefix ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE,
          });
        });
      });
      var order = [], matched = new Map();
      found.forEach(function (result) {
        order.push(Number(result.ref));
        matched.set(Number(result.ref), result.matchData);
      });
      // The index terms a record matched, for highlighting: read only for cards shown.
      var terms = function (n) { return new Set(Object.keys(matched.get(n).metadata)); };
      return { order: order, set: fromList(order), terms: terms };
    });
  }

  // While the page is idle, runs the search's own steps (decoding a shard, loading it
  // into lunr, querying, stemming) on a made-up shard of a few hundred records, so that
  // the browser has compiled and optimised them before the first word is typed. It takes
  // a few milliseconds once, and saves more than that on the first search.
  function warmUp() {
    var postings = [];
    for (var n = 0; n < WARM_UP_RECORDS; n++) postings.push(n ? 1 : 0, 1);
    var entry = ["warm", 0, data.index.fields.map(function (field, f) { return f ? [] : postings; })];
    indexOf([[entry]]).query(function (query) {
      query.term("warm", { usePipeline: false, presence: lunr.Query.presence.REQUIRED, wildcard: lunr.Query.wildcard.TRAILING });
    }).forEach(function (result) { return Object.keys(result.matchData.metadata); });
    queryWords("warming up");
    stem("warming");
  }

  // ---- results ----------------------------------------------------------------------

  function selectedSets(state) {
    var sets = {};
    Object.keys(facetBits).forEach(function (facet) {
      var chosen = state.facets[facet].filter(function (value) { return facetBits[facet][value]; });
      if (!chosen.length) return;
      sets[facet] = chosen.map(function (value) { return facetBits[facet][value]; }).reduce(or);
    });
    return sets;
  }

  // Each value's count is how many results there would be with it ticked, keeping the
  // other facets as they are: values within a facet widen, facets narrow.
  function updateCounts(base, sets) {
    Object.keys(facetBits).forEach(function (facet) {
      var others = base;
      Object.keys(sets).forEach(function (other) { if (other !== facet) others = and(others, sets[other]); });
      Object.keys(facetBits[facet]).forEach(function (value) {
        var box = document.getElementById("ww-f-" + facet + "-" + value);
        if (!box) return;
        var n = count(and(others, facetBits[facet][value]));
        box.parentNode.querySelector("[data-count]").textContent = "(" + n + ")";
        box.parentNode.classList.toggle("ww-facet__value--none", n === 0);
      });
    });
  }

  function ordered(text, set, sort) {
    var order = [];
    if (text) text.order.forEach(function (n) { if (has(set, n)) order.push(n); });
    else for (var n = 0; n < data.records; n++) if (has(set, n)) order.push(n);
    if (sort === "rating") order = stableSort(order, function (n) { return ratingRank[n]; });
    if (sort === "updated") order = stableSort(order, function (n) { return -updated[n]; });
    return order;
  }

  function stableSort(order, key) {
    return order.map(function (n, position) { return [key(n), position, n]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
      .map(function (entry) { return entry[2]; });
  }

  // Brings counts and results up to date with the form. `adding`: "Show more results"
  // asked, so cards are added after those shown and the first new one gets the focus.
  function update(adding) {
    var mine = ++generation, state = formState();
    var selected = boxes.filter(function (box) { return box.checked; }).length;
    selectedNote.textContent = selected ? "(" + selected + " selected)" : "";
    var textPromise = state.q.trim() ? search(state.q) : Promise.resolve(null);
    return textPromise.then(function (text) {
      if (mine !== generation) return;
      var base = text ? text.set : everything, sets = selectedSets(state), results = base;
      Object.keys(sets).forEach(function (facet) { results = and(results, sets[facet]); });
      var order = ordered(text, results, state.sort);
      var from = adding ? list.children.length : 0, to = Math.min(shown, order.length);
      if (from >= to) {
        showResults(order, state, adding);
        updateCounts(base, sets);
        return;
      }
      // The first result is what the eye waits for: it is fetched on its own, and the
      // counts and the rest of the page follow once it is on screen.
      return card(order[from]).then(function (info) {
        if (mine !== generation) return;
        showResults(order, state, adding);
        var item = list.appendChild(cardElement(info, text ? text.terms(order[from]) : null));
        if (adding) item.querySelector("a").focus();
        return afterPaint().then(function () {
          if (mine !== generation) return;
          updateCounts(base, sets);
          // The others are requested together, and each is shown once those before it are.
          var step = Promise.resolve();
          order.slice(from + 1, to).map(card).forEach(function (promise, i) {
            step = step.then(function () { return promise; }).then(function (next) {
              if (mine !== generation) return;
              list.appendChild(cardElement(next, text ? text.terms(order[from + 1 + i]) : null));
            });
          });
          return step;
        });
      });
    }).catch(function (error) {
      if (mine !== generation) return;
      status.textContent = "Something went wrong while searching. Please reload the page.";
      if (window.console) console.error(error);
    });
  }

  // Resolves once the browser has drawn what the page holds now.
  function afterPaint() {
    return new Promise(function (resolve) {
      requestAnimationFrame(function () { setTimeout(resolve, 0); });
    });
  }

  // The count, announced to screen readers, and an empty list for the cards (unless adding).
  function showResults(order, state, adding) {
    if (!adding) {
      list.textContent = "";
      list.setAttribute("data-query", state.q.trim());
    }
    var total = order.length;
    status.textContent = total === 0 ? "No results. Try fewer or shorter words, or clear some filters."
      : total === 1 ? "1 result" : total + " results";
    more.hidden = Math.min(shown, total) >= total;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Text with every word whose stem the search matched wrapped in <mark>, built from
  // text nodes: the record's text is never parsed as HTML.
  function highlighted(tag, className, text, terms) {
    var node = element(tag, className);
    if (!terms || !terms.size) {
      node.textContent = text;
      return node;
    }
    // A word's stem begins with the word's first letter: most words need no stemming.
    var initials = new Set();
    terms.forEach(function (term) { initials.add(term.charAt(0)); });
    var unmarked = "";
    text.split(/([ \t\n\r\f\v\u00a0-]+)/).forEach(function (piece) {
      var lower = piece.toLowerCase(), core = trim(lower);
      var at = core && initials.has(core.charAt(0)) && terms.has(stem(core)) ? lower.indexOf(core) : -1;
      if (at < 0) {
        unmarked += piece;
        return;
      }
      node.appendChild(document.createTextNode(unmarked + piece.slice(0, at)));
      node.appendChild(element("mark", "", piece.slice(at, at + core.length)));
      unmarked = piece.slice(at + core.length);
    });
    if (unmarked) node.appendChild(document.createTextNode(unmarked));
    return node;
  }

  function cardElement(info, terms) {
    var item = element("li"), article = element("article", "ww-card");
    var type = element("p", "ww-card__type", info.type);
    if (info.rating) {
      var badge = element("span", "ww-badge ww-badge--" + info.rating[0], info.rating[1]);
      type.appendChild(document.createTextNode(" "));
      type.appendChild(badge);
    }
    article.appendChild(type);
    var heading = element("h2", "ww-card__title"), link = highlighted("a", "", info.title, terms);
    link.href = root + info.url;
    heading.appendChild(link);
    article.appendChild(heading);
    article.appendChild(highlighted("p", "ww-card__summary", info.summary, terms));
    if (info.figure) {
      var figure = element("p", "ww-card__figure");
      figure.appendChild(element("strong", "", info.figure[0]));
      figure.appendChild(document.createTextNode(" "));
      figure.appendChild(highlighted("span", "", info.figure[1], terms));
      article.appendChild(figure);
    }
    var facts = element("dl", "ww-card__meta");
    info.facts.forEach(function (fact) {
      facts.appendChild(element("dt", "", fact[0]));
      facts.appendChild(highlighted("dd", "", fact[1], terms));
    });
    article.appendChild(facts);
    item.appendChild(article);
    return item;
  }

  // ---- wiring -----------------------------------------------------------------------

  function start(facets) {
    data = facets;
    words32 = Math.ceil(data.records / 32);
    everything = new Uint32Array(words32);
    for (var n = 0; n < data.records; n++) everything[n >> 5] |= 1 << (n & 31);
    Object.keys(data.facets).forEach(function (facet) {
      facetBits[facet] = {};
      Object.keys(data.facets[facet]).forEach(function (value) {
        facetBits[facet][value] = decodeBitset(data.facets[facet][value]);
      });
    });
    var days = atob(data.updated);
    for (n = 0; n < data.records; n++) updated[n] = days.charCodeAt(2 * n) | (days.charCodeAt(2 * n + 1) << 8);
    for (n = 0; n < data.records; n++) ratingRank[n] = Infinity;
    Object.keys(data.ratingRank).forEach(function (level) {
      var set = facetBits.rating[level];
      for (var r = 0; r < data.records; r++) if (has(set, r)) ratingRank[r] = data.ratingRank[level];
    });
    applyState(readState(location.search));
    // lunr.js is needed as soon as a word is typed: fetch it once the first results are
    // up, so that typing waits only for the index shards its words need.
    update().then(function () { return loadLunr().then(warmUp); }).catch(function () {});
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  input.addEventListener("focus", function () { if (data) loadLunr(); });
  input.addEventListener("input", function () { if (data) changed(true); });
  form.addEventListener("change", function (event) {
    if (data && (event.target.type === "checkbox" || event.target === sortSelect)) changed(false);
  });
  clear.addEventListener("click", function () {
    input.value = "";
    boxes.forEach(function (box) { box.checked = false; });
    if (data) changed(false);
  });
  more.addEventListener("click", function () {
    shown += PAGE_SIZE;
    update(true);
  });
  window.addEventListener("popstate", function () {
    if (!data) return;
    pendingHistory = null;
    applyState(readState(location.search));
    typingEntry = false;
    shown = PAGE_SIZE;
    update();
  });

  fetchJSON(dataUrl.href).then(start).catch(function (error) {
    status.textContent = "The finder could not load its data.";
    var failed = document.querySelector("[data-finder-failed]");
    if (failed) failed.hidden = false;
    if (window.console) console.error(error);
  });
})();
