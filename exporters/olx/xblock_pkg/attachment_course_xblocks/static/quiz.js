/* Collects the learner's choices (opaque tokens only) and posts them to the server, which scores them. */
function AttachmentQuizBlock(runtime, element) {
  "use strict";
  var root = element.jquery ? element[0] : element;
  var form = root.querySelector("form");
  var url = runtime.handlerUrl(element, "submit");

  function responseOf(fieldset) {
    var kind = fieldset.getAttribute("data-kind");
    if (kind === "true_false" || kind === "single_choice") {
      var picked = fieldset.querySelector("input:checked");
      if (!picked) { return undefined; }
      return kind === "true_false" ? picked.value === "true" : picked.value;
    }
    if (kind === "multiple_response") {
      var ticked = Array.prototype.map.call(fieldset.querySelectorAll("input:checked"),
        function (el) { return el.value; });
      return ticked.length ? ticked : undefined;
    }
    if (kind === "matching") {
      var map = {};
      Array.prototype.forEach.call(fieldset.querySelectorAll(".row"), function (row) {
        var value = row.querySelector("select").value;
        if (value) { map[row.getAttribute("data-row")] = value; }
      });
      return Object.keys(map).length ? map : undefined;
    }
    var steps = Array.prototype.map.call(fieldset.querySelectorAll("select"), function (s) { return s.value; });
    return steps.indexOf("") === -1 ? steps : undefined;
  }

  function show(result) {
    var byId = {};
    result.items.forEach(function (r) { byId[r.id] = r; });
    Array.prototype.forEach.call(root.querySelectorAll("fieldset.quiz-item"), function (fieldset) {
      var r = byId[fieldset.getAttribute("data-item")];
      var box = fieldset.querySelector(".feedback");
      box.textContent = "";
      var head = document.createElement("p");
      head.textContent = (r.correct ? "Correct. " : "Not fully correct. ") + r.points + " of " + r.max_points + " points.";
      box.appendChild(head);
      r.feedback.concat(r.rationale ? [r.rationale] : []).forEach(function (text) {
        var p = document.createElement("p");
        p.textContent = text;
        box.appendChild(p);
      });
    });
    root.querySelector(".result").textContent = "Score: " + result.percent + "%. " + result.attempts_left;
    root.querySelector(".attempts").textContent = result.attempts_left;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var answers = {};
    Array.prototype.forEach.call(root.querySelectorAll("fieldset.quiz-item"), function (fieldset) {
      var response = responseOf(fieldset);
      if (response !== undefined) { answers[fieldset.getAttribute("data-item")] = response; }
    });
    var request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("Content-Type", "application/json");
    request.onload = function () {
      var body = {};
      try { body = JSON.parse(request.responseText); } catch (e) { body = {}; }
      if (request.status === 200) { show(body); }
      else { root.querySelector(".result").textContent = body.error || "The answers could not be submitted."; }
    };
    request.send(JSON.stringify({answers: answers}));
  });
}
