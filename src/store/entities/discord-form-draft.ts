import { Entity, Index, PrimaryColumn } from 'typeorm';
import { DateColumn, TextColumn, VarcharColumn } from '../columns.js';

/**
 * A form being filled in on Discord, where a modal holds at most five text inputs: what was typed so
 * far, between the modal and the select menus that follow it. In the database (not in memory) so that
 * any replica behind a load balancer can take the next step.
 */
@Entity('discord_form_drafts')
@Index('IDX_discord_form_drafts_expires', ['expiresAt'])
export class DiscordFormDraft {
  /** Random, unguessable; carried in the custom_ids of the form's steps. */
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 32 })
  id!: string;

  /** The Discord user filling it in; nobody else may continue it. */
  @VarcharColumn('user_id', 64)
  userId!: string;

  @VarcharColumn('channel_id', 64, { nullable: true })
  channelId!: string | null;

  /** The ChatForm, as JSON. */
  @TextColumn('form')
  form!: string;

  /** The values entered so far, by field id, as JSON. */
  @TextColumn('field_values')
  fieldValues!: string;

  @DateColumn('created_at')
  createdAt!: Date;

  @DateColumn('expires_at')
  expiresAt!: Date;
}
