import { Column, Entity, Index, PrimaryGeneratedColumn, type ValueTransformer } from 'typeorm';
import { DateColumn, IntColumn, VarcharColumn } from '../columns.js';

const personIds: ValueTransformer = {
  to: (value: number[] | undefined) => JSON.stringify(value ?? []),
  from: (value: string | null): number[] => {
    const parsed: unknown = value ? JSON.parse(value) : [];
    return Array.isArray(parsed) ? parsed.filter((v): v is number => typeof v === 'number') : [];
  },
};

/** The rotation of one escalation level (primary, secondary, manager): who takes turns, and when. */
@Entity('oncall_rotations')
@Index('UQ_oncall_rotations_level', ['level'], { unique: true })
export class OnCallRotation {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @VarcharColumn('level', 16)
  level!: string;

  /** Person ids in turn order, as JSON. */
  @Column({ name: 'members', type: 'text', transformer: personIds })
  members!: number[];

  /** ISO weekday of the hand-off (1 Monday .. 7 Sunday); null: every `length_days` at the hand-off time. */
  @IntColumn('handoff_weekday', { nullable: true })
  handoffWeekday!: number | null;

  /** Minutes after local midnight of the hand-off. */
  @IntColumn('handoff_minute')
  handoffMinute!: number;

  @IntColumn('length_days')
  lengthDays!: number;

  /** The start of the first member's first shift. */
  @DateColumn('anchor_at')
  anchorAt!: Date;

  /** The start of the latest shift whose incoming engineer was told. */
  @DateColumn('announced_shift_at', { nullable: true })
  announcedShiftAt!: Date | null;

  @IntColumn('updated_by', { nullable: true })
  updatedBy!: number | null;

  @DateColumn('updated_at')
  updatedAt!: Date;
}
