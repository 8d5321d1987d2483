import { benchReports } from './bench/reports.js';
process.stdout.write(`${(await benchReports()).join('\n')}\n`);
