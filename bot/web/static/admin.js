'use strict';
// The staff page. Everything shown comes from the admin API and is put in
// the page with textContent only: documents and questions are text, never
// markup.
(() => {
  const $ = (id) => document.getElementById(id);
  const KEY = 'minsheng-admin-token';
  let token = sessionStorage.getItem(KEY) || '';

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  async function api(method, path, body) {
    const opts = { method, headers: { Authorization: 'Bearer ' + token } };
    if (body instanceof FormData) opts.body = body;
    else if (body !== undefined) { opts.body = JSON.stringify(body); opts.headers['Content-Type'] = 'application/json'; }
    const r = await fetch('/admin/api/' + path, opts);
    let data = {};
    try { data = await r.json(); } catch (e) { /* not JSON */ }
    if (r.status === 401) { signOut('口令不对或已失效,请重新登录。'); throw new Error('401'); }
    if (!r.ok) throw new Error(data.error || ('出错了(' + r.status + ')'));
    return data;
  }

  function signOut(msg) {
    token = '';
    sessionStorage.removeItem(KEY);
    $('main').hidden = true;
    $('signin').hidden = false;
    $('signin-error').textContent = msg || '';
    $('who').textContent = '';
  }

  async function signIn() {
    try {
      const me = await api('GET', 'whoami');
      sessionStorage.setItem(KEY, token);
      $('who').textContent = me.name;
      $('signin').hidden = true;
      $('signin-error').textContent = '';
      $('main').hidden = false;
      loadAll();
    } catch (e) {
      if (e.message !== '401') signOut(e.message);
    }
  }

  $('signin').addEventListener('submit', (ev) => {
    ev.preventDefault();
    token = $('token').value.trim();
    signIn();
  });

  document.querySelectorAll('nav button').forEach((b) => b.addEventListener('click', () => show(b.dataset.tab)));
  function show(tab) {
    document.querySelectorAll('nav button').forEach((b) => b.classList.toggle('on', b.dataset.tab === tab));
    for (const id of ['docs', 'curated', 'queue', 'feedback']) $(id).hidden = id !== tab;
    if (tab === 'queue') loadQueue();
    if (tab === 'feedback') loadFeedback();
    if (tab === 'curated') loadPairs();
    if (tab === 'docs') loadDocs();
  }

  function loadAll() { loadDocs(); loadPairs(); pollStatus(); }

  async function loadDocs() {
    const data = await api('GET', 'documents');
    const list = $('doc-list');
    const names = $('doc-names');
    list.replaceChildren();
    names.replaceChildren();
    for (const d of data.documents) {
      const li = el('li');
      li.append(el('div', 'title', '《' + d.title + '》'));
      li.lastChild.append(el('span', 'tag' + (d.added ? ' added' : ''), d.added ? '已上传' : '内置'));
      if (!d.in_force) li.lastChild.append(el('span', 'tag expired', '已失效'));
      const facts = [d.source, d.issuer, d.date, d.kind, d.region].filter(Boolean).join(' · ');
      li.append(el('div', 'facts', facts));
      const validity = [d.number, d.effective ? '施行 ' + d.effective : '', d.expires ? '有效期至 ' + d.expires : '',
        d.superseded_by ? '已被 ' + d.superseded_by + ' 取代' : '', d.in_force ? '现行有效' : '不再有效'].filter(Boolean).join(' · ');
      li.append(el('div', 'facts validity', validity));
      const sup = el('button', 'supersede', '标记为被取代');
      sup.type = 'button';
      sup.addEventListener('click', () => supersedeDoc(d.source));
      li.append(sup);
      if (d.added) {
        const rm = el('button', 'remove', '删除');
        rm.type = 'button';
        rm.addEventListener('click', () => removeDoc(d.source, d.title));
        li.append(rm);
      }
      li.dataset.source = d.source;
      list.append(li);
      const o = el('option'); o.value = d.source; names.append(o);
    }
  }

  function docMsg(ok, text) {
    $('doc-msg').className = ok ? 'ok' : 'bad';
    $('doc-msg').textContent = text;
  }

  async function removeDoc(source, title) {
    if (!confirm('删除《' + title + '》(' + source + ')?删除后将重建索引。')) return;
    try {
      const send = (accept) => api('DELETE', 'documents/' + encodeURIComponent(source) + (accept ? '?accept=true' : ''));
      resend = () => send(true);
      await send(false);
      docMsg(true, '已删除 ' + source + '。');
      pollStatus();
    } catch (e) { docMsg(false, e.message); }
  }

  async function supersedeDoc(source) {
    const by = prompt('取代 ' + source + ' 的文件名(见列表):');
    if (!by) return;
    try {
      const send = (accept) => api('POST', 'documents/' + encodeURIComponent(source) + '/supersede', { by: by.trim(), accept });
      resend = () => send(true);
      await send(false);
      docMsg(true, source + ' 已标记为被 ' + by.trim() + ' 取代。');
      pollStatus();
    } catch (e) { docMsg(false, e.message); }
  }

  $('fetch').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('fetch-go').disabled = true;
    $('fetch-msg').className = '';
    $('fetch-msg').textContent = '正在下载…';
    try {
      const body = { url: $('fetch-url').value.trim(), replace: $('fetch-replace').checked };
      const send = (accept) => api('POST', 'documents/url', Object.assign({}, body, { accept }));
      resend = () => send(true);
      const r = await send(false);
      $('fetch-msg').className = 'ok';
      $('fetch-msg').textContent = '已添加《' + r.document.title + '》(' + r.document.source + ')';
      $('fetch').reset();
      pollStatus();
    } catch (e) {
      $('fetch-msg').className = 'bad';
      $('fetch-msg').textContent = e.message;
    } finally { $('fetch-go').disabled = false; }
  });

  // resend re-sends the last change to the documents with accept=true,
  // for 仍然提交 after the check set refused it.
  let resend = null;

  // showMoves lists the check questions whose answers moved in the last
  // rebuild; after a refusal it offers to make the change anyway.
  function showMoves(st) {
    const box = $('moves');
    box.replaceChildren();
    const moves = st.moves || [];
    box.hidden = moves.length === 0;
    if (!moves.length) return;
    box.append(el('p', '', st.state === 'refused' ? '检查问题的变化(✗ 为关于其他文件、失去数字或出处的回答):' : '检查问题的变化:'));
    const ul = el('ul');
    for (const m of moves) {
      const mark = m.broken ? '✗ ' : m.meant ? '~ ' : '• ';
      ul.append(el('li', m.broken ? 'bad' : '', mark + m.id + ' ' + m.q + ':' + m.before + ' → ' + m.after));
    }
    box.append(ul);
    if (st.state === 'refused' && resend) {
      const again = el('button', '', '仍然提交');
      again.addEventListener('click', async () => {
        again.disabled = true;
        try {
          await resend();
          resend = null;
          pollStatus();
        } catch (e) { docMsg(false, e.message); again.disabled = false; }
      });
      box.append(again);
    }
  }

  let polling = false;
  async function pollStatus() {
    if (polling) return;
    polling = true;
    try {
      for (;;) {
        const st = await api('GET', 'status');
        const building = st.state === 'building';
        $('progress').hidden = !building;
        $('status').className = st.state === 'failed' || st.state === 'refused' ? 'bad' : '';
        $('status').textContent = building ? '正在重建索引(' + (st.building || '') + '),完成前仍用旧索引回答…'
          : st.state === 'failed' || st.state === 'refused' ? st.message : (st.version > 0 ? '索引已更新。' : '');
        if (!building) showMoves(st);
        $('status').dataset.state = st.state;
        $('status').dataset.version = st.version;
        if (!building) { if (st.version > 0) loadDocs(); break; }
        await new Promise((r) => setTimeout(r, 700));
      }
    } finally { polling = false; }
  }

  $('upload').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = $('file').files[0];
    if (!f) return;
    const replace = $('replace').checked;
    const send = (accept) => {
      const fd = new FormData();
      fd.append('file', f);
      if (replace) fd.append('replace', '1');
      if (accept) fd.append('accept', 'true');
      return api('POST', 'documents', fd);
    };
    resend = () => send(true);
    $('upload-go').disabled = true;
    $('upload-msg').className = '';
    $('upload-msg').textContent = '正在上传 ' + f.name + '…';
    try {
      const r = await send(false);
      $('upload-msg').className = 'ok';
      $('upload-msg').textContent = '已添加《' + r.document.title + '》(' + [r.document.issuer, r.document.date, r.document.region].filter(Boolean).join(' · ') + ')';
      $('upload').reset();
      pollStatus();
    } catch (e) {
      $('upload-msg').className = 'bad';
      $('upload-msg').textContent = e.message;
    } finally { $('upload-go').disabled = false; }
  });

  async function loadPairs() {
    const data = await api('GET', 'curated');
    const list = $('pair-list');
    list.replaceChildren();
    if (!data.pairs.length) list.append(el('li', 'facts', '还没有整理的答复。'));
    for (const p of data.pairs) {
      const li = el('li');
      li.append(el('span', 'count', '命中 ' + p.hits));
      const t = el('div', 'title', p.question);
      if (p.expired) t.append(el('span', 'tag expired', '已过期'));
      li.append(t, el('div', '', p.answer));
      li.append(el('div', 'facts', [(p.sources || []).join('、'), (p.region || []).join(' › '), p.valid_until ? '有效期至 ' + p.valid_until : '', p.author, p.added].filter(Boolean).join(' · ')));
      const edit = el('button', '', '修改');
      edit.type = 'button';
      edit.addEventListener('click', () => fillPair({
        replaces: p.id, question: p.question, wordings: (p.wordings || []).join(' | '), answer: p.answer,
        sources: (p.sources || []).join(' | '), region: (p.region || []).slice(-1)[0] || '', valid_until: p.valid_until || '' }));
      li.append(edit);
      list.append(li);
    }
  }

  function fillPair(p) {
    $('pair-replaces').value = p.replaces || '';
    $('pair-q').value = p.question || '';
    $('pair-w').value = p.wordings || '';
    $('pair-a').value = p.answer || '';
    $('pair-s').value = p.sources || '';
    $('pair-r').value = p.region || '';
    $('pair-v').value = p.valid_until || '';
    $('pair-msg').textContent = '';
    show('curated');
    $('pair-a').focus();
  }

  $('pair').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { replaces: $('pair-replaces').value, question: $('pair-q').value, wordings: $('pair-w').value,
      answer: $('pair-a').value, sources: $('pair-s').value, region: $('pair-r').value, valid_until: $('pair-v').value };
    try {
      await api('POST', 'curated', body);
      $('pair-msg').className = 'ok';
      $('pair-msg').textContent = '已保存。';
      $('pair').reset();
      $('pair-replaces').value = '';
      loadPairs();
    } catch (e) {
      $('pair-msg').className = 'bad';
      $('pair-msg').textContent = e.message;
    }
  });

  $('sheet').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = $('sheet-file').files[0];
    if (!f) return;
    const fd = new FormData();
    fd.append('file', f);
    try {
      const r = await api('POST', 'curated/import', fd);
      $('sheet-msg').className = 'ok';
      $('sheet-msg').textContent = '已导入 ' + r.saved + ' 条。';
      loadPairs();
    } catch (e) {
      $('sheet-msg').className = 'bad';
      $('sheet-msg').textContent = e.message;
    }
  });

  const decisionNames = { none: '未回答', closest: '只给了相近内容', downvote: '👎' };
  async function loadQueue() {
    const data = await api('GET', 'queue');
    const list = $('queue-list');
    list.replaceChildren();
    if (!data.groups.length) list.append(el('li', 'facts', '暂时没有待答的问题。'));
    for (const g of data.groups) {
      const li = el('li', 'group');
      li.append(el('span', 'count', g.count + ' 次'));
      li.append(el('div', 'title', g.question));
      if (g.wordings && g.wordings.length) li.append(el('div', 'facts', '其他问法:' + g.wordings.join(' | ')));
      const why = Object.entries(g.decisions || {}).map(([k, n]) => (decisionNames[k] || k) + ' ' + n);
      const reasons = Object.entries(g.reasons || {}).map(([k, n]) => k + ' ' + n);
      li.append(el('div', 'facts', [g.region, why.join('、'), reasons.join('、'), (g.sources || []).join('、')].filter(Boolean).join(' · ')));
      const add = el('button', 'from-queue', '据此添加整理的答复');
      add.type = 'button';
      add.addEventListener('click', () => fillPair({ question: g.question, wordings: (g.wordings || []).join(' | '),
        sources: (g.sources || [])[0] || '', region: '' }));
      li.append(add);
      list.append(li);
    }
  }

  async function loadFeedback() {
    const data = await api('GET', 'feedback');
    const list = $('feedback-list');
    list.replaceChildren();
    if (!data.downvotes.length) list.append(el('li', 'facts', '暂时没有 👎。'));
    for (const v of data.downvotes) {
      const li = el('li');
      if (v.reason) li.append(el('span', 'count', v.reason));
      li.append(el('div', 'title', v.question), el('div', '', v.answer));
      li.append(el('div', 'facts', [new Date(v.time).toLocaleString('zh-CN'), v.channel, (v.sources || []).join('、')].filter(Boolean).join(' · ')));
      list.append(li);
    }
  }

  if (token) signIn(); else signOut('');
})();
