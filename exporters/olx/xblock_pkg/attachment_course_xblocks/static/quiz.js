/* Collects the learner's choices (opaque tokens only) and posts them to the server, which scores them
   and sends back the quiz as it now stands (answers, feedback, score), rendered on the server. */
function AttachmentQuizBlock(runtime, element) {
  "use strict";
  var root = element.jquery ? element[0] : element;
  var submitUrl = runtime.handlerUrl(element, "submit");
  var retryUrl = runtime.handlerUrl(element, "retry");

  // The LMS checks Django's CSRF token on handler calls of logged-in learners. Its own blocks send it
  // through jQuery's ajaxSetup (lms/static/js/main.js: X-CSRFToken from the csrftoken cookie); a raw
  // XMLHttpRequest does not get that header, so it is set here from the same cookie.
  function csrfToken() {
    var found = null;
    document.cookie.split(";").forEach(function (part) {
      var pair = part.trim().split("=");
      if (pair[0] === "csrftoken") { found = decodeURIComponent(pair.slice(1).join("=")); }
    });
    return found;
  }

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

  function say(text) {
    root.querySelector(".result").textContent = text;
  }

  // Replace the quiz with the server's rendering and move focus to what changed.
  function replace(html, focus) {
    var quiz = root.querySelector(".attachment-quiz");
    var holder = document.createElement("div");
    holder.innerHTML = html;
    quiz.parentNode.replaceChild(holder.firstChild, quiz);
    var target = root.querySelector(focus);
    if (target) { target.focus(); }
  }

  function post(url, payload, onDone) {
    var request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("Content-Type", "application/json");
    var token = csrfToken();
    if (token) { request.setRequestHeader("X-CSRFToken", token); }
    request.onload = function () {
      var body = {};
      try { body = JSON.parse(request.responseText); } catch (e) { body = {}; }
      if (request.status === 200 && body.html) { onDone(body); }
      else { say(body.error || "The answers could not be sent (error " + request.status + "). Please try again."); }
    };
    request.onerror = function () { say("The answers could not be sent. Check the connection and try again."); };
    request.send(JSON.stringify(payload));
  }

  // Listeners sit on the block's element, so they keep working after the quiz inside is replaced.
  root.addEventListener("submit", function (event) {
    event.preventDefault();
    var answers = {};
    Array.prototype.forEach.call(root.querySelectorAll("fieldset.quiz-item"), function (fieldset) {
      var response = responseOf(fieldset);
      if (response !== undefined) { answers[fieldset.getAttribute("data-item")] = response; }
    });
    post(submitUrl, {answers: answers}, function (body) { replace(body.html, ".result"); });
  });

  root.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest(".attachment-quiz .retry")) { return; }
    post(retryUrl, {}, function (body) { replace(body.html, "fieldset.quiz-item input, fieldset.quiz-item select"); });
  });
}
