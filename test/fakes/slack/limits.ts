// Slack's limits as PLATFORM-FACTS.md states them. Kept apart from the bot's own copy on purpose:
// if the bot got a limit wrong, sharing the constant would make the fake agree with the mistake.

export const FAKE_SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  actionId: 255,
  blockId: 255,
  contextElements: 10,
  actionsElements: 25,
  viewTitle: 24,
  viewButton: 24,
  callbackId: 255,
  selectOptions: 100,
  optionText: 75,
  optionValue: 75,
  /** An external_select's options response: at most 100 options, values up to 150 characters. */
  externalOptions: 100,
  externalOptionValue: 150,
  placeholder: 150,
  inputLabel: 2000,
  inputHint: 2000,
  plainTextInputMaxLength: 3000,
  privateMetadata: 3000,
  /** Past this, chat.postMessage keeps the text but cuts it. */
  messageText: 40_000,
  /** Block payloads this long fail with msg_blocks_too_long. */
  messageBlocksJson: 13_000,
  /** Views this large fail with view_too_large. */
  viewBytes: 250 * 1024,
  triggerIdTtlMs: 3_000,
  responseUrlUses: 5,
  responseUrlTtlMs: 30 * 60 * 1000,
  ackDeadlineMs: 3_000,
  /** conversations.history's `limit` (Slack: up to 999). */
  historyLimitMax: 999,
  /** Slack's largest file: 1 GB. */
  fileMaxBytes: 1024 * 1024 * 1024,
  /** files.completeUploadExternal takes up to 10 files. */
  filesPerComplete: 10,
} as const;
