// Slack's size limits (PLATFORM-FACTS.md, Slack section). The renderer cuts everything to these so
// that Slack never rejects a message or a modal the bot builds.

export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  sectionText: 3000,
  /** The largest file Slack takes in the upload flow: 1 GB (Slack's file upload documentation). */
  fileBytes: 1024 * 1024 * 1024,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextElementText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  callbackId: 255,
  modalTitle: 24,
  modalButton: 24,
  inputLabel: 2000,
  inputHint: 2000,
  plainTextInputMaxLength: 3000,
  selectOptions: 100,
  optionText: 75,
  optionValue: 75,
  /** The options an external_select's options request may answer with, and their values' length. */
  externalOptions: 100,
  externalOptionValue: 150,
  privateMetadata: 3000,
  messageText: 40_000,
} as const;

/**
 * Slack rejects block payloads with `msg_blocks_too_long` somewhere near 13,000 characters of JSON;
 * staying under 12,000 leaves room for what Slack adds itself.
 */
export const MESSAGE_BLOCKS_JSON_BUDGET = 12_000;
