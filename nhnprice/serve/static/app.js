// The page of `nhnprice serve`: the editor on the left, the figures of what it holds on the right.
// Every change (of the text or of a parameter) asks the server for the figures, 250 ms after the last keystroke;
// an answer to an older request than the newest is dropped. The API is described in docs/serve.md.
"use strict";
(function () {
  const $ = id => document.getElementById(id);
  const DELAY_MS = 250;
  let editor = null;
  let specPath = "";
  let version = null;      // of the file as read or last saved: save refuses to overwrite other changes
  let savedText = "";
  let asked = 0;           // requests for figures sent, and the one whose answer is on the page
  let shown = 0;
  let timer = null;
  const parameters = {};   // name -> text typed in its input ("" = the spec's value)
  let parameterNames = "";
  let groupsShown = "";

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) e.setAttribute(k, v);
    }
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // The session's token: in the fragment of the address `nhnprice serve` printed (a fragment is never sent to a
  // server), then in this tab's session storage, which only this origin (this port) can read.
  function token() {
    const m = /[#&]token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem("nhnprice-token", m[1]);
      history.replaceState(null, "", location.pathname);  // the address bar and history without it
    }
    return sessionStorage.getItem("nhnprice-token");
  }
  const TOKEN = token();

  async function call(path, body) {
    const headers = {"X-Nhnprice-Token": TOKEN || ""};
    const options = body === undefined ? {method: "GET", headers} :
      {method: "POST", headers: Object.assign(headers, {"Content-Type": "application/json"}),
        body: JSON.stringify(body)};
    return fetch(path, Object.assign({credentials: "omit", cache: "no-store"}, options));
  }

  async function json(path, body) {
    const response = await call(path, body);
    let data = {};
    try { data = await response.json(); } catch (e) { data = {error: "svaret var ikke JSON"}; }
    return {status: response.status, data};
  }

  function current() {
    const p = {};
    for (const [k, v] of Object.entries(parameters)) if (v.trim()) p[k] = v;
    return {text: editor.text(), parameters: p};
  }

  function setState() {
    $("state").textContent = editor.text() === savedText ? "" : "● Endret, ikke lagret";
  }

  function schedule() {
    setState();
    clearTimeout(timer);
    timer = setTimeout(refresh, DELAY_MS);
  }

  // -- problems

  function where(d) {
    if (!d.line) return d.file ? d.file + ": " : "";
    if (d.file === specPath) return "linje " + d.line + ", kolonne " + d.column + ": ";
    return d.file + ", rad " + d.line + ", kolonne " + d.column + ": ";
  }

  function problemList(list) {
    const ul = el("ul");
    for (const d of list) {
      const li = el("li", {class: d.severity, "data-line": d.line, "data-code": d.code});
      li.append(where(d) + d.message + " [" + d.code + "]");
      if (d.hint) li.append(el("br"), el("span", {class: "hint"}, d.hint));
      if (d.file === specPath && d.line) li.addEventListener("click", () => editor.goTo(d.line, d.column));
      ul.append(li);
    }
    return ul;
  }

  function showProblems(list) {
    editor.setDiagnostics(list.filter(d => d.file === specPath));
    $("problems").replaceChildren(list.length ? problemList(list) : "");
  }

  // -- the figures

  function showParameters(list, values) {
    const names = list.map(p => p.name).join(",");
    if (names !== parameterNames) {
      parameterNames = names;
      const box = $("parameters");
      box.replaceChildren();
      for (const p of list) {
        if (!(p.name in parameters)) parameters[p.name] = "";
        const label = el("label", {title: p.description || ""});
        label.append(p.name + (p.description ? " – " + p.description : ""));
        const input = el("input", {id: "param-" + p.name, name: p.name, placeholder: p.default || "",
          autocomplete: "off"});
        input.value = parameters[p.name];
        input.addEventListener("input", () => { parameters[p.name] = input.value; schedule(); });
        label.append(input);
        box.append(label);
      }
      $("parameters-box").hidden = !list.length;
    }
    for (const p of list) {
      const input = $("param-" + p.name);
      if (input && values && p.name in values) input.title = "brukt: " + values[p.name];
    }
  }

  function list(id, items, make) {
    $(id).replaceChildren(...items.map(make));
  }

  function showFigures(v) {
    $("title").textContent = v.title;
    document.title = v.title + " – nhnprice";
    $("summary").innerHTML = v.summary;   // the HTML report's own table, escaped by the server
    $("flows").innerHTML = v.flows;       // and its picture of the flows
    $("adjustment").textContent = v.adjustment.join(" ");
    $("notices").hidden = !v.notices.length;
    $("notices-summary").textContent = "Merk: tallene bygger på data som ikke er offisielle (" +
      v.notices.length + " datasett)";
    list("notices-list", v.notices, n => el("li", {}, n));
    list("checks", v.checks, c => {
      const li = el("li", {class: c.ok ? "ok" : "failed", "data-line": c.line, title: "Gå til linje " + c.line},
        c.description + (c.label ? " (" + c.label + ")" : "") + ": forventet " + c.expected + " mill., gir " +
        c.actual + " mill.");
      if (c.line) li.addEventListener("click", () => editor.goTo(c.line, 1));
      return li;
    });
    if (!v.checks.length) $("checks").replaceChildren(el("li", {}, "Spesifikasjonen har ingen forventninger."));
    list("residuals", v.residuals, r => el("li", {}, r.title + ": " + r.residual + " kr"));
    if (!v.residuals.length) $("residuals").replaceChildren(el("li", {}, "Ingen: alt er fordelt."));
    list("fees", v.fees.concat(v.fee_bounds.map(text => ({depth: 1, text, bound: true}))),
      f => el("li", {class: "d" + f.depth + (f.bound ? " bound" : "")}, f.text));
    $("fees-box").hidden = !v.fees.length;
  }

  function showDatasets(v) {
    const uploaded = Object.fromEntries((v.uploads || []).map(u => [u.name, u]));
    const body = $("datasets").tBodies[0];
    body.replaceChildren();
    for (const d of v.datasets || []) {
      const tr = el("tr");
      tr.append(el("td", {}, d.name + (d.title ? " – " + d.title : "")));
      const u = uploaded[d.name];
      const file = el("td", {id: "file-" + d.name});
      if (u) {
        file.append("opplastet: " + u.file + " (" + u.rows + " rader) ");
        const undo = el("button", {type: "button"}, "Bruk filen igjen");
        undo.addEventListener("click", () => forget(d.name));
        file.append(undo);
      } else file.append(d.file);
      tr.append(file);
      const cell = el("td");
      const input = el("input", {type: "file", id: "upload-" + d.name, accept: ".csv,.xlsx,text/csv"});
      input.addEventListener("change", () => upload(d.name, input));
      cell.append(input);
      tr.append(cell);
      body.append(tr);
    }
  }

  function showGroups(groups) {
    const key = groups.map(g => g.id).join(",");
    if (key === groupsShown) return;
    groupsShown = key;
    const select = $("entity-group");
    const chosen = select.value;
    select.replaceChildren(el("option", {value: ""}, "Alle grupper"),
      ...groups.map(g => el("option", {value: g.id}, g.title)));
    select.value = groups.some(g => g.id === chosen) ? chosen : "";
  }

  async function refresh() {
    const mine = ++asked;
    $("status").textContent = "Regner …";
    let answer;
    try {
      answer = await json("/api/view", current());
    } catch (e) {
      if (mine === asked) { $("status").textContent = "Får ikke kontakt med nhnprice serve."; }
      return;
    }
    if (mine !== asked) return;  // a newer request is on its way
    shown = mine;
    const v = answer.data;
    if (answer.status !== 200) {
      $("status").textContent = "Feil: " + (v.error || answer.status);
      $("status").className = "error";
      return;
    }
    showProblems(v.diagnostics);
    if (v.parameters) showParameters(v.parameters, v.values);
    if (v.groups) showGroups(v.groups);
    if (v.datasets) showDatasets(v);
    for (const input of document.querySelectorAll("#parameters input")) input.classList.remove("bad");
    for (const d of v.diagnostics) {
      const m = /^parameter (\S+?)=/.exec(d.message);
      if (m && $("param-" + m[1])) $("param-" + m[1]).classList.add("bad");
    }
    if (v.ok) {
      showFigures(v);
      $("right").classList.remove("stale");
      const failed = v.checks.filter(c => !c.ok).length;
      $("status").textContent = "Oppdatert: " + v.total + " mill. kroner i alt" +
        (failed ? "; " + failed + " forventning" + (failed > 1 ? "er" : "") + " stemmer ikke" : "");
      $("status").className = failed ? "error" : "";
      loadEntities();
    } else {
      const errors = v.diagnostics.filter(d => d.severity === "error").length;
      $("status").textContent = errors + " feil: tallene under er fra forrige versjon uten feil.";
      $("status").className = "error";
      $("right").classList.add("stale");
    }
    document.body.dataset.shown = String(shown);
  }

  // -- payers and their explanation

  async function loadEntities() {
    const body = Object.assign(current(), {group: $("entity-group").value, query: $("entity-query").value});
    const answer = await json("/api/entities", body);
    if (answer.status !== 200) return;
    const v = answer.data;
    $("entity-count").textContent = v.count > v.entities.length ?
      "Viser " + v.entities.length + " av " + v.count + " (størst først); søk for å finne flere." :
      v.count + " betalere.";
    const rows = v.entities.map(e => {
      const tr = el("tr", {"data-entity": e.id});
      tr.append(el("td", {}, e.id), el("td", {}, e.name || ""), el("td", {}, e.group),
        el("td", {class: "n"}, e.amount));
      tr.addEventListener("click", () => explain(e.id));
      return tr;
    });
    $("entities").tBodies[0].replaceChildren(...rows);
  }

  async function explain(entity) {
    const answer = await json("/api/explain", Object.assign(current(), {entity}));
    $("explain").hidden = false;
    if (answer.status !== 200) {
      $("explain-title").textContent = entity;
      $("explain-text").textContent = answer.data.error || "Kan ikke forklare nå: rett feilene først.";
      return;
    }
    $("explain-title").textContent = "Hvorfor " + (answer.data.name || entity) + " betaler " +
      answer.data.total + " kr";
    $("explain-text").textContent = answer.data.text;
    $("explain").scrollIntoView({block: "nearest"});
  }

  // -- uploads

  function base64(buffer) {
    const bytes = new Uint8Array(buffer);
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  }

  async function upload(name, input) {
    const file = input.files[0];
    if (!file) return;
    const box = $("upload-problems");
    box.replaceChildren(el("p", {}, "Leser " + file.name + " …"));
    const content = base64(await file.arrayBuffer());
    const answer = await json("/api/upload", {text: editor.text(), name, file: file.name, content});
    input.value = "";
    if (answer.status === 200) {
      box.replaceChildren(el("p", {}, file.name + " brukes nå for " + name + " i denne økten."));
      refresh();
      return;
    }
    const found = answer.data.diagnostics || [];
    box.replaceChildren(el("p", {}, file.name + " ble ikke tatt i bruk for " + name + ":"),
      found.length ? problemList(found) : el("p", {}, answer.data.error || String(answer.status)));
  }

  async function forget(name) {
    await json("/api/upload/remove", {name});
    $("upload-problems").replaceChildren();
    refresh();
  }

  // -- out of the page

  async function download(format) {
    $("status").textContent = "Lager nedlasting …";
    const response = await call("/api/download", Object.assign(current(), {format}));
    if (response.status !== 200) {
      $("status").textContent = "Kan ikke laste ned: rett feilene i spesifikasjonen først.";
      return;
    }
    const disposition = response.headers.get("Content-Disposition") || "";
    const name = (/filename="([^"]+)"/.exec(disposition) || [null, "rapport"])[1];
    const url = URL.createObjectURL(await response.blob());
    const a = el("a", {href: url, download: name});
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    $("status").textContent = "Lastet ned " + name + ".";
  }

  async function save() {
    const text = editor.text();
    const answer = await json("/api/save", {text, version});
    if (answer.status === 200) {
      version = answer.data.version;
      savedText = text;
      setState();
      $("state").textContent = "Lagret " + answer.data.path;
    } else {
      $("state").textContent = "Ikke lagret: " + (answer.data.error || answer.status);
    }
  }

  async function start() {
    const answer = await json("/api/spec");
    if (answer.status !== 200) {
      $("status").textContent = answer.status === 401 ?
        "Ingen tilgang: åpne adressen som nhnprice serve skrev ut (den har nøkkelen til økten)." :
        answer.data.error || String(answer.status);
      $("status").className = "error";
      return;
    }
    specPath = answer.data.path;
    version = answer.data.version;
    savedText = answer.data.text;
    $("path").textContent = specPath + (version === null ? " (ny fil)" : "");
    editor = window.NhnEditor.create($("editor"), savedText, schedule);
    window.nhnprice = {editor};  // for the browser tests and the curious
    $("save").addEventListener("click", save);
    document.addEventListener("keydown", e => {
      if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); save(); }
    });
    for (const b of document.querySelectorAll("button[data-format]")) {
      b.addEventListener("click", () => download(b.dataset.format));
    }
    $("entity-group").addEventListener("change", loadEntities);
    let search = null;
    $("entity-query").addEventListener("input", () => { clearTimeout(search); search = setTimeout(loadEntities, DELAY_MS); });
    window.addEventListener("beforeunload", e => { if (editor.text() !== savedText) e.preventDefault(); });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
