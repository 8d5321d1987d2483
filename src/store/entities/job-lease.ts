import { Entity, PrimaryColumn } from 'typeorm';
import { DateColumn, VarcharColumn } from '../columns.js';

/** One row per scheduled job: whoever holds an unexpired lease for a run key runs it. */
@Entity('job_leases')
export class JobLease {
  @PrimaryColumn({ name: 'name', type: 'varchar', length: 64 })
  name!: string;

  @VarcharColumn('holder', 64)
  holder!: string;

  @VarcharColumn('run_key', 64)
  runKey!: string;

  @DateColumn('expires_at')
  expiresAt!: Date;
}
