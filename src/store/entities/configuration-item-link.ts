import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { IntColumn } from '../columns.js';
import { ConfigurationItem } from './configuration-item.js';

/** `ciId` depends on `dependsOnId`: if the latter fails, the former is affected. */
@Entity('configuration_item_links')
@Index('UQ_configuration_item_links_pair', ['ciId', 'dependsOnId'], { unique: true })
@Index('IDX_configuration_item_links_depends_on', ['dependsOnId'])
export class ConfigurationItemLink {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @IntColumn('ci_id')
  ciId!: number;

  @ManyToOne(() => ConfigurationItem, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ci_id', foreignKeyConstraintName: 'FK_configuration_item_links_ci' })
  ci?: ConfigurationItem;

  @IntColumn('depends_on_id')
  dependsOnId!: number;

  @ManyToOne(() => ConfigurationItem, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'depends_on_id', foreignKeyConstraintName: 'FK_configuration_item_links_depends_on' })
  dependsOn?: ConfigurationItem;
}
