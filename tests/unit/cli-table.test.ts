// `ferry peers`' table: widths as a terminal shows them, cuts that never split a character.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayWidth, renderTable, truncate, type Column } from '../../main/hosts/cli/table.js';

test('a CJK character or an emoji takes two cells, a combining accent none', () => {
  assert.equal(displayWidth('abc'), 3);
  assert.equal(displayWidth('日本語'), 6);
  assert.equal(displayWidth('📷 box'), 6);
  assert.equal(displayWidth('e\u0301te\u0301'), 3);
  assert.equal(displayWidth('👩‍💻'), 2);
});

test('cuts at the end or in the middle with an ellipsis, within the width, never inside a character', () => {
  assert.equal(truncate('short', 10), 'short');
  assert.equal(truncate('A long device name', 10), 'A long de…');
  assert.equal(truncate('192.168.100.200:33779', 15, 'middle'), '192.168…0:33779');
  assert.equal(truncate('日本語のデバイス', 7), '日本語…');
  assert.equal(truncate('👩‍💻👩‍💻👩‍💻', 5), '👩‍💻👩‍💻…');
  for (let w = 1; w < 20; w++) assert.ok(displayWidth(truncate('日本語のデバイス名前です', w, 'middle')) <= w, String(w));
});

test('the widest column gives way first, and the columns stay aligned', () => {
  const columns: Column[] = [
    { header: 'NAME', min: 8, cut: 'end' },
    { header: 'ADDRESS', min: 15, cut: 'middle' },
  ];
  const out = renderTable(
    columns,
    [
      ['名前'.repeat(20), '127.0.0.1:33779'],
      ['nas', '10.0.0.2:33779'],
    ],
    40,
  ).split('\n');
  // The name gets what the address leaves of 40 cells: 23, for 11 wide characters and the ellipsis.
  assert.deepEqual(
    out.map((l) => displayWidth(l)),
    [32, 40, 39, 0],
  );
  assert.equal(out[1], `${'名前'.repeat(5)}名…  127.0.0.1:33779`);
  assert.equal(out[2], `nas${' '.repeat(20)}  10.0.0.2:33779`);
});
