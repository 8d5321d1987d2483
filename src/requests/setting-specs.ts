// The settings of the service-request capability, as registered in src/settings/registry.ts. Pure:
// the registry imports this file, so it must not import the settings modules back (the registry
// hands in its channel parser instead).
import { parseCatalog } from './rules.js';
import type { SettingSpec } from '../settings/registry.js';

export const REQUEST_CHANNEL_KEY = 'request_channel';
export const REQUEST_CATALOG_KEY = 'request_catalog';

export function requestSettingSpecs(parseChannel: SettingSpec['parse']): SettingSpec[] {
  return [
    { key: REQUEST_CHANNEL_KEY, description: 'requests.describe.channel', parse: parseChannel, invalid: 'settings.error.badChannel' },
    { key: REQUEST_CATALOG_KEY, description: 'requests.describe.catalog', parse: (raw) => parseCatalog(raw)?.join(', '), invalid: 'requests.error.badCatalog' },
  ];
}
