import { InvalidInputError } from '../errors.js';
import { parseTimeInput, TIME_INPUT_FORMS, type TimeInputContext } from '../time/time-input.js';

/**
 * A time argument of a command or form (`option`, e.g. `from`), read with the one time parser
 * (src/time/time-input.ts) in `context.timeZone`. Throws InvalidInputError naming the argument and
 * the accepted forms when the text is none of them (`core.error.badTime`), or when the zone skips
 * that wall time at a DST change (`core.error.skippedTime`), or for a capital `M` (`+1M`: minutes or
 * months?), `core.error.ambiguousMonth`, which suggests `+30m`, `+2h`, `+1d`.
 */
export function readTimeArgument(option: string, text: string, context: TimeInputContext): Date {
  const read = parseTimeInput(text, context);
  if (read.ok) return read.at;
  const params = { option, value: text.trim().slice(0, 40), zone: context.timeZone, forms: TIME_INPUT_FORMS };
  if (read.problem === 'month') throw new InvalidInputError('core.error.ambiguousMonth', { option, value: params.value });
  throw new InvalidInputError(read.problem === 'skipped' ? 'core.error.skippedTime' : 'core.error.badTime', params);
}
