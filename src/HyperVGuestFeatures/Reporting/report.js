(function () {
  'use strict';
  // Everything from the data goes into the page through textContent, title and value: never as markup.
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var MARK = { Enabled: '\u2714', Disabled: '\u2013', Degraded: '!', NotSupported: '\u2716', NotObservable: '?' };
  function stateClass(s) { return 'st-' + data.states[s]; }
  var DEGRADED = data.states.indexOf('Degraded'), NOT_SUPPORTED = data.states.indexOf('NotSupported');
  var GUEST_NOT_SUPPORTED = data.support.indexOf('NotSupported'), NO_BASIS = data.basis.indexOf('None');
  // Guest support and the rule that decided it, packed in one letter per feature (see HtmlReport.AppendData).
  function guest(vm, i) {
    var c = vm[4].charAt(i);
    if (c === '-') { return null; }
    var code = c.charCodeAt(0) - 97;
    return { support: Math.floor(code / data.basis.length), basis: code % data.basis.length };
  }
  var GRID_PAGE = 100, LIST_PAGE = 50;
  var view = { host: -1, cat: -1, st: -1, vm: '', gridPage: 0, listPage: 0 };

  function byId(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  // Texts name their VM and host through placeholders (see HtmlReport.Template): put the names back.
  var VM_MARK = data.placeholders[0], HOST_MARK = data.placeholders[1], VERBATIM = data.placeholders[2];
  function text(index, vm) {
    var t = data.text[index];
    if (t.charAt(0) === VERBATIM) { return t.slice(1); }
    return t.split(HOST_MARK).join(data.hosts[vm[0]]).split(VM_MARK).join(vm[1]);
  }
  function detail(vm, i) { return text(data.lists[vm[3]][i], vm); }
  function supportDetail(vm, i) { return text(data.lists[vm[5]][i], vm); }
  function fmt(n) { return n.toLocaleString('en-US'); }
  function option(select, value, label) {
    var o = el('option', null, label);
    o.value = String(value);
    select.appendChild(o);
  }

  function fillFilters() {
    var host = byId('f-host'), cat = byId('f-cat'), st = byId('f-state'), vm = byId('f-vm');
    option(host, -1, 'All hosts (' + fmt(data.hosts.length) + ')');
    data.hosts.forEach(function (name, i) { option(host, i, name); });
    option(cat, -1, 'All categories');
    data.categories.forEach(function (name, i) { option(cat, i, name); });
    option(st, -1, 'Any state');
    data.states.forEach(function (name, i) { option(st, i, name); });
    [host, cat, st].forEach(function (s) { s.addEventListener('change', onFilter); });
    vm.addEventListener('input', onFilter);
  }

  function onFilter() {
    view.host = Number(byId('f-host').value);
    view.cat = Number(byId('f-cat').value);
    view.st = Number(byId('f-state').value);
    view.vm = byId('f-vm').value.trim().toLowerCase();
    view.gridPage = 0;
    view.listPage = 0;
    render();
  }

  function columns() {
    var cols = [];
    data.features.forEach(function (f, i) { if (view.cat < 0 || f[1] === view.cat) { cols.push(i); } });
    return cols;
  }

  function inScope(vm) {
    return (view.host < 0 || vm[0] === view.host) && (!view.vm || vm[1].toLowerCase().indexOf(view.vm) >= 0);
  }

  function hasState(vm, cols, st) {
    var mark = String(st);
    for (var k = 0; k < cols.length; k++) { if (vm[2].charAt(cols[k]) === mark) { return true; } }
    return false;
  }

  function tip(vm, i) {
    var f = data.features[i], s = vm[2].charAt(i);
    if (s === '-') { return f[0] + ': not in the input'; }
    var lines = [vm[1] + ' \u2014 ' + f[0] + ': ' + data.states[Number(s)]];
    var d = detail(vm, i), gd = supportDetail(vm, i), g = guest(vm, i);
    if (d) { lines.push(d); }
    if (g) {
      lines.push('Guest support: ' + data.support[g.support] + (g.basis !== NO_BASIS ? ' (' + data.basis[g.basis] + ')' : '') + (gd ? ' \u2014 ' + gd : ''));
    }
    return lines.join('\n');
  }

  function pager(container, page, total, size, go) {
    container.textContent = '';
    var pages = Math.max(1, Math.ceil(total / size));
    var prev = el('button', null, '\u2039 Previous'), next = el('button', null, 'Next \u203a');
    prev.type = next.type = 'button';
    prev.disabled = page <= 0;
    next.disabled = page >= pages - 1;
    prev.addEventListener('click', function () { go(page - 1); });
    next.addEventListener('click', function () { go(page + 1); });
    var first = total === 0 ? 0 : page * size + 1, last = Math.min(total, (page + 1) * size);
    container.appendChild(prev);
    container.appendChild(el('span', null, 'Page ' + fmt(page + 1) + ' of ' + fmt(pages) + ' \u00b7 ' + fmt(first) + '\u2013' + fmt(last) + ' of ' + fmt(total)));
    container.appendChild(next);
  }

  function renderGrid(rows, cols) {
    var table = byId('grid-table');
    table.textContent = '';
    var groups = el('tr'), head = el('tr');
    ['Host', 'VM'].forEach(function (t) {
      var th = el('th', 'corner', t);
      th.rowSpan = 2;
      groups.appendChild(th);
    });
    cols.forEach(function (i, k) {
      var c = data.features[i][1];
      if (k === 0 || data.features[cols[k - 1]][1] !== c) {
        var th = el('th', 'group' + (k > 0 ? ' cat0' : ''), data.categories[c]);
        th.colSpan = cols.filter(function (j) { return data.features[j][1] === c; }).length;
        th.title = data.categories[c];
        groups.appendChild(th);
      }
    });
    var previous = -1;
    cols.forEach(function (i) {
      var f = data.features[i];
      var th = el('th', 'feature' + (previous >= 0 && f[1] !== previous ? ' cat0' : ''));
      th.title = f[0] + ' (' + data.categories[f[1]] + ')' + (f[2] ? '\n' + f[2] : '');
      th.appendChild(el('div', null, f[0]));
      head.appendChild(th);
      previous = f[1];
    });
    var thead = el('thead');
    thead.appendChild(groups);
    thead.appendChild(head);
    table.appendChild(thead);

    var body = el('tbody');
    var start = view.gridPage * GRID_PAGE;
    rows.slice(start, start + GRID_PAGE).forEach(function (vm) {
      var tr = el('tr');
      tr.appendChild(el('td', 'host', data.hosts[vm[0]]));
      var name = el('td', 'vm', vm[1]);
      name.title = vm[1];
      tr.appendChild(name);
      previous = -1;
      cols.forEach(function (i) {
        var s = vm[2].charAt(i), cls = 'cell';
        if (s !== '-') { cls += ' ' + stateClass(Number(s)); }
        if (previous >= 0 && data.features[i][1] !== previous) { cls += ' cat0'; }
        var g = guest(vm, i);
        if (g && g.support === GUEST_NOT_SUPPORTED) { cls += ' gsno'; }
        if (view.st >= 0 && s !== String(view.st)) { cls += ' faded'; }
        var td = el('td', cls, s === '-' ? '' : MARK[data.states[Number(s)]] || '?');
        td.title = tip(vm, i);
        tr.appendChild(td);
        previous = data.features[i][1];
      });
      body.appendChild(tr);
    });
    if (rows.length === 0) {
      var empty = el('td', 'empty', 'No VM matches the filters.');
      empty.colSpan = cols.length + 2;
      var tr = el('tr');
      tr.appendChild(empty);
      body.appendChild(tr);
    }
    table.appendChild(body);
    pager(byId('grid-pager'), view.gridPage, rows.length, GRID_PAGE, function (p) { view.gridPage = p; render(); });
  }

  function renderAttention(rows, cols) {
    var items = [], byFeature = {};
    rows.forEach(function (vm) {
      cols.forEach(function (i) {
        var s = Number(vm[2].charAt(i));
        if ((s === DEGRADED || s === NOT_SUPPORTED) && (view.st < 0 || view.st === s)) {
          items.push([vm, i, s]);
          var counts = byFeature[i] || (byFeature[i] = [0, 0]);
          counts[s === DEGRADED ? 0 : 1]++;
        }
      });
    });

    var summary = byId('attention-summary');
    summary.textContent = '';
    var keys = Object.keys(byFeature).map(Number).sort(function (a, b) {
      return (byFeature[b][0] + byFeature[b][1]) - (byFeature[a][0] + byFeature[a][1]) || a - b;
    });
    if (keys.length > 0) {
      var head = el('tr');
      ['Feature', 'Category', 'Degraded', 'NotSupported'].forEach(function (t, k) { head.appendChild(el('th', k > 1 ? 'num' : null, t)); });
      var thead = el('thead');
      thead.appendChild(head);
      summary.appendChild(thead);
      var body = el('tbody');
      keys.forEach(function (i) {
        var tr = el('tr');
        tr.appendChild(el('td', null, data.features[i][0]));
        tr.appendChild(el('td', null, data.categories[data.features[i][1]]));
        tr.appendChild(el('td', 'num' + (byFeature[i][0] ? ' ' + stateClass(DEGRADED) : ''), fmt(byFeature[i][0])));
        tr.appendChild(el('td', 'num' + (byFeature[i][1] ? ' ' + stateClass(NOT_SUPPORTED) : ''), fmt(byFeature[i][1])));
        body.appendChild(tr);
      });
      summary.appendChild(body);
    }

    var table = byId('attention-table');
    table.textContent = '';
    var h = el('tr');
    ['Host', 'VM', 'Feature', 'State', 'Detail and fix'].forEach(function (t) { h.appendChild(el('th', null, t)); });
    var th = el('thead');
    th.appendChild(h);
    table.appendChild(th);
    var tbody = el('tbody');
    var start = view.listPage * LIST_PAGE;
    items.slice(start, start + LIST_PAGE).forEach(function (item) {
      var vm = item[0], i = item[1], s = item[2];
      var tr = el('tr');
      tr.appendChild(el('td', null, data.hosts[vm[0]]));
      tr.appendChild(el('td', null, vm[1]));
      tr.appendChild(el('td', null, data.features[i][0]));
      tr.appendChild(el('td', stateClass(s), data.states[s]));
      tr.appendChild(el('td', 'detail', detail(vm, i)));
      tbody.appendChild(tr);
    });
    if (items.length === 0) {
      var empty = el('td', 'empty', 'Nothing degraded or unsupported among the VMs and features shown.');
      empty.colSpan = 5;
      var row = el('tr');
      row.appendChild(empty);
      tbody.appendChild(row);
    }
    table.appendChild(tbody);
    pager(byId('attention-pager'), view.listPage, items.length, LIST_PAGE, function (p) { view.listPage = p; render(); });
  }

  function render() {
    var cols = columns();
    var scoped = data.vms.filter(inScope);
    var rows = view.st < 0 ? scoped : scoped.filter(function (vm) { return hasState(vm, cols, view.st); });
    byId('shown').textContent = fmt(rows.length) + ' of ' + fmt(data.vms.length) + ' VMs, ' + fmt(cols.length) + ' of ' + fmt(data.features.length) + ' features';
    renderGrid(rows, cols);
    renderAttention(scoped, cols);
  }

  fillFilters();
  render();
  document.documentElement.className = 'ready';
}());
