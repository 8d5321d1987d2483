// The platform-neutral chat model: what services and commands produce and what adapters render.
// Nothing here knows about Slack, Discord or the terminal.

export const PLATFORMS = ['slack', 'discord', 'shell'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Someone acting through a chat platform, as the adapter saw them. */
export interface ChatActor {
  platform: Platform;
  userId: string;
  displayName: string;
  /** The platform's own locale for this user, when it tells us. */
  locale?: string;
}

export type ButtonStyle = 'primary' | 'danger';

export interface ChatButton {
  /** Routes the click: `<capability>.<action>`, e.g. `fault.ack`. */
  actionId: string;
  /** The record the click is about, e.g. `INC-4`. */
  value: string;
  label: string;
  style?: ButtonStyle;
}

export type CardColor = 'red' | 'orange' | 'yellow' | 'grey' | 'green' | 'blue';

export interface ChatField {
  label: string;
  value: string;
}

/**
 * A file sent with a message (a CSV export, a chart). Delivered through the outbox like any message:
 * Slack's upload flow, a Discord attachment, a file under ./data/exports/ in the terminal.
 */
export type ChatAttachment = {
  /** File name shown to people, e.g. `faults-2026-11-01.csv`. */
  name: string;
  /** e.g. `text/csv; charset=utf-8`, `image/png`. */
  mimeType: string;
  title?: string;
  /** What the file is: the terminal keeps `report` files (charts) under ./data/reports/, the rest under ./data/exports/. */
  purpose?: 'export' | 'report';
} & (
  | {
      /** The bytes, base64-encoded so that the message stays JSON in the outbox (small files). */
      base64: string;
      file?: undefined;
    }
  | {
      /**
       * Absolute path of a file in the outbox spool folder (src/outbox/spool.ts), for files too large to
       * hold in memory: the deliverers stream it to the platform, and it is removed once the message
       * was delivered or marked dead. It lives under the data folder, so a restart still delivers it.
       */
      file: string;
      base64?: undefined;
    }
);

/**
 * A message. Every text in it is plain text, shown as typed on every platform: the renderers escape it
 * for their markup. The only markup is a mention node (`mention()` in format.ts, markup.ts), which
 * renders as a live mention; nothing a user types can become one.
 */
export interface ChatMessage {
  /** Plain-text summary used for notifications and platforms without rich layout. */
  fallback: string;
  /** A file to go with the message; the message's text becomes its comment. */
  attachment?: ChatAttachment;
  title?: string;
  color?: CardColor;
  body?: string;
  fields?: ChatField[];
  context?: string[];
  buttons?: ChatButton[];
}

export interface FormOption {
  value: string;
  label: string;
}

export type FormFieldKind = 'text' | 'textarea' | 'select' | 'user';

/**
 * Where a searchable choice takes its options from as the person types: `ci`, the configuration
 * items by name or alias. See Suggestions in src/platforms/port.ts.
 */
export const SUGGEST_SOURCES = ['ci'] as const;
export type SuggestSource = (typeof SUGGEST_SOURCES)[number];

export interface FormField {
  id: string;
  label: string;
  kind: FormFieldKind;
  required: boolean;
  hint?: string;
  maxLength?: number;
  options?: FormOption[];
  initial?: string;
  /**
   * A text field that platforms able to search may offer as a searchable choice (Slack:
   * external_select); the submitted value is an option's value or, where typing is kept, the text.
   */
  suggest?: SuggestSource;
  /**
   * A select that also takes any typed text (the "Affected system": a system that is no configuration
   * item, or one named by an alias). Platforms that can only choose (Slack static_select, a Discord
   * select) show a text input labelled `otherLabel` beside it; text typed there wins over the choice.
   */
  freeText?: { otherLabel: string };
}

export interface ChatForm {
  /** Routes the submission: `<capability>.<form>`, e.g. `fault.resolve`. */
  formId: string;
  title: string;
  submitLabel: string;
  fields: FormField[];
  /** Opaque context returned with the submission (a record id, for instance). */
  context: string;
  /**
   * The form follows something already saved and may be left unanswered (a survey comment after its
   * rating). Modals are simply dismissed; the terminal says so and skips it on Enter alone or on a
   * line starting with `/`, which then runs as usual instead of becoming the answer.
   */
  skippable?: boolean;
  /**
   * With `skippable`: what the terminal says when the form is skipped or /cancel'ed, in the reader's
   * language, naming what stays saved (e.g. "Comment skipped; your rating is saved."). A generic
   * "Skipped." when absent; never "nothing was saved", which is untrue after a save.
   */
  skippedNote?: string;
}

/**
 * Where a message goes: a channel, or a direct message to a user, on one platform; or (`home`) the
 * user's personal Home view (Slack App Home), which the deliverer rebuilds and publishes.
 */
export interface ChatTarget {
  platform: Platform;
  kind: 'channel' | 'dm' | 'home';
  id: string;
}

interface InboundBase {
  actor: ChatActor;
  /** The channel the interaction happened in, when there is one. */
  channelId?: string;
}

export interface CommandEvent extends InboundBase {
  type: 'command';
  command: string;
  /** Slack-style text after the command; Discord adapters rebuild it from typed options. */
  text: string;
}

export interface ButtonEvent extends InboundBase {
  type: 'button';
  actionId: string;
  value: string;
}

export interface FormSubmitEvent extends InboundBase {
  type: 'formSubmit';
  formId: string;
  context: string;
  values: Record<string, string>;
}

export type InboundEvent = CommandEvent | ButtonEvent | FormSubmitEvent;

/**
 * What the runtime answers to one inbound event; the adapter turns it into the platform's response.
 * `locale`: the language the runtime answered in (`en`, `zh-CN`), so that what the adapter adds of its
 * own (Slack's modal close button, a "not saved" note around field errors) matches; set by the
 * runtime, since some events carry no locale (Slack's) and the person's stored one is used then.
 */
export type ChatReply = (
  | { type: 'private'; message: ChatMessage }
  | { type: 'form'; form: ChatForm }
  | { type: 'fieldErrors'; errors: Record<string, string> }
  | { type: 'done' }
) & { locale?: string };
