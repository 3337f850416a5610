// The offer dialog: who offers what, the code to compare, choosing what to receive and where
// to save it, and the answers.

export const offers = {
  summary: '{{contents}}, {{size}}',
  title: {
    files: '{{name}} wants to send you files',
    text: '{{name}} wants to send you a message <count>({{chars}})</count>',
    characters_one: '{{count, number}} character',
    characters_other: '{{count, number}} characters',
  },
  trusted: 'Trusted',
  waiting_one: '{{count, number}} more offer waiting',
  waiting_other: '{{count, number}} more offers waiting',
  identityChanged: {
    ferry:
      '<strong>This is not the “{{name}}” you trusted.</strong> It has a different identity than before. Ferry may have been reinstalled on it, or another device is using its name. Accept only if you have checked with its owner.',
    localsend:
      '<strong>This is not the “{{name}}” you trusted.</strong> It has a different identity than before. LocalSend may have been reinstalled on it, or another device is using its name. Accept only if you have checked with its owner.',
  },
  unverified: {
    files: '<strong>This app does not prove who it is.</strong> Accept only if you expect files from {{name}}.',
    text: '<strong>This app does not prove who it is.</strong> Accept only if you expect a message from {{name}}.',
  },
  localsendNote: {
    files: 'Sent with LocalSend, which shows no code to compare: accept if you expect files from {{name}}.',
    text: 'Sent with LocalSend, which shows no code to compare: accept if you expect a message from {{name}}.',
  },
  checkCode: 'Check that the sender sees the same code:',
  textOffer: '<strong>A text message of {{chars}}.</strong> Its words show under Messages once you accept.',
  ticked: {
    all: '<strong>{{files}}</strong>',
    allInFolders: '<strong>{{files}}</strong> in {{folders}}',
    nothing: '<strong>Nothing ticked</strong> of {{contents}}',
    some: '{{n, number}} of {{files}}',
    someAtLeast: 'At least {{n, number}} of {{files}}',
    bytes: '{{size}} of {{total}}',
    bytesAtLeast: 'at least {{size}} of {{total}}',
  },
  selectAll: 'Select all',
  selectNone: 'Select none',
  offered: 'Offered: {{summary}}',
  notListed_one: '{{count, number}} item, not listed',
  notListed_other: '{{count, number}} items, not listed',
  partlyListed_one:
    'Only the first {{count, number}} item are listed, so you choose among the top-level files and folders shown: a ticked folder brings everything in it. With anything unticked, items beyond the list that are not in a ticked folder are left out.',
  partlyListed_other:
    'Only the first {{count, number}} items are listed, so you choose among the top-level files and folders shown: a ticked folder brings everything in it. With anything unticked, items beyond the list that are not in a ticked folder are left out.',
  nothingTicked: 'Nothing is ticked: tick what you want to receive, or decline.',
  alwaysAccept: 'Always accept from this device',
  couldNotPickFolder: 'Could not open the folder picker',
  choices: {
    folder: '{{path}} (folder)',
    folderNote: ' (folder)',
    more_one: 'and {{count, number}} more item',
    more_other: 'and {{count, number}} more items',
  },
  saveTo: {
    label: 'Save to',
    useDownloadFolder: 'Use the download folder',
    help: 'A folder on the computer running Ferry, for this transfer only; it is made if it does not exist.',
    change: 'Change…',
    wholePath: 'Type the whole path of a folder, from the top: like {{example}}.',
  },
};
