// Fake Discord for tests: the REST API and gateway the bot talks to, the signer for HTTP interactions,
// and the driver that plays Discord (and the people using it) calling the bot.
export { FakeDiscordServer, snowflake } from './server.js';
export type { DiscordUser, FakeDiscordOptions, InjectedFailure, InteractionRecord, Json, ModalRecord, RecordedCall, Refusal, StoredMessage } from './server.js';
export { DiscordBotDriver, buttonActions, customIdsOf, textOf } from './driver.js';
export type { InteractionResult, OptionValue, Transport } from './driver.js';
export { InteractionSigner } from './signer.js';
export type { SignatureMode } from './signer.js';
export { validateAutocompleteResult, validateCommands, validateMessage, validateModal } from './validator.js';
export { FAKE_DISCORD_LIMITS } from './limits.js';
