import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';
import { Person } from './person.js';
import type { CiEnvironment, CiType, Criticality } from '../../cis/rules.js';

/**
 * A configuration item (policy 2: configuration management); its id is the number in `CI-<id>`.
 * `nameKey` is the name in lower case: the unique index makes names unique regardless of case.
 */
@Entity('configuration_items')
@Index('UQ_configuration_items_name_key', ['nameKey'], { unique: true })
export class ConfigurationItem {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @VarcharColumn('name', 100)
  name!: string;

  @VarcharColumn('name_key', 100)
  nameKey!: string;

  @VarcharColumn('ci_type', 20)
  type!: CiType;

  @VarcharColumn('environment', 20)
  environment!: CiEnvironment;

  @IntColumn('owner_id', { nullable: true })
  ownerId!: number | null;

  @ManyToOne(() => Person)
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'FK_configuration_items_owner' })
  owner?: Person;

  /** 1 high .. 3 low. */
  @IntColumn('criticality')
  criticality!: Criticality;

  @VarcharColumn('runbook_url', 500, { nullable: true })
  runbookUrl!: string | null;

  @TextColumn('notes', { nullable: true })
  notes!: string | null;

  @DateColumn('created_at')
  createdAt!: Date;

  @DateColumn('updated_at')
  updatedAt!: Date;

  @VersionColumn({ name: 'version', type: 'integer' })
  version!: number;
}
