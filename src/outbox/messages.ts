// What the outbox says when a message cannot be delivered as written (issue #9, DESIGN.md reliability rules).
export const en = {
  'outbox.undeliverable.dm': '📭 {person} cannot be reached by direct message (DMs closed or account gone); the message about {id} is posted here instead:\n{text}',
  'outbox.undeliverable.oncall': '📭 {person} cannot be reached by direct message (DMs closed or account gone) and may not know they are on call. Their notice:\n{text}',
  'outbox.approvers.unreachable':
    '⚠️ {id} cannot get the approvals it needs any more: {people} cannot be reached by direct message, and the approvers left cannot make up {needed} approvals{manager}. An admin can grant the approver role to someone reachable, or the requester can withdraw the change.',
  'outbox.approvers.unreachableOne':
    '⚠️ {id} cannot get the approval it needs any more: {people} cannot be reached by direct message, and the approvers left cannot make up {needed} approval{manager}. An admin can grant the approver role to someone reachable, or the requester can withdraw the change.',
  'outbox.approvers.managerNeeded': ', a manager among them',
};

export const zhCN: Record<keyof typeof en, string> = {
  'outbox.undeliverable.dm': '📭 无法通过私信联系 {person}（私信已关闭或账号已停用），关于 {id} 的消息改发在此：\n{text}',
  'outbox.undeliverable.oncall': '📭 无法通过私信联系 {person}（私信已关闭或账号已停用），对方可能不知道自己正在值班。值班通知如下：\n{text}',
  'outbox.approvers.unreachable':
    '⚠️ {id} 已无法获得所需的批准：无法通过私信联系 {people}，其余审批人不足以给出 {needed} 个批准{manager}。管理员可将审批人角色授予可联系的人，或由申请人撤回该变更。',
  'outbox.approvers.unreachableOne':
    '⚠️ {id} 已无法获得所需的批准：无法通过私信联系 {people}，其余审批人不足以给出 {needed} 个批准{manager}。管理员可将审批人角色授予可联系的人，或由申请人撤回该变更。',
  'outbox.approvers.managerNeeded': '（其中须有一名经理）',
};
