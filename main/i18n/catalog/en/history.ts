// The history list: past transfers, and clearing them.

export const history = {
  title: 'History',
  count_one: '{{count, number}} transfer',
  count_other: '{{count, number}} transfers',
  none: 'No transfers yet',
  loading: 'Loading…',
  clear: 'Clear history…',
  couldNotLoad: 'Could not load the history: {{error}}',
  tryAgain: 'Try again',
  empty: 'Finished transfers are listed here, sent and received.',
  listLabel: 'Past transfers',
  to: 'To {{name}}',
  from: 'From {{name}}',
  took: 'took {{duration}}',
  couldNotClear: 'Could not clear the history',
  confirm: {
    title: 'Clear the history?',
    text_one: 'All {{count, number}} entry are removed from this list. Received files stay where they are.',
    text_other: 'All {{count, number}} entries are removed from this list. Received files stay where they are.',
    keep: 'Keep',
    clear: 'Clear history',
  },
};
