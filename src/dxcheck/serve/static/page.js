// Optional comforts; the page works without them: drop files or a whole folder onto the box
// (they go into the file picker, then the form is sent as usual), and let the report's frame take
// the height of the report.
(function () {
  "use strict";
  var drop = document.getElementById("drop");
  var input = document.getElementById("files");
  var chosen = document.getElementById("chosen");

  function show(files) {
    var names = Array.prototype.map.call(files, function (file) { return file.name; });
    chosen.textContent = names.length ? names.length + ": " + names.join(", ") : "";
  }

  function readEntry(entry, out) {
    if (entry.isFile) {
      return new Promise(function (done) { entry.file(function (file) { out.push(file); done(); }, done); });
    }
    if (!entry.isDirectory) { return Promise.resolve(); }
    var reader = entry.createReader();
    return new Promise(function (done) {
      (function next() {
        reader.readEntries(function (batch) {
          if (!batch.length) { done(); return; }
          Promise.all(batch.map(function (child) { return readEntry(child, out); })).then(next);
        }, done);
      })();
    });
  }

  if (drop && input && window.DataTransfer) {
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
    });
    drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      drop.classList.remove("over");
      // the entries must be taken before the first wait: the drop's item list empties after it
      var entries = Array.prototype.map.call(event.dataTransfer.items, function (item) {
        return item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
      }).filter(Boolean);
      var out = [];
      Promise.all(entries.map(function (entry) { return readEntry(entry, out); })).then(function () {
        var transfer = new DataTransfer();
        out.forEach(function (file) { transfer.items.add(file); });
        input.files = transfer.files;
        show(input.files);
      });
    });
    input.addEventListener("change", function () { show(input.files); });
  }

  var frame = document.getElementById("report");
  if (frame) {
    var fit = function () {
      try {
        var inside = frame.contentDocument;
        if (inside && inside.URL !== "about:blank" && inside.readyState === "complete") {
          frame.style.height = (inside.documentElement.scrollHeight + 24) + "px";
        }
      } catch (error) { /* keep the fixed height */ }
    };
    frame.addEventListener("load", fit);
    fit();  // the report may have loaded before this script ran: then no load event is left to wait for
  }
})();
