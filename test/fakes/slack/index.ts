// Fake Slack for tests: the server the bot calls, and the driver that plays Slack calling the bot.
export { FakeSlackServer } from './server.js';
export type {
  FakeSlackOptions,
  FakeUser,
  InjectedFailure,
  OpenedView,
  PublishedHome,
  RecordedCall,
  ResponseUrlPost,
  StoredEphemeral,
  StoredMessage,
} from './server.js';
export { SlackBotDriver, signSlackRequest, DEFAULT_USER } from './bot-driver.js';
export type {
  BotAnswer,
  ClickInput,
  DriverOptions,
  HomeClickInput,
  HomeOpenedInput,
  SendOptions,
  SignatureMode,
  SlackUser,
  SlashCommandInput,
  SubmitInput,
  SuggestInput,
} from './bot-driver.js';
export { validateHomeView, validateMessage, validateOptionsResponse, validateView } from './block-validator.js';
export type { SlackRefusal } from './block-validator.js';
export { FAKE_SLACK_LIMITS } from './limits.js';
