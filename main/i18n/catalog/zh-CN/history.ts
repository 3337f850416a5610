import type { Translation } from '../types.js';
import type { history as en } from '../en/history.js';

export const history: Translation<typeof en> = {
  title: '历史记录',
  count_other: '{{count, number}} 次传输',
  none: '暂无传输',
  loading: '正在加载…',
  clear: '清除历史记录…',
  couldNotLoad: '无法加载历史记录：{{error}}',
  tryAgain: '重试',
  empty: '已结束的传输（包括发送和接收）会列在这里。',
  listLabel: '过往传输',
  to: '发送给 {{name}}',
  from: '来自 {{name}}',
  took: '用时 {{duration}}',
  couldNotClear: '无法清除历史记录',
  confirm: {
    title: '清除历史记录？',
    text_other: '将从列表中移除全部 {{count, number}} 条记录。已接收的文件仍保留在原处。',
    keep: '保留',
    clear: '清除历史记录',
  },
};
