import type { Translation } from '../types.js';
import type { offers as en } from '../en/offers.js';

export const offers: Translation<typeof en> = {
  summary: '{{contents}}，{{size}}',
  title: {
    files: '{{name}} 想向你发送文件',
    text: '{{name}} 想向你发送一条消息 <count>（{{chars}}）</count>',
    characters_other: '{{count, number}} 个字符',
  },
  trusted: '已信任',
  waiting_other: '还有 {{count, number}} 个请求在等待',
  identityChanged: {
    ferry:
      '<strong>这不是你信任的那台“{{name}}”。</strong>它的身份与之前不同。可能是这台设备重新安装了 Ferry，也可能是另一台设备在使用它的名称。请先与设备的主人确认，再决定是否接受。',
    localsend:
      '<strong>这不是你信任的那台“{{name}}”。</strong>它的身份与之前不同。可能是这台设备重新安装了 LocalSend，也可能是另一台设备在使用它的名称。请先与设备的主人确认，再决定是否接受。',
  },
  unverified: {
    files: '<strong>此应用无法证明自己的身份。</strong>仅当你确实在等 {{name}} 发来文件时才接受。',
    text: '<strong>此应用无法证明自己的身份。</strong>仅当你确实在等 {{name}} 发来消息时才接受。',
  },
  localsendNote: {
    files: '通过 LocalSend 发送，没有可核对的验证码：如果你确实在等 {{name}} 发来文件，就可以接受。',
    text: '通过 LocalSend 发送，没有可核对的验证码：如果你确实在等 {{name}} 发来消息，就可以接受。',
  },
  checkCode: '请确认发送方看到的验证码与此相同：',
  textOffer: '<strong>一条 {{chars}}的文字消息。</strong>接受后，内容会显示在“消息”中。',
  ticked: {
    all: '<strong>{{files}}</strong>',
    allInFolders: '<strong>{{files}}</strong>，位于 {{folders}}中',
    nothing: '<strong>未勾选任何项</strong>（共 {{contents}}）',
    some: '{{files}}中的 {{n, number}} 个',
    someAtLeast: '{{files}}中的至少 {{n, number}} 个',
    bytes: '{{total}} 中的 {{size}}',
    bytesAtLeast: '{{total}} 中的至少 {{size}}',
  },
  selectAll: '全选',
  selectNone: '全不选',
  offered: '请求内容：{{summary}}',
  notListed_other: '{{count, number}} 项，未列出',
  partlyListed_other:
    '仅列出了前 {{count, number}} 项，因此只能在所示的顶层文件和文件夹中选择：勾选一个文件夹即接收其中的全部内容。只要有未勾选的项，列表之外且不在已勾选文件夹中的项都不会接收。',
  nothingTicked: '未勾选任何项：请勾选要接收的内容，或选择拒绝。',
  alwaysAccept: '始终接受此设备',
  couldNotPickFolder: '无法打开文件夹选择器',
  choices: {
    folder: '{{path}}（文件夹）',
    folderNote: '（文件夹）',
    more_other: '还有 {{count, number}} 项',
  },
  saveTo: {
    label: '保存到',
    useDownloadFolder: '使用下载文件夹',
    help: '运行 Ferry 的电脑上的文件夹，仅用于本次传输；如果不存在会自动创建。',
    change: '更改…',
    wholePath: '请输入文件夹的完整路径，从根目录开始：例如 {{example}}。',
  },
};
