import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';

/** Append-only, each row chained to the previous by SHA-256 (see audit/chain.ts). */
@Entity('audit_log')
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @IntColumn('actor_id', { nullable: true })
  actorId!: number | null;

  @VarcharColumn('actor_label', 160)
  actorLabel!: string;

  @VarcharColumn('action', 64)
  action!: string;

  @VarcharColumn('record_type', 32)
  recordType!: string;

  @VarcharColumn('record_id', 64)
  recordId!: string;

  @TextColumn('before', { nullable: true })
  before!: string | null;

  @TextColumn('after', { nullable: true })
  after!: string | null;

  @DateColumn('created_at')
  createdAt!: Date;

  @VarcharColumn('prev_hash', 64)
  prevHash!: string;

  @VarcharColumn('hash', 64)
  hash!: string;
}
