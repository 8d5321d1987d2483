// User-facing text about exports. Keys start with "exports.".
export const en = {
  'exports.command.export': 'Export records as CSV: faults, requests, changes, cis, audit (managers; audit: admins)',
  'exports.option.kind': 'What to export',
  'exports.option.from': 'First day, YYYY-MM-DD (created on or after)',
  'exports.option.to': 'Last day, YYYY-MM-DD (created on or before)',
  'exports.comment': '{name}: {rows} rows.',
  'exports.reply.sent': '{name} ({rows} rows) is on its way to you as a direct message.',
  'exports.error.managerOnly': 'Only managers and admins can export records. Ask an admin: /ops role add @you manager',
  'exports.error.adminOnly': 'Only admins can export the audit log.',
  'exports.error.day': '{value} is not a day; write it as YYYY-MM-DD.',
  'exports.error.range': 'The first day must come before the last.',
  'exports.command.record': 'Export one record with its whole timeline as Markdown',
  'exports.record.comment': '{id} with its timeline.',
  'exports.record.sent': '{id} as Markdown is on its way to you as a direct message.',
} as const;

export const zhCN: Record<keyof typeof en, string> = {
  'exports.command.export': '导出记录为 CSV:faults、requests、changes、cis、audit(经理;audit 仅管理员)',
  'exports.option.kind': '导出内容',
  'exports.option.from': '起始日期 YYYY-MM-DD(含当天创建的)',
  'exports.option.to': '结束日期 YYYY-MM-DD(含当天创建的)',
  'exports.comment': '{name}:{rows} 行。',
  'exports.reply.sent': '{name}({rows} 行)将以私信发送给你。',
  'exports.error.managerOnly': '只有经理和管理员可以导出记录。请联系管理员:/ops role add @you manager',
  'exports.error.adminOnly': '只有管理员可以导出审计日志。',
  'exports.error.day': '{value} 不是日期;请写成 YYYY-MM-DD。',
  'exports.error.range': '起始日期必须早于结束日期。',
  'exports.command.record': '把一条记录连同完整时间线导出为 Markdown',
  'exports.record.comment': '{id} 及其时间线。',
  'exports.record.sent': '{id} 的 Markdown 将以私信发送给你。',
};
