import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';
import { ServiceRequest } from './service-request.js';

/** One line of a service request's timeline. */
@Entity('service_request_events')
@Index('IDX_service_request_events_request', ['requestId'])
export class ServiceRequestEvent {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @IntColumn('request_id')
  requestId!: number;

  @ManyToOne(() => ServiceRequest, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'FK_service_request_events_request' })
  request?: ServiceRequest;

  @IntColumn('actor_id', { nullable: true })
  actorId!: number | null;

  @VarcharColumn('kind', 32)
  kind!: string;

  @VarcharColumn('from_state', 20, { nullable: true })
  fromState!: string | null;

  @VarcharColumn('to_state', 20, { nullable: true })
  toState!: string | null;

  @TextColumn('note', { nullable: true })
  note!: string | null;

  @DateColumn('created_at')
  createdAt!: Date;
}
