/* What Works: answer boxes under the reflective questions, and the "My reflections" page.

   Answers are kept in this browser's localStorage only, one entry per record (exemplar or
   session pack) holding its title, kind and address with the answers, so that "My
   reflections" lists them without fetching anything. Nothing in this file makes a request:
   downloads are made in the page, from a Blob. The boxes are published disabled and the
   page says why; this file enables them, so without it nothing seems to save. */
(function () {
  "use strict";

  var PREFIX = "whatworks.reflections.";  // + a record id: that record's answers
  var SAVE_AFTER_MS = 400;  // saved this long after the last key press, and at once on leaving a box

  // ---------------------------------------------------------------- storage

  // localStorage can be missing or refuse writes (storage turned off, a full disk): then the
  // boxes still work for typing, printing and downloading, and the page says nothing is kept.
  var store = (function () {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null;
    }
  })();

  function read(recordId) {
    if (!store) return null;
    try {
      var entry = JSON.parse(store.getItem(PREFIX + recordId));
      return entry && typeof entry === "object" && entry.answers && typeof entry.answers === "object" ? entry : null;
    } catch (error) {
      return null;  // an entry this script did not write: treated as no answers
    }
  }

  function write(entry) {
    if (!store) return false;
    try {
      if (Object.keys(entry.answers).length) store.setItem(PREFIX + entry.id, JSON.stringify(entry));
      else store.removeItem(PREFIX + entry.id);
      return true;
    } catch (error) {
      return false;
    }
  }

  function forget(recordId) {
    if (store) store.removeItem(PREFIX + recordId);
  }

  function storedIds() {
    var ids = [];
    if (!store) return ids;
    for (var i = 0; i < store.length; i += 1) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) ids.push(key.slice(PREFIX.length));
    }
    return ids;
  }

  function byOrder(entry) {
    return Object.keys(entry.answers).map(function (key) { return entry.answers[key]; })
      .sort(function (a, b) { return (a.order || 0) - (b.order || 0); });
  }

  // ---------------------------------------------------------------- words and files

  function longDate(iso) {
    var date = new Date(iso);
    if (isNaN(date)) return "an unknown date";
    return date.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" }) + " at " +
      date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  }

  function isoDay(date) {
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return date.getFullYear() + "-" + two(date.getMonth() + 1) + "-" + two(date.getDate());
  }

  function slug(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "") || "page";
  }

  // A record's address as stored: absolute, so that it opens from "My reflections". Opened
  // from disk (the offline copy) a folder's address needs its index.html, as offline.py
  // gives every link.
  function address(relative) {
    var url = new URL(relative, window.location.href);
    url.hash = "";
    url.search = "";
    if (url.protocol === "file:" && /\/$/.test(url.pathname)) url.pathname += "index.html";
    return url.href;
  }

  function safeAddress(href) {
    return typeof href === "string" && /^(https?|file):\/\//.test(href) ? href : null;
  }

  // The page's title as its heading shows it, without the heading's permalink sign.
  function pageHeading() {
    var heading = document.querySelector(".md-content h1");
    if (!heading) return document.title;
    var copy = heading.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(function (link) { link.remove(); });
    return copy.textContent.trim();
  }

  function siteName() {
    var tools = document.querySelector("[data-ww-site]");
    return tools ? tools.getAttribute("data-ww-site") : "";
  }

  function asMarkdown(heading, entries, now) {
    var lines = ["# " + heading, "", "Downloaded from " + siteName() + " on " + longDate(now.toISOString()) +
      ". Your answers to its reflective questions and discussion prompts, as this browser kept them.", ""];
    entries.forEach(function (entry) {
      lines.push("## " + entry.title, "");
      lines.push(entry.kind + ": <" + entry.url + ">  ", "Last changed " + longDate(entry.changed), "");
      byOrder(entry).forEach(function (answer) {
        lines.push("### " + answer.question, "");
        // A line break inside a paragraph stays one (two spaces before it, in Markdown).
        lines.push(answer.text.replace(/\r\n?/g, "\n").trim().replace(/([^\n])\n(?!\n)/g, "$1  \n"), "");
      });
    });
    return lines.join("\n");
  }

  function escapeHtml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  // Word (and LibreOffice) open an HTML file saved as .doc that declares Word's namespaces:
  // headings, paragraphs and links come through as a Word document, with no library.
  function asWord(heading, entries, now) {
    var body = ["<h1>" + escapeHtml(heading) + "</h1>",
      "<p>Downloaded from " + escapeHtml(siteName()) + " on " + escapeHtml(longDate(now.toISOString())) +
      ". Your answers to its reflective questions and discussion prompts, as this browser kept them.</p>"];
    entries.forEach(function (entry) {
      body.push("<h2>" + escapeHtml(entry.title) + "</h2>");
      body.push("<p>" + escapeHtml(entry.kind) + ": <a href=\"" + escapeHtml(entry.url) + "\">" + escapeHtml(entry.url) +
        "</a><br>Last changed " + escapeHtml(longDate(entry.changed)) + "</p>");
      byOrder(entry).forEach(function (answer) {
        body.push("<h3>" + escapeHtml(answer.question) + "</h3>");
        answer.text.replace(/\r\n?/g, "\n").trim().split(/\n\s*\n/).forEach(function (paragraph) {
          body.push("<p>" + escapeHtml(paragraph).replace(/\n/g, "<br>") + "</p>");
        });
      });
    });
    return "\ufeff<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:w=\"urn:schemas-microsoft-com:office:word\" " +
      "xmlns=\"http://www.w3.org/TR/REC-html40\">\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n" +
      "<title>" + escapeHtml(heading) + "</title>\n<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->\n" +
      "<style>body, h1, h2, h3 { font-family: Calibri, Arial, sans-serif; } body { font-size: 11pt; } h3 { font-size: 11pt; }</style>\n</head>\n<body>\n" +
      body.join("\n") + "\n</body>\n</html>\n";
  }

  var FORMATS = {
    md: { extension: ".md", type: "text/markdown;charset=utf-8", make: asMarkdown },
    doc: { extension: ".doc", type: "application/msword;charset=utf-8", make: asWord },
  };

  function download(format, heading, entries) {
    var now = new Date();
    var kind = FORMATS[format];
    var name = slug(heading) + "-" + isoDay(now) + kind.extension;
    var url = URL.createObjectURL(new Blob([kind.make(heading, entries, now)], { type: kind.type }));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    return name;
  }

  // ---------------------------------------------------------------- a question before clearing

  // Asked in the page, not with window.confirm: the question and both answers are ordinary
  // text and buttons, read in order by a screen reader; "Keep them" has the focus.
  function confirmThen(button, question, yes, action) {
    var holder = button.parentNode;
    var open = holder.querySelector(".ww-confirm");
    if (open) open.remove();
    var box = document.createElement("div");
    box.className = "ww-confirm";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Confirm");
    var text = document.createElement("p");
    text.textContent = question;
    var confirm = document.createElement("button");
    confirm.type = "button";
    confirm.className = "md-button md-button--primary";
    confirm.textContent = yes;
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "md-button";
    cancel.textContent = "Keep them";
    box.append(text, confirm, " ", cancel);
    holder.appendChild(box);
    function close() { box.remove(); }
    confirm.addEventListener("click", function () { close(); action(); });
    cancel.addEventListener("click", function () { close(); button.focus(); });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); button.focus(); }
    });
    cancel.focus();
  }

  function announce(text) {
    document.querySelectorAll("[data-ww-answers-status]").forEach(function (status) {
      if (status.textContent !== text) status.textContent = text;
    });
  }

  function showEnabled() {
    document.querySelectorAll("[data-ww-answers-off]").forEach(function (note) { note.hidden = true; });
    document.querySelectorAll("[data-ww-answers-on]").forEach(function (note) {
      note.hidden = false;
      if (!store) {
        note.textContent = "This browser is not letting the site keep anything, so your answers will be lost when " +
          "you leave this page: download them or print the page first. Nothing you type is sent anywhere. " +
          "Please do not write children's or families' names.";
      }
    });
  }

  // ---------------------------------------------------------------- a page with answer boxes

  function answerBoxes() {
    var records = {};  // record id -> {meta, boxes}
    var order = [];
    document.querySelectorAll("[data-ww-reflect]").forEach(function (holder) {
      var id = holder.getAttribute("data-ww-reflect");
      if (!records[id]) {
        records[id] = {
          meta: {
            id: id,
            title: holder.getAttribute("data-ww-title"),
            kind: holder.getAttribute("data-ww-kind"),
            url: address(holder.getAttribute("data-ww-url")),
          },
          boxes: [],
        };
        order.push(id);
      }
      holder.querySelectorAll("textarea[data-ww-answer]").forEach(function (box) { records[id].boxes.push(box); });
    });
    if (!order.length) return;

    var pending = {};  // record id -> timer

    function question(box) {
      var label = document.querySelector("label[for=\"" + box.id + "\"]");
      return (label ? label.textContent : box.getAttribute("data-ww-answer")).replace(/\s+/g, " ").trim();
    }

    // An answer is kept under its question's words, not its number: if the editors reorder
    // or add questions, each answer stays with its question; if they reword one, its answer
    // stays on "My reflections" with the words it answered. A question asked twice for one
    // record gets a number after the first.
    order.forEach(function (id) {
      var seen = {};
      records[id].keys = records[id].boxes.map(function (box) {
        var words = question(box);
        seen[words] = (seen[words] || 0) + 1;
        return seen[words] === 1 ? words : words + " (" + seen[words] + ")";
      });
    });

    // The print copy of the answer, and a box as tall as its answer (no scrolling inside it,
    // hard on a phone); never shorter than the stylesheet's minimum.
    function mirror(box) {
      var copy = box.parentNode.querySelector("[data-ww-answer-print]");
      if (copy) copy.textContent = box.value.trim() ? box.value : "";
      box.style.height = "";
      if (box.scrollHeight > box.clientHeight) box.style.height = box.scrollHeight + box.offsetHeight - box.clientHeight + "px";
    }

    function save(id) {
      clearTimeout(pending[id]);
      delete pending[id];
      var record = records[id];
      var now = new Date().toISOString();
      var entry = read(id) || { answers: {} };
      var changed = false;
      record.boxes.forEach(function (box, index) {
        var key = record.keys[index];
        var before = entry.answers[key];
        if (box.value.trim()) {
          if (!before || before.text !== box.value) {
            entry.answers[key] = { question: question(box), text: box.value, order: index, changed: now };
            changed = true;
          }
        } else if (before) {
          delete entry.answers[key];
          changed = true;
        }
      });
      if (!changed) return;
      // In the page's order, then any answer to a question the page no longer asks.
      Object.keys(entry.answers).sort(function (a, b) { return (entry.answers[a].order || 0) - (entry.answers[b].order || 0); })
        .forEach(function (key, index) {
          var position = record.keys.indexOf(key);
          entry.answers[key].order = position >= 0 ? position : record.keys.length + index;
        });
      entry.id = id;
      entry.title = record.meta.title;
      entry.kind = record.meta.kind;
      entry.url = record.meta.url;
      entry.changed = now;
      if (write(entry)) {
        announce("Saved in this browser at " + new Date(now).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" }) + ".");
      } else if (store) {
        announce("This browser refused to save your answers (its storage may be full): download them to keep them.");
      }
    }

    function saveAll() {
      Object.keys(pending).forEach(save);
    }

    function fill(id) {
      var entry = read(id);
      records[id].boxes.forEach(function (box, index) {
        var answer = entry && entry.answers[records[id].keys[index]];
        if (document.activeElement !== box) box.value = answer ? answer.text : "";
        mirror(box);
      });
    }

    order.forEach(function (id) {
      fill(id);
      records[id].boxes.forEach(function (box) {
        box.disabled = false;
        box.addEventListener("input", function () {
          mirror(box);
          clearTimeout(pending[id]);
          pending[id] = setTimeout(function () { save(id); }, SAVE_AFTER_MS);
        });
        box.addEventListener("change", function () { save(id); });
      });
    });
    showEnabled();
    document.querySelectorAll("[data-ww-answers-tools]").forEach(function (tools) { tools.hidden = false; });

    window.addEventListener("pagehide", saveAll);
    document.addEventListener("visibilitychange", function () { if (document.hidden) saveAll(); });
    // Another tab (such as "My reflections" clearing them) changed the answers.
    window.addEventListener("storage", function (event) {
      if (event.key === null) order.forEach(fill);
      else if (event.key.indexOf(PREFIX) === 0 && records[event.key.slice(PREFIX.length)]) fill(event.key.slice(PREFIX.length));
    });

    function pageEntries() {
      saveAll();
      return order.map(function (id) {
        var entry = read(id);
        if (entry) return entry;
        // Nothing kept (no storage): the answers as they stand in the boxes.
        var answers = {};
        records[id].boxes.forEach(function (box, index) {
          if (box.value.trim()) answers[records[id].keys[index]] = { question: question(box), text: box.value, order: index, changed: new Date().toISOString() };
        });
        var meta = records[id].meta;
        return { id: id, title: meta.title, kind: meta.kind, url: meta.url, changed: new Date().toISOString(), answers: answers };
      }).filter(function (entry) { return Object.keys(entry.answers).length; });
    }

    var pageTitle = pageHeading();
    document.querySelectorAll("[data-ww-answers-tools] [data-ww-export]").forEach(function (button) {
      button.addEventListener("click", function () {
        var entries = pageEntries();
        if (!entries.length) { announce("There are no answers on this page to download yet."); return; }
        var name = download(button.getAttribute("data-ww-export"), "My reflections: " + pageTitle, entries);
        announce("Downloaded " + name + ".");
      });
    });
    document.querySelectorAll("[data-ww-answers-tools] [data-ww-clear-page]").forEach(function (button) {
      button.addEventListener("click", function () {
        confirmThen(button, "Delete your answers on this page from this browser? This cannot be undone.", "Delete them", function () {
          order.forEach(function (id) {
            clearTimeout(pending[id]);
            delete pending[id];
            forget(id);
            records[id].boxes.forEach(function (box) { box.value = ""; mirror(box); });
          });
          announce("Your answers on this page have been deleted from this browser.");
          button.focus();
        });
      });
    });
  }

  // ---------------------------------------------------------------- "My reflections"

  function myReflections() {
    var holder = document.querySelector("[data-ww-my-reflections]");
    if (!holder) return;
    var list = holder.querySelector("[data-ww-my-reflections-list]");
    var empty = holder.querySelector("[data-ww-my-reflections-empty]");
    var tools = holder.querySelector("[data-ww-my-reflections-tools]");

    function entries() {
      return storedIds().map(read).filter(function (entry) { return entry && Object.keys(entry.answers).length; })
        .sort(function (a, b) { return String(a.title).localeCompare(String(b.title), "en"); });
    }

    function element(tag, className, text) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined) node.textContent = text;
      return node;
    }

    function draw() {
      var all = entries();
      list.textContent = "";
      empty.hidden = all.length > 0;
      tools.hidden = all.length === 0;
      all.forEach(function (entry, index) {
        var section = element("section", "ww-reflection");
        var heading = element("h2");
        heading.id = "reflection-" + (index + 1);
        section.setAttribute("aria-labelledby", heading.id);
        var href = safeAddress(entry.url);
        if (href) {
          var link = element("a", "", entry.title);
          link.href = href;
          heading.appendChild(link);
        } else {
          heading.textContent = entry.title;
        }
        section.appendChild(heading);
        section.appendChild(element("p", "ww-note ww-reflection__meta", entry.kind + " · last changed " + longDate(entry.changed)));
        var answers = element("dl", "ww-reflection__answers");
        byOrder(entry).forEach(function (answer) {
          answers.appendChild(element("dt", "", answer.question));
          answers.appendChild(element("dd", "", answer.text));
        });
        section.appendChild(answers);
        var actions = element("div", "ww-answers-tools");
        var remove = element("button", "md-button", "Delete these answers");
        remove.type = "button";
        remove.setAttribute("aria-label", "Delete your answers for " + entry.title);
        remove.addEventListener("click", function () {
          confirmThen(remove, "Delete your answers for “" + entry.title + "” from this browser? This cannot be undone.", "Delete them", function () {
            forget(entry.id);
            draw();
            announce("Your answers for “" + entry.title + "” have been deleted from this browser.");
            focusAfterDeleting();
          });
        });
        actions.appendChild(remove);
        section.appendChild(actions);
        list.appendChild(section);
      });
      return all;
    }

    // After deleting, the focus goes to the next thing to read: the first listed page's
    // link, or the note that there is nothing left.
    function focusAfterDeleting() {
      var next = list.querySelector("h2 a");
      if (!next) {
        next = empty;
        empty.setAttribute("tabindex", "-1");
      }
      next.focus();
    }

    holder.hidden = false;
    showEnabled();
    if (!store) announce("This browser is not letting the site keep anything, so there are no answers to show.");
    draw();
    window.addEventListener("storage", draw);

    tools.querySelectorAll("[data-ww-export]").forEach(function (button) {
      button.addEventListener("click", function () {
        var all = entries();
        if (!all.length) return;
        var name = download(button.getAttribute("data-ww-export"), "My reflections", all);
        announce("Downloaded " + name + ".");
      });
    });
    var clearAll = tools.querySelector("[data-ww-clear-all]");
    clearAll.addEventListener("click", function () {
      var count = entries().length;
      confirmThen(clearAll, "Delete all your answers, for " + count + (count === 1 ? " page" : " pages") +
        ", from this browser? This cannot be undone.", "Delete them all", function () {
        storedIds().forEach(forget);
        draw();
        announce("All your answers have been deleted from this browser.");
        focusAfterDeleting();
      });
    });
  }

  answerBoxes();
  myReflections();
})();
