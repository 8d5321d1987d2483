import { PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { DateColumn, VarcharColumn } from '../columns.js';

/**
 * The columns every record kind has (faults, service requests, changes, and kinds added later): the
 * id people see in `INC-<id>`, a one-line title, the state of its state machine, its times, and the
 * optimistic version that the lifecycle kernel writes under (src/records/lifecycle.ts). An entity
 * extends this (or SlaTracked / AssignedRecord, which extend it) and narrows `state` with `declare`.
 */
export abstract class RecordColumns {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @VarcharColumn('title', 150)
  title!: string;

  @VarcharColumn('state', 20)
  state!: string;

  @DateColumn('created_at')
  createdAt!: Date;

  @DateColumn('updated_at')
  updatedAt!: Date;

  @VersionColumn({ name: 'version', type: 'integer' })
  version!: number;
}
