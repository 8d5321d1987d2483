// Reading the service-request settings (declared in setting-specs.ts).
import { DEFAULT_CATALOG, parseCatalog } from './rules.js';
import { REQUEST_CATALOG_KEY, REQUEST_CHANNEL_KEY } from './setting-specs.js';
import type { ChatTarget } from '../chat/model.js';
import { channelTarget, type SettingsService } from '../settings/service.js';

/** Where new requests are announced: the request channel, else the fault channel (IT's inbox). */
export async function requestChannel(settings: SettingsService): Promise<ChatTarget | undefined> {
  return channelTarget(await settings.get(REQUEST_CHANNEL_KEY)) ?? (await settings.channel('fault_channel'));
}

/** The request types offered in the form. */
export async function requestCatalog(settings: SettingsService): Promise<string[]> {
  const raw = await settings.get(REQUEST_CATALOG_KEY);
  return (raw === undefined ? undefined : parseCatalog(raw)) ?? [...DEFAULT_CATALOG];
}
