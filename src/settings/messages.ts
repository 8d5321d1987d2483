// User-facing text about settings. Keys start with "settings.".
export const en = {
  'settings.error.adminOnly': 'Only admins can change settings. Ask an admin, or ask one to make you admin: /ops role add @you admin',
  'settings.error.unknownKey': 'Unknown setting "{key}". Settings: {keys}.',
  'settings.error.badChannel': '"{value}" is not a channel. Write #channel, a channel mention, or platform:ID such as slack:C0123.',
  'settings.set': '{key} is now {value}.',
  'settings.title': 'Settings',
  'settings.line': '{key}: {value}',
  'settings.unset': '(not set)',
  'settings.command.set': 'Change a setting, e.g. the fault channel (admins)',
  'settings.command.get': 'Show settings (admins)',
  'settings.option.key': 'The setting',
  'settings.option.value': 'The new value',
} as const;

export const zhCN: Record<keyof typeof en, string> = {
  'settings.error.adminOnly': '只有管理员可以修改设置。请联系管理员，或请管理员授权：/ops role add @you admin',
  'settings.error.unknownKey': '未知设置“{key}”。可用设置：{keys}。',
  'settings.error.badChannel': '“{value}”不是频道。请写 #频道、频道提及，或 平台:ID，例如 slack:C0123。',
  'settings.set': '{key} 已设置为 {value}。',
  'settings.title': '设置',
  'settings.line': '{key}：{value}',
  'settings.unset': '（未设置）',
  'settings.command.set': '修改设置，例如故障频道（管理员）',
  'settings.command.get': '查看设置（管理员）',
  'settings.option.key': '设置项',
  'settings.option.value': '新值',
} as const;
