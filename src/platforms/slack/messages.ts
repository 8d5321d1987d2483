// User-facing text of this area, in every supported locale. Keys start with "slack.".
export const en = {
  'slack.form.close': 'Cancel',
  'slack.form.retry': 'The form could not be opened in time. Please try again.',
  'slack.form.notSaved': 'Your form was not saved: {errors}. Please open it again and correct these fields.',
  'slack.error.unexpected': 'Something went wrong on our side. Please try again; if it keeps happening, give IT this reference: {ref}.',
  'slack.manifest.description': 'IT operations in Slack: report faults, request services, approve changes and see who is on call.',
  'slack.suggest.asTyped': '"{text}" (as typed)',
} as const;

export const zhCN: Record<keyof typeof en, string> = {
  'slack.form.close': '取消',
  'slack.form.retry': '表单未能及时打开，请再试一次。',
  'slack.form.notSaved': '表单未保存：{errors}。请重新打开表单并修改这些字段。',
  'slack.error.unexpected': '系统出现异常，请再试一次；如果问题持续，请把参考编号 {ref} 告诉 IT 部门。',
  'slack.manifest.description': '在 Slack 中处理 IT 运维：报告故障、提交服务请求、审批变更、查看值班人员。',
  'slack.suggest.asTyped': '“{text}”（按输入内容）',
};
