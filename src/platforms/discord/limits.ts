// Discord's limits (PLATFORM-FACTS.md, Discord section). The renderer cuts everything to these so that
// Discord never refuses a message, a modal or a command registration the bot builds.

export const DISCORD_LIMITS = {
  content: 2000,
  /** Files of one message together, for a bot without boosts: 25 MiB (PLATFORM-FACTS.md). */
  attachmentBytes: 25 * 1024 * 1024,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  /** Title, description, field names and values and footer over all embeds of a message. */
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  selectOptions: 25,
  selectOptionText: 100,
  selectPlaceholder: 150,
  modalTitle: 45,
  modalComponents: 5,
  /** A label of a modal field (and of a text input). */
  modalLabel: 45,
  /** The description under a modal field's label. */
  modalDescription: 100,
  textInputValue: 4000,
  textInputPlaceholder: 100,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  commandChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  /** The interaction token lives this long for follow-ups. */
  followUpWindowMs: 15 * 60_000,
} as const;

/** Application command and option names: lower case letters, digits, `-`, `_`, `'`, 1-32 characters. */
export const COMMAND_NAME = /^[-_'\p{L}\p{N}]{1,32}$/u;

/** `flags: 64`: the reply is only shown to the person who used the command or button. */
export const EPHEMERAL = 64;
