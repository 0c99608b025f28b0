// newsdesk serve: a little progressive enhancement; every page works without it.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  // Search filters: a changed date refines the results at once.
  var form = document.querySelector('form.search');
  if (form) {
    form.querySelectorAll('input[name=since], input[name=until]').forEach(function (el) {
      el.addEventListener('change', function () {
        if (form.querySelector('input[name=q]').value) form.submit();
      });
    });
  }
  // Relations chart: a period's bars highlight its row in the table.
  document.querySelectorAll('#relchart .period').forEach(function (g, i) {
    g.addEventListener('click', function () {
      var rows = document.querySelectorAll('.relchart ~ details tbody tr');
      var d = document.querySelector('.relchart ~ details');
      if (d && rows[i]) { d.open = true; rows[i].scrollIntoView({block: 'center'}); }
    });
  });
});
