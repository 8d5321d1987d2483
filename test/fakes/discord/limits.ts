// Discord's limits as PLATFORM-FACTS.md states them. Kept apart from the bot's own copy on purpose:
// if the bot got a limit wrong, sharing the constant would make the fake agree with the mistake.

export const FAKE_DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthorName: 256,
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  customIdMin: 1,
  customIdMax: 100,
  buttonLabel: 80,
  selectOptions: 25,
  selectOptionText: 100,
  selectPlaceholder: 150,
  modalTitle: 45,
  modalComponentsMin: 1,
  modalComponentsMax: 5,
  modalLabel: 45,
  modalLabelDescription: 100,
  textInputValue: 4000,
  textInputPlaceholder: 100,
  commandName: /^[-_'\p{L}\p{N}]{1,32}$/u,
  commandDescriptionMin: 1,
  commandDescriptionMax: 100,
  commandOptions: 25,
  commandChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  /** The initial response must arrive within this, else the token is invalidated. */
  initialResponseMs: 3_000,
  /** `nonce` of a created message: an integer or a string of at most 25 characters. */
  nonceMax: 25,
  /**
   * With `enforce_nonce`, a nonce the same author used this recently returns the first message
   * ("in the past few minutes", Discord's docs; the fake takes the low end).
   */
  nonceWindowMs: 2 * 60_000,
  /** Follow-ups with the interaction token work this long. */
  followUpMs: 15 * 60_000,
  /** Total size of a message's files for a bot without boosts: 25 MiB. */
  attachmentBytes: 25 * 1024 * 1024,
  attachmentsPerMessage: 10,
} as const;
