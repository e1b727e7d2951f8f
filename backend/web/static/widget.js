/* AdvocateLoop referral widget. Embed with:
 *   <script src="https://YOUR-ADVOCATELOOP/widget.js" data-practice="SLUG" async></script>
 * It renders in a shadow root next to its script tag, so the page's CSS and the widget's
 * cannot touch each other, and talks only to the server it was loaded from. */
(function () {
  "use strict";
  var me = document.currentScript ||
    document.querySelector('script[data-practice][src*="widget.js"]:not([data-advocateloop-ready])');
  if (!me || !document.head.attachShadow) return;
  me.setAttribute("data-advocateloop-ready", "");
  var slug = me.getAttribute("data-practice") || "";
  var practicePath = new URL(me.src, location.href).origin + "/p/" + encodeURIComponent(slug);
  var endpoint = practicePath + "/advocates";
  var refused = false; // this site is not among the practice's allowed sites
  var labels = { name: "Your name", email: "Your email" };

  var host = document.createElement("div");
  host.setAttribute("data-advocateloop-widget", "");
  if (me.parentNode === document.head) {
    // A script in <head> has no place to show: the widget goes first in <body> instead.
    if (document.body) document.body.prepend(host);
    else document.addEventListener("DOMContentLoaded", function () { document.body.prepend(host); });
  } else {
    me.parentNode.insertBefore(host, me.nextSibling);
  }
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML =
    "<style>" +
    // !important: the host page's rules on the host element would otherwise win and be inherited.
    ":host{all:initial!important;display:block!important;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif!important;color:#1d1d29!important;text-align:left!important;text-transform:none!important;letter-spacing:normal!important}" +
    ".w{max-width:416px;padding:16px;border:1px solid #d0d0da;border-radius:12px;background:#fff}" +
    ".b{font:inherit;font-weight:600;background:var(--brand,#6b4eff);color:var(--on-brand,#fff);border:0;border-radius:8px;padding:.6em 1.2em;min-height:44px;cursor:pointer}" +
    ".b:disabled{opacity:.7;cursor:wait}" +
    "label{display:block;font-weight:600;margin:.75em 0 .25em}" +
    "input{box-sizing:border-box;width:100%;font:inherit;padding:.55em .7em;border:1px solid #6e6e80;border-radius:8px;color:inherit;background:#fff}" +
    "input[aria-invalid=true]{border:2px solid #b00020}" +
    ":focus-visible{outline:3px solid #1d1d29;outline-offset:2px}" +
    "h2{font-size:1.2em;margin:0 0 .5em}" +
    "p{margin:.75em 0}" +
    "#pitch{margin:0 0 .75em}" +
    ".s{font-size:14px;color:#4a4a5a}" +
    ".e{color:#b00020;font-weight:600}" +
    "a{color:var(--ink,#4b2fd6);font-weight:600}" +
    ".hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}" +
    "[hidden]{display:none!important}" +
    "</style>" +
    '<div class="w" id="w">' +
    '<p id="pitch" hidden></p>' +
    '<button type="button" class="b" id="cta" aria-expanded="false" aria-controls="join">Refer a friend</button>' +
    '<form id="join" hidden novalidate>' +
    '<label for="name">Your name</label><input id="name" autocomplete="name" required maxlength="200">' +
    '<label for="email">Your email</label><input id="email" type="email" autocomplete="email" required maxlength="254">' +
    '<div class="hp" aria-hidden="true"><label for="website">Leave this empty</label><input id="website" tabindex="-1" autocomplete="off"></div>' +
    '<p class="s">We\'ll email you to confirm. We keep only your name and email, to send you your referral link and rewards.</p>' +
    '<div class="e" id="alert" role="alert"></div>' +
    '<button type="submit" class="b" id="send">Get my link</button>' +
    '<p class="s"><a id="mine">Already joined? Your page: see your link and rewards any time</a></p>' +
    "</form>" +
    '<div id="done" hidden>' +
    '<h2 id="heading" tabindex="-1">Check your inbox</h2>' +
    '<p id="status" role="status"></p>' +
    '<p><a id="page">Your page: see your link and rewards any time</a></p>' +
    "</div></div>";

  function $(id) { return root.getElementById(id); }
  var form = $("join"), cta = $("cta"), alertBox = $("alert"), send = $("send");
  // An advocate's own page, where their link and rewards are once they confirmed their email.
  $("mine").href = $("page").href = endpoint.replace(/\/advocates$/, "/me");

  // The practice's colours and offer, once the server says them; until then (or if it cannot)
  // the widget works in its own colours. A site the practice has not allowed is told so, for
  // whoever installs the widget, in the browser's console.
  fetch(practicePath + "/widget").then(function (res) {
    return res.json().then(function (body) {
      if (!res.ok) throw body;
      return body;
    });
  }).then(function (info) {
    var w = $("w"), hex = /^#[0-9a-fA-F]{6}$/;
    [["--brand", info.brand_color], ["--on-brand", info.on_brand_color], ["--ink", info.ink_color]].forEach(function (c) {
      if (hex.test(c[1])) w.style.setProperty(c[0], c[1]);
    });
    if (info.pitch) {
      $("pitch").textContent = info.pitch;
      $("pitch").hidden = false;
    }
  }, function (problem) {
    if (problem && /origin-not-allowed$/.test(problem.type || "")) {
      refused = true;
      console.warn("AdvocateLoop referral widget: " + (problem.detail ||
        location.origin + " is not among the practice's allowed sites. Add it to the allowed widget origins in AdvocateLoop's Settings."));
    }
  });

  cta.addEventListener("click", function () {
    var open = form.hidden;
    form.hidden = !open;
    cta.setAttribute("aria-expanded", String(open));
    if (open) $("name").focus();
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    showErrors(null);
    if (refused) {
      showErrors({ type: "origin-not-allowed" });
      return;
    }
    send.disabled = true;
    fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: $("name").value, email: $("email").value, website: $("website").value })
    }).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) throw body;
        return body;
      });
    }).then(showSent, showErrors).then(function () { send.disabled = false; });
  });

  // showErrors says what went wrong in the alert, naming each field the server refused;
  // problem is an RFC 9457 problem, or anything else when the request itself failed.
  function showErrors(problem) {
    var messages = [], bad = {};
    var type = problem && problem.type || "";
    ((problem && problem.errors) || []).forEach(function (e) {
      if (labels[e.field]) {
        bad[e.field] = true;
        messages.push(labels[e.field] + " " + e.detail + ".");
      }
    });
    if (!problem) messages = [];
    else if (/rate-limited$/.test(type)) messages = ["Too many tries from your connection. Please wait a minute and try again."];
    else if (/origin-not-allowed$/.test(type)) {
      messages = ["Joining isn't switched on for this website yet. Please try again later, or ask the practice for its referral page."];
    } else if (!messages.length) messages = ["Something went wrong. Please try again in a moment."];
    Object.keys(labels).forEach(function (field) {
      var input = $(field);
      if (bad[field]) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", "alert");
      } else {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      }
    });
    alertBox.textContent = messages.join(" ");
    var first = root.querySelector("[aria-invalid]");
    if (first) first.focus();
  }

  // showSent says what the server answers every join, whoever's email it was: check your inbox.
  function showSent(answer) {
    form.hidden = cta.hidden = true;
    if (/^https?:\/\//.test(answer.page_url)) $("page").href = answer.page_url;
    $("done").hidden = false;
    $("heading").focus();
    $("status").textContent = answer.message;
  }
})();
