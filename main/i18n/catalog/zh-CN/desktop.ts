import type { Translation } from '../types.js';
import type { desktop as en } from '../en/desktop.js';

export const desktop: Translation<typeof en> = {
  tray: {
    open: '打开 Ferry',
    send: '发送剪贴板',
    noDevice: '没有在线的设备',
    visible: '对其他设备可见',
    quit: '退出 Ferry',
  },
  report: {
    nothingToSend: '没有可发送的内容',
    clipboardEmpty: '剪贴板中没有文字。',
    cannotSendClipboard: 'Ferry 无法发送剪贴板',
    cannotChangeVisibility: 'Ferry 无法更改可见性',
  },
  dialog: {
    ok: '好',
    cannotStart: 'Ferry 无法启动',
  },
  notify: {
    offerMessageTitle: '{{name}} 想给你发送一条消息',
    offerMessageBody: '{{chars}}，来自 {{address}}。打开 Ferry 以接受或拒绝。',
    characters_other: '{{count}} 个字符',
    offerTitle: '{{name}} 想给你发送 {{what}}',
    nothing: '空内容',
    offerBody: '{{size}}，来自 {{address}}。打开 Ferry 以接受或拒绝。',
    messageTitle: '来自 {{name}} 的消息',
    sentTitle: '已发送给 {{name}}',
    receivedTitle: '已收到 {{name}} 发来的文件',
    doneBody: '{{files}}，{{size}}',
    doneBodyFailed: '{{files}}，{{size}}（{{failed}} 个失败）',
    sendFailedTitle: '发送给 {{name}} 失败',
    receiveFailedTitle: '接收 {{name}} 发来的文件失败',
    unknownError: '未知错误',
    declinedTitle: '{{name}} 拒绝了',
    declinedBody: '{{files}}未发送',
  },
  send: {
    one: '“{{name}}”',
    foldersAndFiles: '{{folders}}和 {{files}}',
    noDeviceMessage: '没有可以接收 {{what}} 的设备',
    noDeviceDetail: '没有其他在线的设备。请在另一台设备上打开 Ferry（或 LocalSend 应用），或在 Ferry 中通过地址添加它。',
    message: '将 {{what}} 发送到…',
    detailMore: '有 {{online}} 台设备在线，这里列出了前 {{shown}} 台。要发送给其他设备，请把文件拖到 Ferry 窗口中。',
    detailChoose: '请选择要发送到的设备。',
    failed: 'Ferry 无法将 {{what}} 发送到 {{device}}',
  },
  device: {
    unnamed: '未命名设备',
    localsend: '{{name}}（LocalSend）',
  },
  pick: {
    sendFiles: '发送文件',
    sendFolder: '发送文件夹',
    send: '发送',
    downloadFolder: '下载文件夹',
    choose: '选择',
  },
};
