/**
 * The ops page's HTML and script, self-contained (no CDN, no build step): the gateway serves them
 * as they are. The script draws everything with textContent, never innerHTML, so an order's
 * reason (which quotes Magento and Odoo data) cannot inject markup.
 */
export const OPS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Magento ⇄ Odoo: ops</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2330; background: #f6f7f9; }
  h1 { font-size: 1.3rem; margin: 0 0 .2rem; }
  h2 { font-size: 1.1rem; margin: 1.6rem 0 .5rem; }
  h3 { font-size: .95rem; margin: 1rem 0 .3rem; color: #4a5366; }
  .meta { color: #6b7385; font-size: .85rem; }
  .channel { background: #fff; border: 1px solid #dde1e8; border-radius: 6px; padding: .2rem 1rem 1rem; margin-top: 1rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #eceef2; vertical-align: top; }
  th { font-weight: 600; color: #4a5366; font-size: .85rem; }
  .states { display: flex; flex-wrap: wrap; gap: .5rem; }
  .state { border: 1px solid #dde1e8; border-radius: 4px; padding: .3rem .6rem; background: #fafbfc; }
  .state b { font-size: 1.1rem; margin-right: .3rem; }
  .state.needs_attention { border-color: #d9822b; background: #fff4e8; }
  .stale { color: #b3261e; font-weight: 600; }
  .none { color: #6b7385; font-style: italic; }
  button { cursor: pointer; padding: .2rem .7rem; }
  #message { min-height: 1.2rem; color: #1b6e3a; }
  #message.error, #error { color: #b3261e; }
  svg text { font-size: 10px; fill: #6b7385; }
</style>
</head>
<body>
<h1>Magento ⇄ Odoo: what needs a person</h1>
<div class="meta" id="meta">loading…</div>
<div id="message" role="status"></div>
<div id="error" role="alert"></div>
<form id="login" hidden>
  <label>Ops token <input id="token" type="password" autocomplete="current-password" size="40"></label>
  <button type="submit">Open</button>
</form>
<div id="channels"></div>
<script src="/ops/app.js"></script>
</body>
</html>
`;

export const OPS_APP_JS = String.raw`'use strict';
(function () {
  var REFRESH_MS = 5000;
  var fromHash = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (fromHash) {
    sessionStorage.setItem('m2o-ops-token', decodeURIComponent(fromHash[1]));
    // out of the address bar (and the history) at once
    history.replaceState(null, '', location.pathname);
  }
  var token = sessionStorage.getItem('m2o-ops-token');
  var timer = null;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function text(t) { return document.createTextNode(t); }
  function ago(seconds) {
    if (seconds === null || seconds === undefined) return 'never';
    if (seconds < 90) return seconds + ' s ago';
    if (seconds < 5400) return Math.round(seconds / 60) + ' min ago';
    if (seconds < 172800) return Math.round(seconds / 3600) + ' h ago';
    return Math.round(seconds / 86400) + ' days ago';
  }
  function showLogin() {
    document.getElementById('login').hidden = false;
    document.getElementById('meta').textContent = 'Enter the ops token (OPS_TOKEN).';
  }
  function api(path, options) {
    options = options || {};
    options.headers = Object.assign({ authorization: 'Bearer ' + token }, options.headers || {});
    return fetch(path, options).then(function (res) {
      return res.json().then(function (body) {
        if (res.status === 401) { sessionStorage.removeItem('m2o-ops-token'); token = null; showLogin(); }
        if (!res.ok) throw new Error(body.error || ('HTTP ' + res.status));
        return body;
      });
    });
  }

  function chart(perHour) {
    var width = 480, height = 90, bar = width / perHour.length;
    var max = Math.max.apply(null, perHour.map(function (h) { return h.orders; }).concat([1]));
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + (height + 14));
    svg.setAttribute('width', String(width));
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'orders per hour, last 24 hours');
    svg.setAttribute('data-total', String(perHour.reduce(function (s, h) { return s + h.orders; }, 0)));
    perHour.forEach(function (h, i) {
      var hBar = Math.round((h.orders / max) * height);
      var r = document.createElementNS(ns, 'rect');
      r.setAttribute('x', String(i * bar + 1));
      r.setAttribute('y', String(height - hBar));
      r.setAttribute('width', String(bar - 2));
      r.setAttribute('height', String(hBar));
      r.setAttribute('fill', '#3d6fd8');
      r.setAttribute('data-hour', h.hour);
      r.setAttribute('data-orders', String(h.orders));
      var title = document.createElementNS(ns, 'title');
      title.textContent = h.hour.slice(11, 16) + ' UTC: ' + h.orders + ' order(s)';
      r.appendChild(title);
      svg.appendChild(r);
      if (i % 6 === 0) {
        var label = document.createElementNS(ns, 'text');
        label.setAttribute('x', String(i * bar));
        label.setAttribute('y', String(height + 12));
        label.textContent = h.hour.slice(11, 16);
        svg.appendChild(label);
      }
    });
    return svg;
  }

  function retry(channel, row, button) {
    button.disabled = true;
    var message = document.getElementById('message');
    api('/ops/api/retry', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: channel, incrementId: row.incrementId }) })
      .then(function (body) { message.className = ''; message.textContent = body.message; })
      .catch(function (err) { message.className = 'error'; message.textContent = err.message; button.disabled = false; })
      .then(load);
  }

  function render(snapshot) {
    document.getElementById('meta').textContent = 'namespace ' + snapshot.namespace + ' · updated ' + snapshot.generatedAt.replace('T', ' ').slice(0, 19) + ' UTC · refreshes every ' + (REFRESH_MS / 1000) + ' s';
    var root = document.getElementById('channels');
    root.textContent = '';
    if (!snapshot.channels.length) root.appendChild(el('p', { className: 'none', text: 'No channel is configured.' }));
    snapshot.channels.forEach(function (ch) {
      var section = el('section', { className: 'channel', 'data-channel': ch.code }, [el('h2', { text: 'Channel ' + ch.code })]);

      section.appendChild(el('h3', { text: "Today's orders by state (UTC)" }));
      var states = Object.keys(ch.today).sort();
      var box = el('div', { className: 'states' });
      if (!states.length) box.appendChild(el('span', { className: 'none', text: 'no orders today' }));
      states.forEach(function (s) {
        box.appendChild(el('span', { className: 'state ' + s, 'data-state': s }, [el('b', { text: String(ch.today[s]) }), text(s.replace(/_/g, ' '))]));
      });
      section.appendChild(box);

      section.appendChild(el('h3', { text: 'Parked orders (' + ch.parked.length + ')' }));
      if (!ch.parked.length) section.appendChild(el('p', { className: 'none', text: 'Nothing needs a person.' }));
      else {
        var table = el('table', { className: 'parked' }, [el('thead', {}, [el('tr', {}, [el('th', { text: 'Magento order' }), el('th', { text: 'Reason' }), el('th', { text: '' }), el('th', { text: '' })])])]);
        var body = el('tbody');
        ch.parked.forEach(function (row) {
          var button = el('button', { type: 'button', text: 'Retry', 'aria-label': 'Retry order ' + row.incrementId });
          button.addEventListener('click', function () { retry(ch.code, row, button); });
          body.appendChild(el('tr', { 'data-order': row.incrementId }, [
            el('td', { text: row.incrementId }),
            el('td', { className: 'reason', text: row.reason }),
            el('td', {}, [button]),
            el('td', {}, [el('a', { href: row.link, target: '_blank', rel: 'noopener', text: 'Temporal UI' })]),
          ]));
        });
        table.appendChild(body);
        section.appendChild(table);
      }

      section.appendChild(el('h3', { text: 'Streams' }));
      var streams = el('table', { className: 'streams' }, [el('thead', {}, [el('tr', {}, ['Stream', 'Last run', 'Last success', 'Failures (24 h)', ''].map(function (h) { return el('th', { text: h }); }))])]);
      var sBody = el('tbody');
      ch.streams.forEach(function (s) {
        var lag = el('td', { text: ago(s.lagSeconds) });
        if (s.lagSeconds === null || s.lagSeconds > 86400) lag.className = 'stale';
        sBody.appendChild(el('tr', { 'data-stream': s.stream }, [
          el('td', { text: s.stream }),
          el('td', { text: s.lastStatus ? s.lastStatus.toLowerCase() + ' · ' + s.lastStartedAt.replace('T', ' ').slice(0, 16) : 'never run' }),
          lag,
          el('td', { className: s.failures24h ? 'stale' : '', text: String(s.failures24h) }),
          el('td', {}, [s.link ? el('a', { href: s.link, target: '_blank', rel: 'noopener', text: 'Temporal UI' }) : null]),
        ]));
      });
      streams.appendChild(sBody);
      section.appendChild(streams);

      section.appendChild(el('h3', { text: 'Orders per hour (last 24 h, UTC)' }));
      section.appendChild(chart(ch.perHour));
      root.appendChild(section);
    });
  }

  function load() {
    if (!token) return showLogin();
    clearTimeout(timer);
    return api('/ops/api/snapshot').then(function (snapshot) {
      document.getElementById('error').textContent = '';
      render(snapshot);
    }).catch(function (err) {
      document.getElementById('error').textContent = 'could not load: ' + err.message;
    }).then(function () {
      if (token) timer = setTimeout(load, REFRESH_MS);
    });
  }

  document.getElementById('login').addEventListener('submit', function (event) {
    event.preventDefault();
    token = document.getElementById('token').value;
    sessionStorage.setItem('m2o-ops-token', token);
    document.getElementById('login').hidden = true;
    load();
  });
  load();
})();
`;
