// Application form: live budget totals, and drafts kept in the browser until the server confirms the save
// (so that nothing typed is lost when the session expires or the network drops).
(function () {
  "use strict";
  const form = document.getElementById("cerfa");
  if (!form) return;
  const key = "quartiers-brouillon-" + form.dataset.application;
  let generation = 0;
  let posted = 0;

  function snapshot() {
    const values = {}, checks = {};
    for (const el of form.elements) {
      if (!el.name || el.type === "file" || el.type === "hidden") continue;
      if (el.type === "checkbox" || el.type === "radio") checks[el.name + "=" + el.value] = el.checked;
      else values[el.name] = el.value;
    }
    return { at: Date.now(), values: values, checks: checks };
  }

  function restore(data) {
    for (const el of form.elements) {
      if (!el.name || el.type === "file" || el.type === "hidden") continue;
      if (el.type === "checkbox" || el.type === "radio") {
        const k = el.name + "=" + el.value;
        if (k in data.checks) el.checked = data.checks[k];
      } else if (el.name in data.values) el.value = data.values[el.name];
    }
  }

  function keep() {
    generation += 1;
    try { localStorage.setItem(key, JSON.stringify(snapshot())); } catch (e) { /* storage full or disabled */ }
  }

  function parse(text) {
    const t = (text || "").replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
    const n = Number(t);
    return t && isFinite(n) ? n : 0;
  }

  function euros(n) {
    return n.toLocaleString("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + "\u00a0€";
  }

  function totals() {
    for (const group of ["charges", "income"]) {
      let sum = 0;
      form.querySelectorAll('[data-sum="' + group + '"]').forEach(function (el) { sum += parse(el.value); });
      form.querySelectorAll('[data-total="' + group + '"]').forEach(function (el) { el.textContent = euros(sum); });
    }
  }

  form.addEventListener("input", function () { keep(); totals(); });
  form.addEventListener("change", keep);
  document.body.addEventListener("htmx:beforeRequest", function (evt) {
    if (evt.detail.elt === form) posted = generation;
  });
  document.body.addEventListener("htmx:afterRequest", function (evt) {
    if (evt.detail.elt !== form) return;
    const xhr = evt.detail.xhr;
    if (xhr && xhr.getResponseHeader("X-Draft-Saved") === "1" && posted === generation) {
      localStorage.removeItem(key);
    }
  });
  document.body.addEventListener("htmx:responseError", function (evt) {
    if (evt.detail.elt !== form) return;
    const status = document.getElementById("autosave-status");
    if (status) status.innerHTML = '<div class="fr-alert fr-alert--warning fr-alert--sm"><p>Vos dernières ' +
      "modifications n'ont pas pu être enregistrées (session expirée ou changée). Elles sont gardées sur cet " +
      'appareil : <a href="">rechargez la page</a>, en vous reconnectant si besoin, pour les retrouver et les ' +
      "enregistrer.</p></div>";
  });
  document.body.addEventListener("htmx:sendError", function () {
    const status = document.getElementById("autosave-status");
    if (status) status.innerHTML = '<div class="fr-alert fr-alert--warning fr-alert--sm"><p>Connexion perdue : vos ' +
      "modifications sont gardées sur cet appareil et seront enregistrées dès le retour de la connexion.</p></div>";
  });

  const saved = localStorage.getItem(key);
  if (saved) {
    try {
      const data = JSON.parse(saved);
      const now = snapshot();
      if (JSON.stringify(now.values) === JSON.stringify(data.values) &&
          JSON.stringify(now.checks) === JSON.stringify(data.checks)) {
        localStorage.removeItem(key);  // the server already has it
        return;
      }
      restore(data);
      document.getElementById("restored-notice").hidden = false;
      totals();
      generation += 1;
      // Once htmx has processed the page (after DOMContentLoaded), ask it to save the restored content.
      const send = function () { if (window.htmx) window.htmx.trigger(form, "restored"); };
      if (document.readyState === "complete") setTimeout(send, 0);
      else window.addEventListener("load", function () { setTimeout(send, 0); });
    } catch (e) { localStorage.removeItem(key); }
  }
})();
