import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, VarcharColumn } from '../columns.js';

/** Where a keyed message was posted, so that later changes edit it in place. */
@Entity('message_refs')
@Index('UQ_message_refs_key_target', ['messageKey', 'platform', 'targetId'], { unique: true })
export class MessageRef {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @VarcharColumn('message_key', 100)
  messageKey!: string;

  @VarcharColumn('platform', 16)
  platform!: string;

  @VarcharColumn('target_id', 64)
  targetId!: string;

  @VarcharColumn('channel_id', 64)
  channelId!: string;

  @VarcharColumn('message_id', 64)
  messageId!: string;

  @DateColumn('created_at')
  createdAt!: Date;
}
