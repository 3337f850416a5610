// Words every part of Ferry uses: actions, counts, sizes, time left, durations, dates, and
// the language names of the language setting.

export const common = {
  actions: {
    cancel: 'Cancel',
    close: 'Close',
    retry: 'Retry',
    save: 'Save',
    copy: 'Copy',
    open: 'Open',
    accept: 'Accept',
    decline: 'Decline',
  },
  language: {
    system: 'System language',
    en: 'English',
    'zh-CN': '简体中文',
  },
  count: {
    files_one: '{{count, number}} file',
    files_other: '{{count, number}} files',
    folders_one: '{{count, number}} folder',
    folders_other: '{{count, number}} folders',
    filesAndFolders: '{{files}} and {{folders}}',
  },
  speed: '{{size}}/s',
  eta: {
    fewSeconds: 'a few seconds left',
    seconds: 'about {{n}} s left',
    minutes: 'about {{n}} min left',
    hours: 'about {{h}} h left',
    hoursMinutes: 'about {{h}} h {{m}} min left',
    aboutDay: 'about a day left',
    moreThanDay: 'more than a day left',
  },
  duration: {
    lessThanSecond: 'less than a second',
    s: '{{s}} s',
    m: '{{m}} min',
    ms: '{{m}} min {{s}} s',
    h: '{{h}} h',
    hm: '{{h}} h {{m}} min',
    d: '{{d}} d',
    dh: '{{d}} d {{h}} h',
  },
  when: {
    today: 'Today, {{time}}',
    yesterday: 'Yesterday, {{time}}',
    other: '{{date}}, {{time}}',
  },
  somethingWrong: 'Something went wrong.',
};
