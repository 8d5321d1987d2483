// User-facing text of this area, in every supported locale. Keys start with "discord.".
export const en = {
  'discord.form.continue': 'Continue',
  'discord.form.choose': 'Choose below, then press {submit}.',
  'discord.form.chooseThenContinue': 'Choose below, then press Continue.',
  'discord.form.openPrompt': 'Press the button to fill in the next part.',
  'discord.form.open': 'Open the form',
  'discord.form.edit': 'Edit and send again',
  'discord.form.missing': 'Choose {fields} first.',
  'discord.form.notSaved': 'Not saved: {errors} What you typed is kept: press the button, correct it and send again.',
  'discord.form.notSavedChoice': 'Not saved: {errors} Correct the choice below and press {submit} again.',
  'discord.form.sent': 'Sent.',
  'discord.form.expired': 'This form has expired. Please run the command again.',
  'discord.reply.done': 'Done.',
  'discord.error.unexpected': 'Something went wrong on our side. Please try again; if it keeps happening, give IT this reference: {ref}.',
  'discord.command.group': '/{command} {group}: see the subcommands',
} as const;

export const zhCN: Record<keyof typeof en, string> = {
  'discord.form.continue': '继续',
  'discord.form.choose': '请在下方选择，然后点击“{submit}”。',
  'discord.form.chooseThenContinue': '请在下方选择，然后点击“继续”。',
  'discord.form.openPrompt': '点击按钮填写下一部分。',
  'discord.form.open': '打开表单',
  'discord.form.edit': '修改后重新提交',
  'discord.form.missing': '请先选择：{fields}。',
  'discord.form.notSaved': '未保存：{errors}已填写的内容会保留：点击按钮，修改后重新提交。',
  'discord.form.notSavedChoice': '未保存：{errors}请修改下方的选择，然后再次点击“{submit}”。',
  'discord.form.sent': '已提交。',
  'discord.form.expired': '此表单已过期，请重新执行命令。',
  'discord.reply.done': '已完成。',
  'discord.error.unexpected': '系统出现异常，请再试一次；如果问题持续，请把参考编号 {ref} 告诉 IT 部门。',
  'discord.command.group': '/{command} {group}：见子命令',
};
