// User-facing text about the audit log. Keys start with "audit.".
export const en = {
  'audit.command.verify': 'Check that no audit entry was changed or removed (managers)',
  'audit.error.managerOnly': 'Only approvers, managers and admins can verify the audit log.',
  'audit.verify.ok': 'The audit log is intact: {entries} entries, each chained to the one before by SHA-256.',
  'audit.verify.okOne': 'The audit log is intact: {entries} entry, chained by SHA-256.',
  'audit.verify.broken': 'The audit log was tampered with: entry #{id} does not match the chain ({entries} entries before it are intact). Tell the IT manager.',
  'audit.verify.brokenOne': 'The audit log was tampered with: entry #{id} does not match the chain ({entries} entry before it is intact). Tell the IT manager.',
} as const;

export const zhCN: Record<keyof typeof en, string> = {
  'audit.command.verify': '检查审计日志是否被修改或删除（经理）',
  'audit.error.managerOnly': '只有审批人、经理和管理员可以校验审计日志。',
  'audit.verify.ok': '审计日志完整：共 {entries} 条，每条都通过 SHA-256 与上一条相连。',
  'audit.verify.okOne': '审计日志完整：共 {entries} 条，每条都通过 SHA-256 与上一条相连。',
  'audit.verify.broken': '审计日志被篡改：第 #{id} 条与链不符（之前的 {entries} 条完整）。请通知 IT 经理。',
  'audit.verify.brokenOne': '审计日志被篡改：第 #{id} 条与链不符（之前的 {entries} 条完整）。请通知 IT 经理。',
} as const;
