/* Character counters for the editors' fields (careers/admin/aids.py).
 *
 * Every field with data-limit gets "123 / 200 字" under it, updated as the editor
 * types, counted as the server counts (code points, line breaks as one). Without
 * JavaScript nothing is lost: the help text names the limit and the server refuses
 * a longer text with the field's error. Loaded as a static file (strict CSP).
 */
(function () {
  "use strict";

  function length(text) {
    return Array.from(text.replace(/\r\n?/g, "\n")).length;
  }

  function attach(field) {
    // The inline formsets' hidden template row is copied when a row is added.
    if (field.dataset.counted || field.name.indexOf("__prefix__") !== -1) {
      return;
    }
    field.dataset.counted = "1";
    var limit = parseInt(field.dataset.limit, 10);
    var counter = document.createElement("p");
    counter.className = "char-count";
    counter.id = field.id + "-count";
    // Announced when the text goes over the limit or back under it, not per key.
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    field.insertAdjacentElement("afterend", counter);
    counter.insertAdjacentElement("afterend", status);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    var wasOver = false;

    function update() {
      var count = length(field.value);
      var over = count > limit;
      counter.textContent = count.toLocaleString("ja-JP") + " / " + limit.toLocaleString("ja-JP") + " 字" +
        (over ? "（" + (count - limit).toLocaleString("ja-JP") + " 字多すぎます）" : "");
      counter.classList.toggle("char-count--over", over);
      if (over !== wasOver) {
        status.textContent = over ? "上限の " + limit + " 字を超えました" : "上限の " + limit + " 字以内に戻りました";
        wasOver = over;
      }
    }

    field.addEventListener("input", update);
    update();
  }

  function attachAll(root) {
    root.querySelectorAll("[data-limit]").forEach(attach);
  }

  document.addEventListener("DOMContentLoaded", function () {
    attachAll(document);
  });
  // A row added to an inline (「追加」) by Django admin's formset script.
  document.addEventListener("formset:added", function (event) {
    attachAll(event.target);
  });
})();
