// User-facing text about linking a person's accounts across platforms (`/ops link`). Keys start with "people.link.".
export const en = {
  'people.link.command': 'Link your Slack and Discord accounts: without a code you get one, with a code you link',
  'people.link.optionCode': 'The code /ops link gave you on the other platform',
  'people.link.issued':
    'Your link code is {code}. Within {minutes} minutes, run /ops link {code} on the other platform (Slack or Discord); it works once. Keep it to yourself: whoever enters it joins their account to yours.',
  'people.link.linked': 'Linked: your {platforms} accounts are now one person, {person}, with the roles: {roles}. Roles, records and messages follow you on both.',
  'people.link.alreadyLinked': 'These accounts already belong to one person; nothing changed.',
  'people.link.samePlatform': 'This code was made on {platform}: enter it on the other platform, where your other account is.',
  'people.link.invalid': 'That code is not valid, was used already or has expired. Run /ops link on the other platform to get a new one.',
  'people.link.noRoles': 'none beyond reporting faults',
  'people.link.platform.slack': 'Slack',
  'people.link.platform.discord': 'Discord',
  'people.link.platform.shell': 'terminal',
} as const;

export const zhCN: Record<keyof typeof en, string> = {
  'people.link.command': '关联你的 Slack 和 Discord 账号：不带代码会生成代码，带代码则完成关联',
  'people.link.optionCode': '在另一个平台上用 /ops link 得到的代码',
  'people.link.issued': '你的关联代码是 {code}。请在 {minutes} 分钟内到另一个平台（Slack 或 Discord）执行 /ops link {code}；代码只能使用一次。请勿告诉他人：输入代码的人会把他的账号并入你的账号。',
  'people.link.linked': '已关联：你的 {platforms} 账号现在属于同一个人 {person}，角色：{roles}。角色、记录和消息在两个平台上都会跟随你。',
  'people.link.alreadyLinked': '这些账号已经属于同一个人，没有任何变化。',
  'people.link.samePlatform': '此代码是在 {platform} 上生成的：请到另一个平台（你的另一个账号所在处）输入。',
  'people.link.invalid': '此代码无效、已被使用或已过期。请在另一个平台上执行 /ops link 获取新代码。',
  'people.link.noRoles': '无（仅可报告故障）',
  'people.link.platform.slack': 'Slack',
  'people.link.platform.discord': 'Discord',
  'people.link.platform.shell': '终端',
};
