import type { Translation } from '../types.js';
import type { cli as en } from '../en/cli.js';

export const cli: Translation<typeof en> = {
  help: {
    config: '本设备的身份、受信任的设备和设置所在的文件夹\n（默认：{{dir}}）',
    dir: '收到的文件存放的文件夹（默认：{{dir}}）',
    noAnnounce: '不在局域网中宣告本设备（发送方需改用\n--to HOST:PORT）',
    localsendPort:
      'LocalSend 应用连接本设备的端口（默认 {{port}}，与它们\n' +
      '所期望的一致；被其他程序占用时改用一个空闲端口并\n' +
      '宣告；0 表示任选空闲端口）',
    noLocalsend: '不使用 LocalSend 协议（手机和 LocalSend 应用将既看不到\n也连不上本设备）',
    localsendPinFile: 'LocalSend 应用须提供 FILE 中的 PIN（4 到 64 个字符，取\n第一行）才能向这里发送',
    jsonEvents: '在标准输出上以每行一个 JSON 事件代替文字',
    usage: '用法：',
    options: '选项：',
    helpFlag: '显示本帮助',
    receive: {
      summary: '接收其他设备发来的文件，每次都先询问',
      about: '等待其他设备发送文件，校验后存入一个文件夹。已有的文件\n绝不会被覆盖：新来的文件会命名为“name (1).ext”。',
      port: '接收所用的端口（默认 {{port}}；0 表示任选空闲端口）',
      host: '监听的地址（默认：全部；127.0.0.1：仅限\n本机）',
      name: '发送方看到的名称（默认：本机的名称）',
      accept:
        '接受哪些传输请求（默认：ask）：\n' +
        '  ask      每次在这里询问，并显示验证码；\n' +
        '           受信任的设备无需询问即被接受；没有\n' +
        '           可供询问的终端时，其他请求一律拒绝\n' +
        '  trusted  接受受信任的设备，拒绝其他设备\n' +
        '  all      接受所有请求\n' +
        '  none     拒绝所有请求',
      secretFile: '只接受能证明知道 FILE 中共享密钥的发送方\n（用 `ferry secret new FILE` 生成一个）',
      once: '第一次传输结束后退出（成功则返回 0，否则返回 1）',
    },
    send: {
      summary: '向一台设备发送文件和文件夹',
      about: '向一台设备发送文件和文件夹（连同其中的一切），仅当接收方\n' + '校验了每个文件时才返回 0。中断的传输会从停下的地方继续。',
      to:
        '接收方（必填；重复此选项可发送给多台设备，各自为一次\n独立的传输），可以是：\n' +
        '  NAME       `ferry peers` 列出的设备名称（不区分大小写）\n' +
        '  HOST:PORT  地址和端口；IPv6 写作 [v6addr]:PORT\n' +
        '  ADDRESS    单独的 IP 地址（IPv4、v6addr 或 [v6addr]），使用\n' +
        '             Ferry 的默认端口 {{port}}\n' +
        '  localsend://HOST[:PORT]\n' +
        '             LocalSend 应用（例如手机），未指定时使用端口 {{localsendPort}}\n' +
        '不带端口的主机名按设备名称处理，不会做 DNS 查询。',
      text: '发送一条文字消息而不是文件（最多 {{kib}} KiB）；\n- 表示从标准输入读取',
      pin: 'LocalSend 接收方要求的 PIN（不提供时，如有终端\n则在终端上询问）',
      name: '接收方看到的名称（默认：本机的名称）',
      retries:
        '连接中断、被拒绝或数据损坏后重新连接的次数，\n' +
        '每次间隔 1 秒、2 秒、4 秒……最长 10 秒\n' +
        '（0 到 100；默认 {{retries}}：约 45 秒）',
      secretFile: '只发送给能证明知道 FILE 中共享密钥的\n接收方',
      more:
        '示例：\n  ferry send --to "Alice laptop" ~/Pictures/holiday notes.txt\n  ferry send --to 192.168.1.20 notes.txt\n' +
        '  ferry send --to localsend://192.168.1.30 photo.jpg\n' +
        '  ferry send --to "Alice laptop" --text "https://example.org/recipe"\n\n' +
        'LocalSend 设备（手机、LocalSend 应用）无法断点续传：重试时未完成的\n文件会从头重新发送。',
    },
    peers: {
      summary: '列出可以发送到的设备',
      about: '列出在局域网中应答的接收方，以及用 --add 添加的设备\n（逐一尝试连接，以显示能否连上）。',
      timeout: '等待应答的时长（默认 {{seconds}}；0.1 到 600 秒）',
      add: '记住一台设备发现功能看不到的设备（其他子网、VPN）；\nLocalSend 应用写作 localsend://HOST[:PORT]；可重复',
      remove: '忘记用 --add 添加的设备；可重复',
      json: '在标准输出上每台设备输出一个 JSON 对象（名称完整）',
    },
    trust: {
      summary: '列出、添加或移除受信任的设备（无需询问即被接受）',
      about: '来自受信任设备的传输请求无需询问即被接受（在 --accept ask 或 trusted 时）。',
      name: '用于 add：设备显示的名称（默认：\n“未命名设备”）',
      json: '在标准输出上每行输出一个 JSON 对象',
      more:
        '操作：\n' +
        '  list       本设备的 ID（供另一台电脑上的 `ferry trust add` 使用），然后是\n' +
        '             每台受信任的设备\n' +
        '  add ID     信任具有此 ID 的设备（64 位十六进制数字，即该设备的\n' +
        '             `ferry trust list` 所显示的）\n' +
        '  remove ID  不再信任一台设备，可用它的 ID、ID 的前 8 位或更多位，或\n' +
        '             它的名称指定',
    },
    secret: {
      summary: '为 --secret-file 生成共享密钥',
      about:
        '生成一个新的 256 位共享密钥并写入 FILE，仅你本人可读（已有的\n' +
        'FILE 绝不会被覆盖）；不指定 FILE 时直接打印。把该文件复制到你的其他设备，\n' +
        '收发时传入 --secret-file FILE：接收方只接受持有相同密钥的\n' +
        '发送方，发送方也只发送给这样的接收方。',
    },
    serve: {
      summary: '在没有桌面的环境中运行 Ferry，在本机的浏览器中使用其界面',
      about:
        '以无界面方式运行 Ferry（接收、设备发现、传输队列），并仅向本机\n' +
        '（127.0.0.1）的浏览器提供桌面应用的界面。打开它打印的链接：链接中\n' +
        '含有访问密钥，请勿外传；如需从其他地方访问，请使用 SSH 隧道。',
      port: '接收所用的端口（默认：已保存的设置，否则为 {{port}}；\n0 表示任选空闲端口）',
      host: '接收所用的地址（默认：全部）',
      name: '其他设备看到的名称（默认：本机的名称）',
      peer: '一台设备发现功能看不到的设备，仅在本次运行中列出；可重复',
      uiPort: '界面在 127.0.0.1 上的端口（默认：任选空闲端口）',
      accept: 'ask（在浏览器中询问）、all、trusted 或 none，与 ferry receive 相同\n（默认：已保存的设置）',
    },
    overview: `ferry {{version}} — 与局域网中的设备互传文件

用法：ferry COMMAND [options]

命令：
{{commands}}
  help     ferry help COMMAND 显示某个命令的选项
  version  显示版本号

运行 'ferry COMMAND --help' 查看某个命令的选项。

环境变量：
  FERRY_DISCOVERY_INTERFACES  只在这些网络接口上发现设备（以逗号分隔的名称，
                              或 loopback）；LocalSend 的设备发现同样适用
  FERRY_DISCOVERY_PORT        设备发现的 UDP 端口（默认 {{discoveryPort}}）
  FERRY_LOCALSEND_DISCOVERY_PORT
                              LocalSend 设备发现的 UDP 端口（默认 {{localsendPort}}）
  FERRY_DEBUG=1               在标准错误上打印底层库的错误，便于报告问题
`,
  },
  usage: {
    commandHelp: "运行 'ferry {{command}} --help' 查看用法。",
    overviewHelp: "运行 'ferry --help' 查看命令列表。",
    unknownCommand: '未知命令 {{command}}',
    unknownOption: '未知选项 {{option}}',
    takesNoValue: '--{{flag}} 不接受值',
    needsValue: '--{{flag}} 需要一个值（--{{flag}} {{value}}）',
    noArguments: '{{command}} 只接受选项，不接受参数；而不是 {{arg}}',
    port: '{{flag}} 需要 {{min}} 到 65535 之间的端口号，而不是 {{value}}',
    hostPort: '{{flag}} 需要 HOST:PORT（IPv6 写作 [v6addr]:port），而不是 {{value}}',
    count: '{{flag}} 需要 {{min}} 到 {{max}} 之间的整数，而不是 {{value}}',
    seconds: '{{flag}} 需要 {{min}} 到 {{max}} 之间的秒数，而不是 {{value}}',
    localsendTarget: '--to 需要 localsend://HOST 或 localsend://HOST:PORT，而不是 {{value}}',
    accept: '--accept 的取值为 {{list}} 或 {{last}}，而不是 {{value}}',
    envPort: '{{name}} 必须是端口号，而不是 {{value}}',
    noLocalsend: '--no-localsend 会关闭 LocalSend：不能同时使用 --localsend-port 或 --localsend-pin-file',
    sendNeedsTo: 'send 需要 --to NAME、--to ADDRESS 或 --to HOST:PORT',
    sameDeviceTwice: '--to 两次指定了同一台设备',
    tooManyTargets: 'send 最多接受 {{max}} 个 --to',
    textOrFiles: 'send 只能发送 --text 或文件，不能两者都有',
    nothingToSend: 'send 需要至少一个要发送的文件或文件夹，或 --text',
    text: '--text：{{reason}}',
    dirNeedsFolder: '--dir 需要一个文件夹',
    maxUpload: 'FERRY_SERVE_MAX_UPLOAD 需要一个字节数',
    trustListArgs: 'trust list 不接受参数',
    trustAddArgs: 'trust add 需要一个设备 ID（64 位十六进制数字）：ferry trust add ID [--name NAME]',
    trustRemoveArgs: 'trust remove 需要一个设备 ID、ID 前缀或名称',
    trustNeedsAction: 'trust 需要一个操作：list、add ID 或 remove ID|NAME',
    trustUnknownAction: '没有 trust 操作 {{action}}：可用 list、add ID 或 remove ID|NAME',
    secretArgs: 'secret 只接受“new”和至多一个 FILE：ferry secret new [FILE]',
  },
  policy: {
    all: '接受所有请求',
    none: '拒绝所有请求',
    trusted: '只接受受信任的设备',
    askHere: '每次在这里询问',
    askBrowser: '每次在浏览器中询问',
  },
  discovery: {
    where: '{{interfaces}}，UDP {{port}}，组播组 {{group}}',
    noInterface: '没有可用的网络接口',
    cannotListen: '无法监听 UDP {{port}}：{{reason}}',
    unknownError: '未知错误',
    noSuchInterface: '{{name}}：没有这个网络接口',
    cannotSend: '{{name}}：无法发送：{{reason}}',
    cannotJoin: '{{name}}：无法加入 {{group}}：{{reason}}',
    multicastFailed: '{{name}}：组播失败：{{reason}}',
    broadcastFailed: '{{name}}：广播失败：{{reason}}',
    dropped: '丢弃的数据报：{{counts}}',
    line: '  设备发现：{{text}}',
  },
  errors: {
    withFlag: '{{text}}（{{flag}}）',
    pinRequired: '接收方要求输入 PIN',
  },
  event: {
    because: '{{line}}：{{reason}}',
    peerName: '“{{name}}”',
    theReceiver: '接收方',
    theSender: '发送方',
    trustedDevice: '；受信任的设备',
    trusted: '，受信任',
    unproven: '，身份未经证明',
    listening: '正在 {{address}} 上监听',
    listeningLocalSend: '正在 {{address}} 上监听，LocalSend 应用使用端口 {{port}}',
    connected: '已连接到 {{other}}（{{address}}），验证码 {{code}}（{{other}} 显示相同的验证码）{{trusted}}',
    connectedLocalSend: '已连接到 {{other}}（{{address}}），一个 LocalSend 应用{{trusted}}',
    aMessage: '一条消息（{{size}}）',
    filesAndSize: '{{files}}，{{size}}',
    offering: '正在发出传输请求：{{what}}',
    who: '{{address}}，验证码 {{code}}{{trusted}}',
    whoLocalSend: '{{address}}，LocalSend{{unproven}}{{trusted}}',
    offerFrom: '来自 {{other}}（{{who}}）的传输请求：{{what}}',
    accepted: '已接受',
    acceptedResuming: '已接受；继续传输（这里已有 {{size}}）',
    peerAccepted: '{{other}} 已接受',
    peerAcceptedResuming: '{{other}} 已接受；继续传输（对方已有 {{size}}）',
    peerDeclined: '{{other}} 拒绝了',
    declinedOffer: '已拒绝来自 {{other}} 的传输请求（{{reason}}）',
    declinedOfferShort: '已拒绝来自 {{other}} 的传输请求',
    fileDone: '  ✓ {{path}}（{{notes}}）',
    noteSeparator: '，',
    resumedAt: '从 {{size}} 处继续',
    alreadyThere: '已存在',
    fileFailed: '  ✗ {{path}}：{{reason}}{{again}}',
    sendingAgain: '（将重新发送）',
    retry: '连接出现问题（{{reason}}）；{{seconds}} 秒后重试',
    hasTheMessage: '{{other}} 已收到消息',
    finishedNotDelivered: '已结束，{{failed}}未送达（{{done}} 个已送达）',
    finishedNotReceived: '已结束，{{failed}}未收到（{{done}} 个已收到）',
    amount: '{{size}}，用时 {{seconds}} 秒',
    receivedVerified: '已收到 {{files}}，{{amount}}，全部校验无误',
    receivedComplete: '已收到 {{files}}，{{amount}}，全部完整',
    sentVerified: '已发送 {{files}}，{{amount}}；{{other}} 逐一校验无误',
    sentTook: '已发送 {{files}}，{{amount}}；{{other}} 已全部收下',
    peerCancelled: '{{other}} 取消了传输',
    cancelled: '已取消',
    messageFrom: '来自 {{other}} 的消息：',
    error: '错误：{{reason}}',
  },
  progress: '{{bar}} {{percent}}  {{transferred}} / {{total}}  {{speed}}  剩余 {{eta}}  文件 {{filesDone}}/{{fileCount}}',
  peers: {
    name: '名称',
    platform: '平台',
    address: '地址',
    source: '来源',
    id: 'ID',
    discovered: '自动发现',
    manualReachable: '手动添加，可连接',
    manualUnreachable: '手动添加，无法连接',
    noneFound: '{{seconds}} 秒内没有发现设备。',
  },
  receive: {
    announcing: '正在宣告：{{where}}',
    receiving: '以“{{name}}”的名称接收，存入 {{dir}}（{{policy}}）',
    receivingWithSecret: '以“{{name}}”的名称接收，存入 {{dir}}（{{policy}}，需要共享密钥）',
    localsendProblem: '  LocalSend：{{problem}}',
    noTerminal: '  没有可用于询问的终端：来自未信任设备的传输请求都会被拒绝（--accept all 可不经询问接受所有请求）',
  },
  send: {
    lookingFor: '正在网络中查找“{{name}}”…',
    interruptedLooking: '查找设备时被中断',
    listSeparator: '、',
    noSuchDevice: '没有名为“{{name}}”的设备应答（参见 `ferry peers`）；--to HOST:PORT 可以连接设备发现看不到的设备',
    noSuchDeviceFound: '没有名为“{{name}}”的设备应答；找到了 {{seen}}；--to HOST:PORT 可以连接设备发现看不到的设备',
    namesake: '位于 {{address}} 的“{{name}}”',
    namesakeWithId: '位于 {{address}} 的“{{name}}”（ID {{id}}）',
    namesakes: '有 {{n}} 台设备名为“{{name}}”：{{list}}；请用 --to HOST:PORT 选择其中一台',
    noAddress: '不知道“{{name}}”的地址',
    sendingToNamed: '正在发送到位于 {{address}} 的“{{name}}”',
    defaultPort: '正在发送到 {{address}}（Ferry 的默认端口；--to ADDRESS:PORT 可指定其他端口）',
    localsendNoResume: '一台 LocalSend 设备：它无法断点续传，重试时未完成的文件会从头重新发送',
    whose: '{{to}}：{{line}}',
    skipping: '跳过 {{path}}：{{reason}}',
    nothingLeft: '没有可发送的内容：给出的路径都被跳过了',
    notVerified: '接收方未能校验 {{files}}（第一个：{{path}}：{{reason}}）',
    declined: '对方拒绝了',
  },
  ask: {
    choiceYes: '[y] 是',
    choiceNo: '[N] 否',
    choiceAlways: '[a] 始终接受此设备',
    choiceChoose: '[c] 选择',
    wordsYes: '是|好|接受',
    wordsNo: '否|不|拒绝',
    wordsAlways: '始终|总是',
    wordsChoose: '选择',
    aMessage: '一条消息（{{chars}} 个字符）',
    accept: '接受来自“{{name}}”（{{address}}）的 {{what}}？{{choices}} ',
    trusted: '已信任“{{name}}”：今后它的传输请求将无需询问直接接受',
    answerYes: 'y（是）',
    answerNo: 'n（否）',
    answerAlways: 'a（始终接受此设备）',
    answerChoose: 'c（选择要接收的内容）',
    again: '请回答 {{list}} 或 {{last}}；直接按 Enter 表示否。接受吗？',
    takeWhich: '接收哪些？输入编号，如 1 3-5；直接按 Enter 接收全部：',
    takeWhichAgain: '请输入 1 到 {{max}} 之间的编号，如 1 3-5，或直接按 Enter 接收全部：',
    andMore: '    …… 还有 {{n}} 项',
    identityChanged:
      '警告：“{{name}}”不是你以这个名称信任的那台设备：它的身份已改变' +
      '（信任时为 {{was}}…，现在为 {{now}}…）。如果它没有重新安装过，这可能是冒充者。',
    localsendApp: '一个 LocalSend 应用（它不显示可供核对的验证码）',
    localsendUnproven: '一个无法证明自己身份的 LocalSend 应用（没有证书）：只有在你确实在等它发来文件时才接受',
    verificationCode: '验证码 {{code}}（如果中间没有人冒充，发送方看到的验证码与此相同）',
    pinRefused: '接收方拒绝了这个 PIN。',
    pin: '接收方要求输入 PIN（直接按 Enter 放弃）：',
  },
  serve: {
    aMessage: '一条消息（{{chars}} 个字符）',
    files: '{{n}} 个文件，{{size}}',
    offer: '来自 {{name}}（{{address}}）的传输请求：{{what}}；请在浏览器中回应',
    message: '来自 {{name}} 的消息；请在浏览器中查看',
    transferTo: '发送到 {{name}} 的传输：{{files}}，{{state}}',
    transferFrom: '来自 {{name}} 的传输：{{files}}，{{state}}',
    state: {
      connecting: '正在连接',
      waiting: '正在等待',
      transferring: '正在传输',
      verifying: '正在校验',
      done: '已完成',
      failed: '失败',
      declined: '被拒绝',
      cancelled: '已取消',
    },
    running: 'Ferry 正在以“{{name}}”的名称运行，接收到 {{dir}}，端口 {{port}}（{{policy}}）',
    openLink: '请在本机的浏览器中打开此链接（其中含有访问密钥，请勿外传）：',
    stopping: '正在停止（{{signal}}）',
  },
  trust: {
    thisDevice: '本设备：{{name}}  {{id}}',
    none: '没有受信任的设备。在设备向你发送文件时回答 a（始终接受此设备）即可信任它，或使用 `ferry trust add ID`。',
    device: '{{id}}  {{name}}  （自 {{since}} 起）',
    unnamed: '未命名设备',
    added: '已信任 {{name}}（{{id}}）',
    removed: '不再信任：{{name}}（{{id}}）',
  },
  secret: {
    exists: '{{file}} 已存在；不会覆盖它',
    cannotWrite: '无法写入 {{file}}：{{reason}}',
    written: '已将新的共享密钥写入 {{file}}。请把它复制到你的其他设备，并传入 --secret-file {{file}}。',
  },
  pinFile: {
    cannotRead: '无法读取 PIN 文件 {{file}}：{{reason}}',
    length: '{{file}} 中的 PIN 第一行必须有 {{min}} 到 {{max}} 个字符（现在有 {{has}} 个）',
  },
};
