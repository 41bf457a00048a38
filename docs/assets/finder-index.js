/* The finder's data side (/find/): the records' facets, the full-text search, the cards.
 * It knows nothing of the page; assets/finder.js, the page's side, is its one caller.
 *
 * Data, all built by generator/finder.py and described there:
 *   finder/facets.json     the manifest: one bitset per facet value, dates, the index's
 *                          fields and shards, the characters words are split at, the groups
 *                          of synonyms (to mark them in results), the build
 *   finder/lunr.js         the lunr.js whose index format lunr.py writes
 *   finder/index/<n>.json  index shards: contiguous runs of terms, fetched as words need them
 *   finder/cards/<n>.json  one result card per record, fetched for the results on screen
 *
 *   const index = await FinderIndex.load(url)  reads the manifest at `url`
 *   await index.search(view)                   the records for a view's words, ticks and sort:
 *                                              { order, terms(n), counts() }
 *   await index.card(n)                        record n's card
 *   for await (const card of index.cards(ns))  cards, all requested at once, in order
 *   index.highlight(text, terms)               text cut into unmarked and marked pieces
 *   await index.loadLunr(), index.warmUp()     lunr.js ahead of the first word
 *
 * Every file is read through read() below; nothing here touches the page, but for the
 * <script> element read() adds to load lunr.js.
 */
(function () {
  "use strict";

  // A word of fewer letters matches whole words only: a one- or two-letter prefix would
  // match a large part of the vocabulary and fetch many shards for little use.
  const MIN_PREFIX = 3;
  // While the last word is being typed it may run past its stem ("attenda" on the way to
  // "attendance", indexed as "attend"); it may drop up to this many letters to match.
  const BACKOFF = 4;
  // ...but never below this many letters: "truanc" cut to "tru" would find "trust".
  const MIN_BACKOFF = 5;
  const WARM_UP_RECORDS = 500;  // see warmUp()
  // lunr.py stores no metadata (such as word positions) with a posting; lunr.js only reads
  // it, so every posting can share one empty object.
  const NO_METADATA = Object.freeze({});

  // A word trimmed as lunr.py's trimmer trims it (the words are split at the manifest's
  // separator, which is lunr.py's own).
  const TRIM = /^[^\p{L}\p{N}\p{M}_]*?([\p{L}\p{N}\p{M}_]+)[^\p{L}\p{N}\p{M}_]*?$/u;
  const PLAIN_WORD = /^[a-z0-9]+$/;  // needs no trimming

  // ---- reading files ----------------------------------------------------------------

  // Every file the finder reads comes through here: the manifest, shards and cards as
  // JSON (as = "json"), and lunr.js as a script (as = "script"), which defines `lunr`.
  // To serve the data some other way (preloaded, for a page opened from file://), change
  // this function, or pass FinderIndex.load a `read` of the same form.
  async function read(url, as) {
    if (as === "script") {
      return new Promise(function (resolve, reject) {
        const script = document.createElement("script");
        script.src = url;
        script.onload = function () { resolve(); };
        script.onerror = function () { reject(new Error(url + " did not load")); };
        document.head.appendChild(script);
      });
    }
    // The offline copy (generator/offline.py) preloads every JSON file, since a page
    // opened from file:// may not fetch: look the file up by its path in the site.
    const preloaded = window.WW_FINDER_FILES;
    if (preloaded) {
      const path = new URL(url, location.href).pathname;
      const key = Object.keys(preloaded).find(function (name) { return path.endsWith("/" + name); });
      if (key) return preloaded[key];
    }
    const response = await fetch(url);
    if (!response.ok) throw new Error(url + ": " + response.status);
    return response.json();
  }

  // The one request for `key`, made when first asked for; forgotten if it fails, so that
  // asking again tries again.
  function once(requests, key, request) {
    if (!requests.has(key)) {
      const promise = request();
      requests.set(key, promise);
      promise.catch(function () { requests.delete(key); });
    }
    return requests.get(key);
  }

  // ---- bitsets: record n is bit n % 32 of word n >> 5 ---------------------------------

  function decodeBitset(text, words) {
    const bytes = atob(text), set = new Uint32Array(words);
    for (let i = 0; i < bytes.length; i++) set[i >> 2] |= bytes.charCodeAt(i) << ((i & 3) * 8);
    return set;
  }

  // Whole numbers written two bytes each, little-endian, in base64 (finder.py's _uint16).
  function decodeUint16(text, count) {
    const bytes = atob(text), numbers = new Uint16Array(count);
    for (let n = 0; n < count; n++) numbers[n] = bytes.charCodeAt(2 * n) | (bytes.charCodeAt(2 * n + 1) << 8);
    return numbers;
  }

  function and(a, b) {
    const out = new Uint32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = a[i] & b[i];
    return out;
  }

  function or(a, b) {
    const out = new Uint32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = a[i] | b[i];
    return out;
  }

  function count(set) {
    let total = 0;
    for (let i = 0; i < set.length; i++) {
      let v = set[i] - ((set[i] >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      total += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return total;
  }

  function has(set, n) {
    return (set[n >> 5] >>> (n & 31)) & 1;
  }

  function fromList(numbers, words) {
    const set = new Uint32Array(words);
    for (const n of numbers) set[n >> 5] |= 1 << (n & 31);
    return set;
  }

  // ---- words ------------------------------------------------------------------------

  function trim(word) {
    if (PLAIN_WORD.test(word)) return word;
    const match = TRIM.exec(word);
    return match ? match[1] : word;
  }

  function stem(word) {
    return lunr.stemmer(new lunr.Token(word)).toString();
  }

  // ---- ordering ---------------------------------------------------------------------

  function stableSort(order, key) {
    return order.map(function (n, position) { return [key(n), position, n]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
      .map(function (entry) { return entry[2]; });
  }

  // A vector's [term index, weight, ...] pairs in the order lunr.Vector needs.
  function byTermIndex(elements) {
    const pairs = [];
    for (let i = 0; i < elements.length; i += 2) pairs.push([elements[i], elements[i + 1]]);
    pairs.sort(function (a, b) { return a[0] - b[0]; });
    const sorted = [];
    for (const pair of pairs) sorted.push(pair[0], pair[1]);
    return sorted;
  }

  class FinderIndex {
    // The manifest at `url` (absolute, or relative to the page), read and decoded.
    // options.read: what reads files, in place of read() above.
    static async load(url, options) {
      const address = new URL(url, location.href).href;
      const reader = (options && options.read) || read;
      return new FinderIndex(await reader(address, "json"), address, reader);
    }

    constructor(manifest, url, reader) {
      if (!manifest.separator) throw new Error(url + " gives no word separator: the site needs building again");
      this.manifest = manifest;
      this.records = manifest.records;
      this.folder = new URL(".", url).href;
      this.read = reader;
      this.requests = new Map();   // path -> Promise of a file: lunr.js, shards, cards
      this.loadedShards = [];      // shard number -> terms, once fetched
      this.lunrIndex = null;       // a lunr.Index over the loaded shards
      this.indexedCount = -1;      // how many shards `lunrIndex` was built from
      this.separator = new RegExp(manifest.separator + "+");
      this.separatorKept = new RegExp("(" + manifest.separator + "+)");  // split, keeping it
      // Groups of one-word synonyms as index terms: a result a synonym found marks them all.
      this.synonyms = (manifest.synonyms || []).map(function (group) { return new Set(group); });

      const words = Math.ceil(this.records / 32);
      this.everything = new Uint32Array(words);  // the bitset of all records
      for (let n = 0; n < this.records; n++) this.everything[n >> 5] |= 1 << (n & 31);
      this.facetBits = {};                       // facet id -> value id -> bitset
      for (const facet of Object.keys(manifest.facets)) {
        this.facetBits[facet] = {};
        for (const value of Object.keys(manifest.facets[facet])) {
          this.facetBits[facet][value] = decodeBitset(manifest.facets[facet][value], words);
        }
      }
      this.updated = decodeUint16(manifest.updated, this.records);  // record -> when it was last updated, in days
      // record -> its place when sorted strongest evidence first, then the most outside checking
      this.strongest = decodeUint16(manifest.strongest, this.records);
    }

    // A data file's address, with the build's hash, so that a browser asks for this
    // build's files rather than ones it cached from an earlier build.
    versioned(path) {
      return this.folder + path + "?v=" + this.manifest.build;
    }

    loadLunr() {
      return once(this.requests, "lunr.js", () => this.read(this.versioned("lunr.js"), "script"));
    }

    card(n) {
      const path = "cards/" + n + ".json";
      return once(this.requests, path, () => this.read(this.versioned(path), "json"));
    }

    // The cards of `numbers`, all requested at once, each given once those before it are.
    async * cards(numbers) {
      const requests = numbers.map((n) => this.card(n));
      for (const request of requests) yield await request;
    }

    shard(n) {
      const path = "index/" + n + ".json";
      return once(this.requests, path, async () => {
        const terms = await this.read(this.versioned(path), "json");
        this.loadedShards[n] = terms;
        return terms;
      });
    }

    // ---- full-text search -----------------------------------------------------------

    // The words of a query, split and trimmed as lunr.py split and trimmed the records,
    // without stop words. Needs lunr.js loaded.
    queryWords(text) {
      return text.toLowerCase().split(this.separator).map(trim).filter(function (word) {
        return word && lunr.stopWordFilter(word) !== undefined;
      });
    }

    async words(text) {
      await this.loadLunr();
      return this.queryWords(text);
    }

    firstShardAfter(term) {
      const first = this.manifest.index.shards;
      let low = 0, high = first.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (first[mid] <= term) low = mid + 1; else high = mid;
      }
      return low;
    }

    // The shards that hold every term from `low` to `high`.
    shardsFor(low, high) {
      const start = Math.max(this.firstShardAfter(low) - 1, 0), end = this.firstShardAfter(high) - 1, wanted = [];
      for (let n = start; n <= end; n++) wanted.push(n);
      return wanted;
    }

    loadFor(term, prefix) {
      const numbers = prefix ? this.shardsFor(term, term + "\uffff") : this.shardsFor(term, term);
      return Promise.all(numbers.map((n) => this.shard(n)));
    }

    // A lunr index over the shards fetched so far.
    currentIndex() {
      const numbers = Object.keys(this.loadedShards).map(Number).sort(function (a, b) { return a - b; });
      if (numbers.length !== this.indexedCount) {
        this.lunrIndex = this.indexOf(numbers.map((n) => this.loadedShards[n]));
        this.indexedCount = numbers.length;
      }
      return this.lunrIndex;
    }

    // Shards, in term order, rebuilt in lunr's serialised form and loaded by lunr.js, which
    // then scores exactly as it would with the whole index.
    indexOf(shardList) {
      const fields = this.manifest.index.fields, inverted = [], vectors = new Map();
      for (const terms of shardList) {
        for (const entry of terms) {
          const term = entry[1], posting = { _index: term };
          fields.forEach(function (field, f) {
            const refs = {}, flat = entry[2][f];
            let ref = 0;
            for (let i = 0; i < flat.length; i += 2) {
              ref += flat[i];
              refs[ref] = NO_METADATA;
              const key = field + "/" + ref;
              let elements = vectors.get(key);
              if (!elements) vectors.set(key, elements = []);
              elements.push(term, flat[i + 1]);
            }
            posting[field] = refs;
          });
          inverted.push([entry[0], posting]);
        }
      }
      const fieldVectors = [];
      vectors.forEach(function (elements, key) {
        fieldVectors.push([key, elements.length > 2 ? byTermIndex(elements) : elements]);
      });
      const index = this.manifest.index;
      return lunr.Index.load({
        version: index.version, fields: fields, pipeline: index.pipeline,
        fieldVectors: fieldVectors, invertedIndex: inverted,
      });
    }

    expands(term, prefix) {
      const index = this.currentIndex();
      if (!prefix) return term in index.invertedIndex;
      return index.tokenSet.intersect(lunr.TokenSet.fromString(term + "*")).toArray().length > 0;
    }

    // Which index term (or prefix) each word of the query stands for.
    clausesFor(words) {
      return Promise.all(words.map(async (word, position) => {
        const stemmed = stem(word);
        if (word.length < MIN_PREFIX) {
          await this.loadFor(stemmed, false);
          return { term: stemmed, prefix: false };
        }
        const candidates = word === stemmed ? [stemmed] : [stemmed, word];
        const backoff = [];
        if (position === words.length - 1) {
          for (let k = word.length - 1; k >= Math.max(MIN_BACKOFF, word.length - BACKOFF); k--) backoff.push(word.slice(0, k));
        }
        await Promise.all(candidates.map((c) => this.loadFor(c, true)));
        const found = candidates.find((c) => this.expands(c, true));
        if (found || !backoff.length) return { term: found || stemmed, prefix: true };
        await this.loadFor(backoff[backoff.length - 1], true);
        const shorter = backoff.find((c) => this.expands(c, true));
        return { term: shorter || stemmed, prefix: true };
      }));
    }

    // Records matching every word of the text, best first, with the index terms each
    // matched; null if the text has no words to search for.
    async fullText(text) {
      const words = await this.words(text);
      if (!words.length) return null;
      const clauses = await this.clausesFor(words);
      const found = this.currentIndex().query(function (query) {
        for (const clause of clauses) {
          query.term(clause.term, {
            usePipeline: false, presence: lunr.Query.presence.REQUIRED,
            wildcard: clause.prefix ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE,
          });
        }
      });
      const order = [], matched = new Map(), synonyms = this.synonyms;
      for (const result of found) {
        order.push(Number(result.ref));
        matched.set(Number(result.ref), result.matchData);
      }
      return {
        order: order,
        set: fromList(order, this.everything.length),
        // The index terms a record matched, and the synonyms of any of them, for
        // highlighting: read only for cards shown.
        terms: function (n) {
          const terms = new Set(Object.keys(matched.get(n).metadata));
          for (const group of synonyms) {
            if (Array.from(terms).some(function (term) { return group.has(term); })) group.forEach(function (term) { terms.add(term); });
          }
          return terms;
        },
      };
    }

    // ---- a view's results -----------------------------------------------------------

    // view: { q: the words, facets: { facet id: [value id, ...] }, sort }. Gives
    //   order      the matching records, in the view's order
    //   terms(n)   the index terms record n matched (a Set), or null without words
    //   counts()   facet id -> value id -> how many results ticking it would give; counted
    //              only when asked, so that a first card can be on screen before
    async search(view) {
      const text = view.q.trim() ? await this.fullText(view.q) : null;
      const base = text ? text.set : this.everything, sets = this.selectedSets(view.facets);
      let results = base;
      for (const facet of Object.keys(sets)) results = and(results, sets[facet]);
      return {
        order: this.ordered(text, results, view.sort),
        terms: function (n) { return text ? text.terms(n) : null; },
        counts: () => this.counts(base, sets),
      };
    }

    // facet id -> the bitset of the records with any of its ticked values, for facets
    // with a value ticked.
    selectedSets(ticked) {
      const sets = {};
      for (const facet of Object.keys(this.facetBits)) {
        const chosen = (ticked[facet] || []).filter((value) => this.facetBits[facet][value]);
        if (chosen.length) sets[facet] = chosen.map((value) => this.facetBits[facet][value]).reduce(or);
      }
      return sets;
    }

    // Each value's count is how many results there would be with it ticked, keeping the
    // other facets as they are: values within a facet widen, facets narrow.
    counts(base, sets) {
      const counts = {};
      for (const facet of Object.keys(this.facetBits)) {
        let others = base;
        for (const other of Object.keys(sets)) if (other !== facet) others = and(others, sets[other]);
        counts[facet] = {};
        for (const value of Object.keys(this.facetBits[facet])) {
          counts[facet][value] = count(and(others, this.facetBits[facet][value]));
        }
      }
      return counts;
    }

    ordered(text, set, sort) {
      let order;
      if (text) {
        order = text.order.filter(function (n) { return has(set, n); });
      } else {
        order = [];
        for (let n = 0; n < this.records; n++) if (has(set, n)) order.push(n);
      }
      if (sort === "rating") order = stableSort(order, (n) => this.strongest[n]);
      if (sort === "updated") order = stableSort(order, (n) => -this.updated[n]);
      return order;
    }

    // ---- highlighting ---------------------------------------------------------------

    // `text` cut into pieces, unmarked and marked by turns (the first and the last
    // unmarked, maybe empty): marked is every word whose stem is one of `terms`.
    highlight(text, terms) {
      if (!terms || !terms.size || typeof lunr === "undefined") return [text];
      // A word's stem begins with the word's first letter: most words need no stemming.
      const initials = new Set();
      terms.forEach(function (term) { initials.add(term.charAt(0)); });
      const pieces = [];
      let unmarked = "";
      for (const piece of text.split(this.separatorKept)) {
        const lower = piece.toLowerCase(), core = trim(lower);
        const at = core && initials.has(core.charAt(0)) && terms.has(stem(core)) ? lower.indexOf(core) : -1;
        if (at < 0) {
          unmarked += piece;
          continue;
        }
        pieces.push(unmarked + piece.slice(0, at), piece.slice(at, at + core.length));
        unmarked = piece.slice(at + core.length);
      }
      pieces.push(unmarked);
      return pieces;
    }

    // Loads lunr.js, then runs the search's own steps (decoding a shard, loading it into
    // lunr, querying, stemming, highlighting) on a made-up shard of a few hundred
    // records, so that the browser has compiled and optimised them before the first word
    // is typed. It takes a few milliseconds once, and saves more than that on the first
    // search. The page calls it once its first results are up.
    async warmUp() {
      await this.loadLunr();
      const postings = [];
      for (let n = 0; n < WARM_UP_RECORDS; n++) postings.push(n ? 1 : 0, 1);
      const entry = ["warm", 0, this.manifest.index.fields.map(function (field, f) { return f ? [] : postings; })];
      this.indexOf([[entry]]).query(function (query) {
        query.term("warm", { usePipeline: false, presence: lunr.Query.presence.REQUIRED, wildcard: lunr.Query.wildcard.TRAILING });
      }).forEach(function (result) { return Object.keys(result.matchData.metadata); });
      this.queryWords("warming up");
      this.highlight("Warming up", new Set([stem("warming")]));
    }
  }

  globalThis.FinderIndex = FinderIndex;
})();
