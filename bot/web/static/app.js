// 民生问答 chat page. Everything shown is built with DOM nodes and
// textContent: answers quote documents and questions are typed by anyone,
// so no text may ever be parsed as markup.
'use strict';

(function () {
  var log = document.getElementById('log');
  var form = document.getElementById('ask');
  var input = document.getElementById('q');
  var send = document.getElementById('send');
  var regionSel = document.getElementById('region');
  var sizeBtn = document.getElementById('size');
  var welcome = document.getElementById('welcome');

  var conversation = newID();
  var busy = false;
  var messages = 0;

  // ---- storage that may be unavailable (private mode) ----
  function load(store, key) {
    try { return window[store].getItem(key) || ''; } catch (e) { return ''; }
  }
  function save(store, key, value) {
    try { window[store].setItem(key, value); } catch (e) { /* not kept, fine */ }
  }

  function newID() {
    var a = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  // el builds an element; string children become text nodes.
  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === 'class') e.className = attrs[k];
        else if (k === 'text') e.textContent = attrs[k];
        else e.setAttribute(k, attrs[k]);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  // ---- large text ----
  function setLarge(on) {
    document.documentElement.classList.toggle('large', on);
    sizeBtn.setAttribute('aria-pressed', on ? 'true' : 'false');
    sizeBtn.textContent = on ? '标准字' : '大字';
    save('localStorage', 'minsheng-large', on ? '1' : '0');
  }
  sizeBtn.addEventListener('click', function () {
    setLarge(!document.documentElement.classList.contains('large'));
  });
  setLarge(load('localStorage', 'minsheng-large') === '1');

  // ---- API access ----
  function headers(extra) {
    var h = extra || {};
    var token = load('sessionStorage', 'minsheng-token');
    if (token) h.Authorization = 'Bearer ' + token;
    return h;
  }

  // askToken is only needed when the operator set MINSHENG_API_TOKEN.
  function askToken() {
    var t = window.prompt('这个服务需要访问口令,请输入:');
    if (t) save('sessionStorage', 'minsheng-token', t.trim());
    return !!t;
  }

  function errorMessage(resp) {
    return resp.json().then(function (body) {
      if (body && typeof body.error === 'string') return body.error;
      if (body && body.error && body.error.message) return body.error.message;
      return '出错了(' + resp.status + '),请稍后再试。';
    }, function () {
      return '出错了(' + resp.status + '),请稍后再试。';
    });
  }

  // ---- regions ----
  function loadRegions() {
    fetch('/v1/regions', { headers: headers() }).then(function (resp) {
      if (!resp.ok) return null;
      return resp.json();
    }).then(function (body) {
      if (!body || !body.regions) return;
      var saved = load('localStorage', 'minsheng-region');
      body.regions.forEach(function (r) {
        // Indent by level with full-width spaces: a <select> shows no markup.
        var label = new Array(r.depth + 1).join('\u3000') + r.name;
        var opt = el('option', { value: r.name, text: label, title: r.label });
        if (r.name === saved) opt.selected = true;
        regionSel.appendChild(opt);
      });
    }).catch(function () { /* the picker stays at 全部地区 */ });
  }
  regionSel.addEventListener('change', function () {
    save('localStorage', 'minsheng-region', regionSel.value);
  });

  // ---- messages ----
  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function addUser(text) {
    if (welcome) { welcome.remove(); welcome = null; }
    log.appendChild(el('div', { class: 'msg user' }, el('div', { class: 'bubble' }, text)));
    scrollDown();
  }

  function addBot() {
    messages++;
    var status = el('p', { class: 'status', text: '正在查找政策文件' });
    var answer = el('div', { class: 'answer' });
    var bubble = el('div', { class: 'bubble' }, status, answer);
    var root = el('div', { class: 'msg bot', 'data-n': String(messages) }, bubble);
    log.appendChild(root);
    scrollDown();
    return { root: root, bubble: bubble, status: status, answer: answer, n: messages };
  }

  function showError(b, msg) {
    b.status.remove();
    b.root.classList.add('error');
    b.answer.textContent = msg;
    scrollDown();
  }

  // renderAnswer replaces whatever was streamed with the final answer: only
  // the final one is checked against the documents.
  function renderAnswer(b, question, ans, region) {
    b.status.remove();
    b.answer.textContent = '';
    if (ans.abstained) b.root.classList.add('abstained');
    var idFor = function (n) { return 'src-' + b.n + '-' + n; };
    var parts = String(ans.answer || '').split(/(\[\d+\])/);
    parts.forEach(function (p) {
      var m = /^\[(\d+)\]$/.exec(p);
      if (!m) { b.answer.appendChild(document.createTextNode(p)); return; }
      var link = el('a', { class: 'cite', href: '#' + idFor(m[1]), title: '查看出处 ' + p }, p);
      link.addEventListener('click', function (ev) {
        ev.preventDefault();
        var d = document.getElementById(idFor(m[1]));
        if (d) { d.open = true; d.scrollIntoView({ block: 'nearest', behavior: 'smooth' }); }
      });
      b.answer.appendChild(link);
    });

    var sugg = ans.suggestions || [];
    if (sugg.length) {
      var sbox = el('div', { class: 'examples suggestions' }, el('span', { text: '可以这样问:' }));
      sugg.forEach(function (q) {
        var btn = el('button', { type: 'button', class: 'example' }, q);
        btn.addEventListener('click', function () {
          if (busy) return;
          input.value = q;
          submit();
        });
        sbox.appendChild(btn);
      });
      b.bubble.appendChild(sbox);
    }

    var cits = ans.citations || [];
    if (cits.length) {
      var box = el('div', { class: 'sources' }, el('h2', { text: '来源(点开查看原文)' }));
      cits.forEach(function (c) {
        var meta = [c.region, c.date].filter(Boolean).join(' · ');
        var d = el('details', { class: 'source', id: idFor(c.n) },
          el('summary', null,
            el('span', { class: 'num', text: '[' + c.n + ']' }),
            el('span', { class: 'title', text: '《' + c.title + '》' }),
            el('span', { class: 'meta', text: meta })),
          c.section ? el('p', { class: 'section', text: '章节:' + c.section }) : null,
          el('blockquote', { class: 'quote', text: c.quote || '' }));
        // An opened card shows its quote, which may sit below the fold.
        d.addEventListener('toggle', function () {
          if (d.open) d.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
        });
        box.appendChild(d);
      });
      b.bubble.appendChild(box);
    }
    b.bubble.appendChild(feedbackRow(question, ans, region));
    // Show the question and the start of the answer, not its end: people
    // read from the top, and a long answer would otherwise hide both.
    var from = b.root.previousElementSibling || b.root;
    log.scrollTop = Math.max(0, from.offsetTop - 8);
  }

  // Reasons offered after 👎, as bot.DownvoteReasons has them: the code
  // is sent, the label shown.
  var REASONS = [
    { code: 'outdated', label: '过时' },
    { code: 'off_topic', label: '答非所问' },
    { code: 'wrong_citation', label: '引用不对' },
    { code: 'other', label: '其他' }
  ];

  function feedbackRow(question, ans, region) {
    var row = el('div', { class: 'feedback' }, '这个回答有帮助吗?');
    var up = el('button', { type: 'button', 'aria-label': '有帮助' }, '👍 有帮助');
    var down = el('button', { type: 'button', 'aria-label': '没帮助' }, '👎 没帮助');
    function vote(helpful, reason) {
      Array.prototype.forEach.call(row.querySelectorAll('button'), function (b) { b.disabled = true; });
      var cits = ans.citations || [];
      var body = {
        question: question, answer: ans.answer, helpful: helpful, conversation: conversation,
        sources: cits.map(function (c) { return c.source; }),
        passages: cits.map(function (c) { return { source: c.source, section: c.section || '' }; }),
        region: ans.region || region || '', route: ans.route || ''
      };
      if (reason) body.reason = reason;
      fetch('/v1/feedback', {
        method: 'POST',
        headers: headers({ 'Content-Type': 'application/json' }),
        body: JSON.stringify(body)
      }).then(function (resp) {
        row.textContent = resp.ok ? (helpful ? '谢谢您的反馈!' : '谢谢反馈,我们会改进。') : '反馈没有保存成功,请稍后再试。';
      }).catch(function () {
        row.textContent = '网络出了问题,反馈没有发出去。';
      });
    }
    // After 👎 the row asks what was wrong; the vote is sent with the
    // reason chosen.
    function askReason() {
      row.textContent = '';
      row.appendChild(document.createTextNode('哪里不对?请选一项:'));
      REASONS.forEach(function (r) {
        var b = el('button', { type: 'button', 'data-reason': r.code }, r.label);
        b.addEventListener('click', function () { vote(false, r.code); });
        row.appendChild(b);
      });
      var first = row.querySelector('button');
      if (first) first.focus();
    }
    up.addEventListener('click', function () { vote(true); });
    down.addEventListener('click', askReason);
    row.appendChild(up);
    row.appendChild(down);
    return row;
  }

  // ---- server-sent events ----
  // sseParser feeds text in; calls onEvent(name, data) per complete event.
  function sseParser(onEvent) {
    var buf = '';
    return function (chunk) {
      buf += chunk.replace(/\r\n?/g, '\n');
      var i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        var block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        var name = 'message';
        var data = [];
        block.split('\n').forEach(function (line) {
          if (!line || line.charAt(0) === ':') return;
          var c = line.indexOf(':');
          var field = c < 0 ? line : line.slice(0, c);
          var value = c < 0 ? '' : line.slice(c + 1);
          if (value.charAt(0) === ' ') value = value.slice(1);
          if (field === 'event') name = value;
          else if (field === 'data') data.push(value);
        });
        if (data.length) onEvent(name, data.join('\n'));
      }
    };
  }

  function readStream(resp, b) {
    var final = null;
    var failure = null;
    var streamed = '';
    var feed = sseParser(function (name, data) {
      var v = JSON.parse(data);
      if (name === 'delta') {
        if (!streamed) b.status.textContent = '正在作答';
        streamed += v.text || '';
        b.answer.textContent = streamed;
        scrollDown();
      } else if (name === 'answer') {
        final = v;
      } else if (name === 'error') {
        failure = v.error || '出错了,请稍后再试。';
      }
    });
    var finish = function () {
      if (failure) throw { userMessage: failure };
      if (!final) throw { userMessage: '回答没有完整收到,请再试一次。' };
      return final;
    };
    if (!resp.body || !resp.body.getReader || !window.TextDecoder) {
      return resp.text().then(function (t) { feed(t); return finish(); });
    }
    var reader = resp.body.getReader();
    var dec = new TextDecoder();
    function pump() {
      return reader.read().then(function (r) {
        if (r.done) { feed(dec.decode()); return finish(); }
        feed(dec.decode(r.value, { stream: true }));
        return pump();
      });
    }
    return pump();
  }

  // ---- asking ----
  function ask(question, retried) {
    var b = addBot();
    var region = regionSel.value;
    var body = JSON.stringify({ question: question, region: region, conversation: conversation });
    return fetch('/v1/ask', {
      method: 'POST',
      headers: headers({ 'Content-Type': 'application/json', 'Accept': 'text/event-stream, application/json' }),
      body: body
    }).then(function (resp) {
      if (resp.status === 401 && !retried) {
        b.root.remove();
        if (askToken()) return ask(question, true);
        return showError(addBot(), '需要访问口令才能提问。');
      }
      if (!resp.ok) {
        return errorMessage(resp).then(function (msg) { showError(b, msg); });
      }
      var type = resp.headers.get('Content-Type') || '';
      var got = type.indexOf('text/event-stream') === 0 ? readStream(resp, b) : resp.json();
      return got.then(function (ans) { renderAnswer(b, question, ans, region); });
    }).catch(function (err) {
      showError(b, err && err.userMessage ? err.userMessage : '网络出了问题,请检查网络后再试。');
    });
  }

  function submit() {
    var q = input.value.trim();
    if (!q || busy) return;
    busy = true;
    send.disabled = true;
    addUser(q);
    input.value = '';
    ask(q, false).then(function () {
      busy = false;
      send.disabled = false;
      input.focus();
    });
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    submit();
  });
  // Enter sends, Shift+Enter breaks the line; never while an input method
  // is composing Chinese characters, where Enter confirms the candidate.
  input.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
      ev.preventDefault();
      submit();
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll('.example'), function (btn) {
    btn.addEventListener('click', function () {
      input.value = btn.textContent;
      submit();
    });
  });

  loadRegions();
})();
