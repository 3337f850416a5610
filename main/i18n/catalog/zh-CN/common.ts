import type { Translation } from '../types.js';
import type { common as en } from '../en/common.js';

export const common: Translation<typeof en> = {
  actions: {
    cancel: '取消',
    close: '关闭',
    retry: '重试',
    save: '保存',
    copy: '复制',
    open: '打开',
    accept: '接受',
    decline: '拒绝',
  },
  language: {
    system: '跟随系统',
    en: 'English',
    'zh-CN': '简体中文',
  },
  count: {
    files_other: '{{count, number}} 个文件',
    folders_other: '{{count, number}} 个文件夹',
    filesAndFolders: '{{files}}和 {{folders}}',
  },
  speed: '{{size}}/秒',
  eta: {
    fewSeconds: '还剩几秒',
    seconds: '大约还剩 {{n}} 秒',
    minutes: '大约还剩 {{n}} 分钟',
    hours: '大约还剩 {{h}} 小时',
    hoursMinutes: '大约还剩 {{h}} 小时 {{m}} 分钟',
    aboutDay: '大约还剩一天',
    moreThanDay: '还剩一天以上',
  },
  duration: {
    lessThanSecond: '不到一秒',
    s: '{{s}} 秒',
    m: '{{m}} 分钟',
    ms: '{{m}} 分 {{s}} 秒',
    h: '{{h}} 小时',
    hm: '{{h}} 小时 {{m}} 分钟',
    d: '{{d}} 天',
    dh: '{{d}} 天 {{h}} 小时',
  },
  when: {
    today: '今天 {{time}}',
    yesterday: '昨天 {{time}}',
    other: '{{date}} {{time}}',
  },
  somethingWrong: '出了点问题。',
};
