// 150 configuration items, named in English and Chinese with aliases, for the searchable "affected
// system" choice (issue #12 item 2): more than Slack's 100 static options and Discord's 25 choices.

/** The items whose ranking the tests check, as CSV rows (name, type, environment, aliases). */
export const NAMED_CIS = [
  { name: 'mail', type: 'service', aliases: '' },
  { name: 'mail-gateway', type: 'network_device', aliases: '' },
  { name: 'webmail', type: 'application', aliases: '' },
  { name: '邮件服务器', type: 'server', aliases: 'mail-01' },
  { name: 'outbound-relay', type: 'server', aliases: 'smtp-mail' },
  { name: '数据库主库', type: 'database', aliases: 'pg-main' },
  { name: '数据库从库', type: 'database', aliases: 'pg-replica' },
  { name: '核心数据库', type: 'database', aliases: 'core-db' },
  { name: '财务系统', type: 'application', aliases: 'finance; erp' },
  { name: '三楼打印机', type: 'network_device', aliases: 'printer-3f' },
  { name: 'db_backup', type: 'service', aliases: '' },
  { name: 'dbxbackup', type: 'service', aliases: '' },
] as const;

/** The `host-NNN` servers that fill the catalog up to 150 items. */
export const HOST_COUNT = 150 - NAMED_CIS.length;

function pad(n: number): string {
  return String(n).padStart(3, '0');
}

/** Every item as a row of `POST /api/cis` (JSON) or CiService.upsert. */
export function ciCatalogRows(): Record<string, string>[] {
  const hosts = Array.from({ length: HOST_COUNT }, (_, i) => ({ name: `host-${pad(i + 1)}`, type: 'server', aliases: `h${i + 1}.corp` }));
  return [...NAMED_CIS, ...hosts].map((ci) => ({ name: ci.name, type: ci.type, environment: 'production', criticality: '2', aliases: ci.aliases }));
}
