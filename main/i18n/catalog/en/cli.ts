// The `ferry` command's human output: help, usage errors, what a transfer does, prompts.
// --json is not here: its events, fields and error codes are the same in every language.

export const cli = {
  help: {
    config: "where this device's identity, trusted devices and settings are\n(default: {{dir}})",
    dir: 'where received files go (default: {{dir}})',
    noAnnounce: 'do not announce this device on the local network (senders then need\n--to HOST:PORT)',
    localsendPort:
      'the port LocalSend apps reach this device on (default {{port}}, as\n' +
      'they expect; if another program holds it, a free one, announced; 0\n' +
      'picks a free one)',
    noLocalsend: 'do not speak LocalSend (phones and LocalSend apps then neither see\nnor reach this device)',
    localsendPinFile: 'LocalSend apps must give the PIN in FILE (4 to 64 characters, its\nfirst line) to send here',
    jsonEvents: 'print newline-delimited JSON events on stdout instead of text',
    usage: 'Usage: ',
    options: 'Options:',
    helpFlag: 'show this help',
    receive: {
      summary: 'receive files from other devices, asking before each offer',
      about:
        'Waits for other devices to send files and saves them, verified, into a folder. Files that\nexist already are never overwritten: a newcomer becomes "name (1).ext".',
      port: 'the port to receive on (default {{port}}; 0 picks a free one)',
      host: 'the address to listen on (default: all; 127.0.0.1: this\ncomputer only)',
      name: "the name senders see (default: this computer's name)",
      accept:
        'which offers to accept (default: ask):\n' +
        '  ask      ask here for each offer, showing the verification code;\n' +
        '           trusted devices are accepted without asking; with no\n' +
        '           terminal to ask on, every other offer is declined\n' +
        '  trusted  accept trusted devices, decline the others\n' +
        '  all      accept every offer\n' +
        '  none     decline every offer',
      secretFile: 'accept only senders that prove they know the shared secret in FILE\n(make one with `ferry secret new FILE`)',
      once: 'exit after the first transfer ends (0 if it succeeded, else 1)',
    },
    send: {
      summary: 'send files and folders to a device',
      about:
        'Sends files and folders (with everything in them) to one device, and exits 0 only when\n' +
        'the receiver verified every file. An interrupted transfer resumes where it stopped.',
      to:
        'the receiver (required; repeat it to send to several, each its own\ntransfer), one of:\n' +
        '  NAME       a device name as `ferry peers` lists it (any case)\n' +
        '  HOST:PORT  an address and port; [v6addr]:PORT for IPv6\n' +
        '  ADDRESS    an IP address alone (IPv4, v6addr or [v6addr]), on\n' +
        "             Ferry's default port, {{port}}\n" +
        '  localsend://HOST[:PORT]\n' +
        '             a LocalSend app (a phone, say), on port {{localsendPort}} unless given\n' +
        'A host name without a port is a device name, not looked up in DNS.',
      text: 'send a text message instead of files (at most {{kib}} KiB);\n- reads it from standard input',
      pin: 'the PIN a LocalSend receiver asks for (without it, asked on the\nterminal when there is one)',
      name: "the name the receiver sees (default: this computer's name)",
      retries:
        'how often to reconnect after a broken, refused or corrupted\n' +
        'connection, waiting 1 s, 2 s, 4 s… up to 10 s in between\n' +
        '(0 to 100; default {{retries}}: about 45 s)',
      secretFile: 'send only to a receiver that proves it knows the shared secret\nin FILE',
      more:
        'Examples:\n  ferry send --to "Alice laptop" ~/Pictures/holiday notes.txt\n  ferry send --to 192.168.1.20 notes.txt\n' +
        '  ferry send --to localsend://192.168.1.30 photo.jpg\n' +
        '  ferry send --to "Alice laptop" --text "https://example.org/recipe"\n\n' +
        'LocalSend devices (phones, LocalSend apps) cannot resume: a retry sends the unfinished\nfiles again from their start.',
    },
    peers: {
      summary: 'list the devices you can send to',
      about:
        'Lists the receivers that answer on the local network, and the devices added with --add\n' +
        '(each tried, to say whether it is reachable).',
      timeout: 'how long to wait for answers (default {{seconds}}; 0.1 to 600)',
      add: 'remember a device discovery cannot see (another subnet, a VPN);\nlocalsend://HOST[:PORT] for a LocalSend app; repeatable',
      remove: 'forget a device added with --add; repeatable',
      json: 'one JSON object per device on stdout (names in full)',
    },
    trust: {
      summary: 'list, add or remove trusted devices (accepted without asking)',
      about: 'Offers from trusted devices are accepted without asking (with --accept ask or trusted).',
      name: 'with add: the name to show for the device (default:\n"unnamed device")',
      json: 'one JSON object per line on stdout',
      more:
        'Actions:\n' +
        "  list       this device's id (for `ferry trust add` on another computer), then each\n" +
        '             trusted device\n' +
        "  add ID     trust the device with this id (64 hex digits, as that device's\n" +
        '             `ferry trust list` shows it)\n' +
        '  remove ID  stop trusting a device, given its id, 8 or more of its first digits, or\n' +
        '             its name',
    },
    secret: {
      summary: 'make a shared secret for --secret-file',
      about:
        'Makes a new 256-bit shared secret and writes it to FILE, readable by you only (an existing\n' +
        'FILE is never overwritten), or prints it without FILE. Copy the file to your other devices\n' +
        'and pass --secret-file FILE to send and receive: a receiver then accepts only senders that\n' +
        'hold the same secret, and a sender sends only to such a receiver.',
    },
    serve: {
      summary: 'run Ferry without a desktop, with its UI in a browser on this computer',
      about:
        'Runs Ferry headless (receiving, discovery, the transfer queue) and serves the desktop\n' +
        "app's UI to a browser on this computer only (127.0.0.1). Open the link it prints: it\n" +
        'holds an access key, so keep it to yourself; use an SSH tunnel to reach it from elsewhere.',
      port: 'the port to receive on (default: the saved setting, else {{port}};\n0 picks a free one)',
      host: 'the address to receive on (default: all)',
      name: "the name other devices see (default: this computer's name)",
      peer: 'a device discovery cannot see, listed for this run; repeatable',
      uiPort: "the UI's port on 127.0.0.1 (default: a free one)",
      accept: 'ask (in the browser), all, trusted or none, as for ferry receive\n(default: the saved setting)',
    },
    overview: `ferry {{version}} — share files with the devices on your local network

Usage: ferry COMMAND [options]

Commands:
{{commands}}
  help     ferry help COMMAND shows a command's options
  version  print the version

Run 'ferry COMMAND --help' for a command's options.

Environment:
  FERRY_DISCOVERY_INTERFACES  discover only on these interfaces (comma-separated names,
                              or loopback); LocalSend's discovery too
  FERRY_DISCOVERY_PORT        UDP port of discovery (default {{discoveryPort}})
  FERRY_LOCALSEND_DISCOVERY_PORT
                              UDP port of LocalSend's discovery (default {{localsendPort}})
  FERRY_DEBUG=1               print the underlying library errors on stderr, for bug reports
`,
  },
  usage: {
    commandHelp: "Run 'ferry {{command}} --help' for usage.",
    overviewHelp: "Run 'ferry --help' for the list of commands.",
    unknownCommand: 'unknown command {{command}}',
    unknownOption: 'unknown option {{option}}',
    takesNoValue: '--{{flag}} takes no value',
    needsValue: '--{{flag}} needs a value (--{{flag}} {{value}})',
    noArguments: '{{command}} takes no arguments, only options; not {{arg}}',
    port: '{{flag}} takes a port number from {{min}} to 65535, not {{value}}',
    hostPort: '{{flag}} wants HOST:PORT ([v6addr]:port for IPv6), not {{value}}',
    count: '{{flag}} takes a whole number from {{min}} to {{max}}, not {{value}}',
    seconds: '{{flag}} takes a number of seconds from {{min}} to {{max}}, not {{value}}',
    localsendTarget: '--to wants localsend://HOST or localsend://HOST:PORT, not {{value}}',
    accept: '--accept takes {{list}} or {{last}}, not {{value}}',
    envPort: '{{name}} must be a port number, not {{value}}',
    noLocalsend: '--no-localsend turns LocalSend off: it takes no --localsend-port or --localsend-pin-file',
    sendNeedsTo: 'send needs --to NAME, --to ADDRESS or --to HOST:PORT',
    sameDeviceTwice: '--to names the same device twice',
    tooManyTargets: 'send takes at most {{max}} --to',
    textOrFiles: 'send takes --text or files to send, not both',
    nothingToSend: 'send needs at least one file or folder to send, or --text',
    text: '--text: {{reason}}',
    dirNeedsFolder: '--dir needs a folder',
    maxUpload: 'FERRY_SERVE_MAX_UPLOAD takes a number of bytes',
    trustListArgs: 'trust list takes no arguments',
    trustAddArgs: 'trust add takes one device id (64 hex digits): ferry trust add ID [--name NAME]',
    trustRemoveArgs: 'trust remove takes one device id, id prefix or name',
    trustNeedsAction: 'trust needs an action: list, add ID or remove ID|NAME',
    trustUnknownAction: 'no trust action {{action}}: list, add ID or remove ID|NAME',
    secretArgs: 'secret takes "new" and at most a FILE: ferry secret new [FILE]',
  },
  policy: {
    all: 'accepting every offer',
    none: 'declining every offer',
    trusted: 'accepting trusted devices only',
    askHere: 'asking here for each offer',
    askBrowser: 'asking in the browser for each offer',
  },
  discovery: {
    where: '{{interfaces}}, UDP {{port}}, group {{group}}',
    noInterface: 'no usable network interface',
    cannotListen: 'cannot listen on UDP {{port}}: {{reason}}',
    unknownError: 'unknown error',
    noSuchInterface: '{{name}}: no such interface',
    cannotSend: '{{name}}: cannot send: {{reason}}',
    cannotJoin: '{{name}}: cannot join {{group}}: {{reason}}',
    multicastFailed: '{{name}}: multicast failed: {{reason}}',
    broadcastFailed: '{{name}}: broadcast failed: {{reason}}',
    dropped: 'dropped datagrams: {{counts}}',
    line: '  discovery: {{text}}',
  },
  errors: {
    withFlag: '{{text}} ({{flag}})',
    pinRequired: 'The receiver asks for a PIN',
  },
  event: {
    because: '{{line}}: {{reason}}',
    peerName: '"{{name}}"',
    theReceiver: 'the receiver',
    theSender: 'the sender',
    trustedDevice: '; a trusted device',
    trusted: ', trusted',
    unproven: ', identity not proven',
    listening: 'Listening on {{address}}',
    listeningLocalSend: 'Listening on {{address}}, and for LocalSend apps on port {{port}}',
    connected: 'Connected to {{other}} ({{address}}), verification code {{code}} ({{other}} shows the same){{trusted}}',
    connectedLocalSend: 'Connected to {{other}} ({{address}}), a LocalSend app{{trusted}}',
    aMessage: 'a message ({{size}})',
    filesAndSize: '{{files}}, {{size}}',
    offering: 'Offering {{what}}',
    who: '{{address}}, code {{code}}{{trusted}}',
    whoLocalSend: '{{address}}, LocalSend{{unproven}}{{trusted}}',
    offerFrom: 'Offer from {{other}} ({{who}}): {{what}}',
    accepted: 'Accepted',
    acceptedResuming: 'Accepted; resuming ({{size}} are here already)',
    peerAccepted: '{{other}} accepted',
    peerAcceptedResuming: '{{other}} accepted; resuming (it has {{size}} already)',
    peerDeclined: '{{other}} declined',
    declinedOffer: 'Declined the offer from {{other}} ({{reason}})',
    declinedOfferShort: 'Declined the offer from {{other}}',
    fileDone: '  ✓ {{path}} ({{notes}})',
    noteSeparator: ', ',
    resumedAt: 'resumed at {{size}}',
    alreadyThere: 'already there',
    fileFailed: '  ✗ {{path}}: {{reason}}{{again}}',
    sendingAgain: ' (sending it again)',
    retry: 'Connection problem ({{reason}}); trying again in {{seconds}} s',
    hasTheMessage: '{{other}} has the message',
    finishedNotDelivered: 'Finished with {{failed}} not delivered ({{done}} delivered)',
    finishedNotReceived: 'Finished with {{failed}} not received ({{done}} received)',
    amount: '{{size}} in {{seconds}} s',
    receivedVerified: 'Received {{files}}, {{amount}}, all verified',
    receivedComplete: 'Received {{files}}, {{amount}}, all complete',
    sentVerified: 'Sent {{files}}, {{amount}}; {{other}} verified every one',
    sentTook: 'Sent {{files}}, {{amount}}; {{other}} took every one',
    peerCancelled: '{{other}} cancelled',
    cancelled: 'Cancelled',
    messageFrom: 'Message from {{other}}:',
    error: 'Error: {{reason}}',
  },
  progress: '{{bar}} {{percent}}  {{transferred}} / {{total}}  {{speed}}  ETA {{eta}}  files {{filesDone}}/{{fileCount}}',
  peers: {
    name: 'NAME',
    platform: 'PLATFORM',
    address: 'ADDRESS',
    source: 'SOURCE',
    id: 'ID',
    discovered: 'discovered',
    manualReachable: 'manual, reachable',
    manualUnreachable: 'manual, unreachable',
    noneFound: 'No devices found within {{seconds}} s.',
  },
  receive: {
    announcing: 'Announcing on {{where}}',
    receiving: 'Receiving as "{{name}}" into {{dir}} ({{policy}})',
    receivingWithSecret: 'Receiving as "{{name}}" into {{dir}} ({{policy}}, shared secret required)',
    localsendProblem: '  LocalSend: {{problem}}',
    noTerminal:
      '  No terminal to ask on: offers from devices not trusted will be declined (--accept all answers every offer without asking)',
  },
  send: {
    lookingFor: 'Looking for "{{name}}" on the network…',
    interruptedLooking: 'interrupted while looking for the device',
    listSeparator: ', ',
    noSuchDevice: 'no device called "{{name}}" answered (see `ferry peers`); --to HOST:PORT reaches a device discovery cannot see',
    noSuchDeviceFound: 'no device called "{{name}}" answered; found {{seen}}; --to HOST:PORT reaches a device discovery cannot see',
    namesake: '"{{name}}" at {{address}}',
    namesakeWithId: '"{{name}}" at {{address}} (id {{id}})',
    namesakes: '{{n}} devices are called "{{name}}": {{list}}; use --to HOST:PORT to pick one',
    noAddress: 'no address known for "{{name}}"',
    sendingToNamed: 'Sending to "{{name}}" at {{address}}',
    defaultPort: "Sending to {{address}} (Ferry's default port; --to ADDRESS:PORT picks another)",
    localsendNoResume: 'a LocalSend device: it cannot resume, so a retry sends unfinished files again from their start',
    whose: '{{to}}: {{line}}',
    skipping: 'skipping {{path}}: {{reason}}',
    nothingLeft: 'nothing to send: every path given was skipped',
    notVerified: 'the receiver did not verify {{files}} (the first: {{path}}: {{reason}})',
    declined: 'declined',
  },
  ask: {
    choiceYes: '[y]es',
    choiceNo: '[N]o',
    choiceAlways: '[a]lways from this device',
    choiceChoose: '[c]hoose',
    wordsYes: 'yes',
    wordsNo: 'no',
    wordsAlways: 'always',
    wordsChoose: 'choose',
    aMessage: 'a message ({{chars}} characters)',
    accept: 'Accept {{what}} from "{{name}}" ({{address}})? {{choices}} ',
    trusted: 'Trusted "{{name}}": its offers are accepted without asking from now on',
    answerYes: 'y (yes)',
    answerNo: 'n (no)',
    answerAlways: 'a (always from this device)',
    answerChoose: 'c (choose what to take)',
    again: 'Please answer {{list}} or {{last}}; Enter alone means no. Accept? ',
    takeWhich: 'Take which? Numbers such as 1 3-5; Enter alone takes all: ',
    takeWhichAgain: 'Please give numbers from 1 to {{max}}, such as 1 3-5, or Enter alone for all: ',
    andMore: '    … and {{n}} more',
    identityChanged:
      'WARNING: "{{name}}" is not the device you trust under that name: its identity changed ' +
      '(trusted {{was}}…, now {{now}}…). If it was not reinstalled, this may be an impostor.',
    localsendApp: 'A LocalSend app (it shows no verification code to compare)',
    localsendUnproven: 'A LocalSend app that does not prove who it is (no certificate): accept only if you expect files from it',
    verificationCode: 'Verification code {{code}} (the sender sees the same code if nobody is in between)',
    pinRefused: 'The receiver refused that PIN.',
    pin: 'The receiver asks for a PIN (Enter alone gives up): ',
  },
  serve: {
    aMessage: 'a message ({{chars}} characters)',
    files: '{{n}} file(s), {{size}}',
    offer: 'Offer from {{name}} ({{address}}): {{what}}; answer it in the browser',
    message: 'Message from {{name}}; read it in the browser',
    transferTo: 'Transfer to {{name}}: {{files}}, {{state}}',
    transferFrom: 'Transfer from {{name}}: {{files}}, {{state}}',
    state: {
      connecting: 'connecting',
      waiting: 'waiting',
      transferring: 'transferring',
      verifying: 'verifying',
      done: 'done',
      failed: 'failed',
      declined: 'declined',
      cancelled: 'cancelled',
    },
    running: 'Ferry is running as "{{name}}", receiving into {{dir}} on port {{port}} ({{policy}})',
    openLink: 'Open this link in a browser on this computer (it holds the access key; keep it to yourself):',
    stopping: 'Stopping ({{signal}})',
  },
  trust: {
    thisDevice: 'This device: {{name}}  {{id}}',
    none: 'No trusted devices. Trust one by answering "always" when it sends you files, or with `ferry trust add ID`.',
    device: '{{id}}  {{name}}  (since {{since}})',
    unnamed: 'unnamed device',
    added: 'Trusted {{name}} ({{id}})',
    removed: 'No longer trusted: {{name}} ({{id}})',
  },
  secret: {
    exists: '{{file}} already exists; not overwriting it',
    cannotWrite: 'cannot write {{file}}: {{reason}}',
    written: 'Wrote a new shared secret to {{file}}. Copy it to your other devices and pass --secret-file {{file}}.',
  },
  pinFile: {
    cannotRead: 'cannot read the PIN file {{file}}: {{reason}}',
    length: 'the PIN in {{file}} must have {{min}} to {{max}} characters on its first line (it has {{has}})',
  },
};
