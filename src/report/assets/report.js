(function () {
  var form = document.getElementById('filters');
  if (!form) return;
  var boxes = form.querySelectorAll('input[name=kind]');
  var select = document.getElementById('resource');
  var findings = document.querySelectorAll('#discrepancies article.finding');
  function apply() {
    var kinds = {};
    boxes.forEach(function (b) { if (b.checked) kinds[b.value] = true; });
    var resource = select.value, shown = 0;
    findings.forEach(function (a) {
      var ok = kinds[a.dataset.kind] === true && (!resource || a.dataset.resource === resource);
      a.hidden = !ok;
      if (ok) shown++;
    });
    document.querySelectorAll('#discrepancies .kind, #discrepancies .op').forEach(function (el) {
      el.hidden = !el.querySelector('article.finding:not([hidden])');
    });
    document.getElementById('shown').textContent = shown + ' of ' + findings.length + ' shown';
    document.getElementById('none').hidden = shown > 0;
  }
  form.addEventListener('change', apply);
  form.querySelectorAll('button[data-check]').forEach(function (button) {
    button.addEventListener('click', function () {
      var on = button.dataset.check === 'all';
      boxes.forEach(function (b) { b.checked = on; });
      apply();
    });
  });
  apply();
})();
