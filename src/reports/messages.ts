// User-facing text of the KPIs, reports and audit reports. Keys start with "reports.".
export const en = {
  'reports.chart.trendTitle': 'Opened vs resolved per week · {period}',
  'reports.chart.priorityTitle': 'Resolved by priority and SLA compliance',
  'reports.chart.weekAxis': 'Week starting',
  'reports.chart.priorityAxis': 'Priority',
  'reports.chart.recordsAxis': 'Records',
  'reports.chart.complianceAxis': 'SLA compliance (%)',
  'reports.chart.opened': 'Opened',
  'reports.chart.resolved': 'Resolved',
  'reports.chart.resolvedByPriority': 'Resolved',
  'reports.chart.compliance': 'SLA compliance',
} as const;

export const zhCN: Record<keyof typeof en, string> = {
  'reports.chart.trendTitle': '每周新建与解决 · {period}',
  'reports.chart.priorityTitle': '按优先级解决数与 SLA 达成率',
  'reports.chart.weekAxis': '周起始日',
  'reports.chart.priorityAxis': '优先级',
  'reports.chart.recordsAxis': '记录数',
  'reports.chart.complianceAxis': 'SLA 达成率（%）',
  'reports.chart.opened': '新建',
  'reports.chart.resolved': '已解决',
  'reports.chart.resolvedByPriority': '已解决',
  'reports.chart.compliance': 'SLA 达成率',
} as const;
