import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { IntColumn, VarcharColumn } from '../columns.js';
import { ConfigurationItem } from './configuration-item.js';

/**
 * A record (fault, request, change) that concerns a configuration item. Kept apart from the record
 * tables so that every record kind links the same way.
 */
@Entity('record_configuration_items')
@Index('UQ_record_configuration_items', ['recordKind', 'recordId', 'ciId'], { unique: true })
@Index('IDX_record_configuration_items_ci', ['ciId'])
export class RecordCi {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** `fault`, `request` or `change`. */
  @VarcharColumn('record_kind', 16)
  recordKind!: string;

  @IntColumn('record_id')
  recordId!: number;

  @IntColumn('ci_id')
  ciId!: number;

  @ManyToOne(() => ConfigurationItem, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'ci_id', foreignKeyConstraintName: 'FK_record_configuration_items_ci' })
  ci?: ConfigurationItem;
}
