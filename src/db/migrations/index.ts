/**
 * The list of migrations, in order. A static list (rather than reading the
 * folder) works the same from TypeScript sources, compiled output and tests.
 * Add new migrations at the end; never edit or remove a landed one.
 */
import type { Migration } from 'kysely/migration';
import * as addReportIndexes from './2026_11_28_1220_add_report_indexes.js';
import * as reportIndexesWithoutReactions from './2026_12_03_1040_report_indexes_without_reactions.js';
import * as addFacebookDeliveryState from './2026_11_28_1010_add_facebook_delivery_state.js';
import * as addInquiryAttachments from './2026_12_03_1030_add_inquiry_attachments.js';
import * as addLikeCounts from './2026_12_18_0900_add_like_counts.js';
import * as addReplyFailureCode from './2026_12_17_0900_add_reply_failure_code.js';
import * as addReplyLeaseAndPublishingPause from './2026_12_03_1010_add_reply_lease_and_publishing_pause.js';
import * as addSourceCredentialsAndSettings from './2026_12_12_0900_add_source_credentials_and_settings.js';
import * as createBusinessCalendar from './2026_11_28_1210_create_business_calendar.js';
import * as createCoreTables from './2026_11_28_0010_create_core_tables.js';
import * as createCountersAndPublishedPosts from './2026_12_14_0010_create_counters_and_published_posts.js';
import * as createDigestDeliveries from './2026_11_28_1200_create_digest_deliveries.js';
import * as createLeasesAndHandledUpdates from './2026_12_10_0900_create_leases_and_handled_updates.js';
import * as createReportDayCache from './2026_12_15_0900_create_report_day_cache.js';
import * as createStaffWorkflowTables from './2026_11_28_1110_create_staff_workflow_tables.js';
import * as createTelegramChatAccess from './2026_12_03_1050_create_telegram_chat_access.js';
import * as createTelegramGroupPace from './2026_12_11_0900_create_telegram_group_pace.js';
import * as createWaves from './2026_12_16_0900_create_waves.js';
import * as followThroughDayCache from './2026_12_19_0900_follow_through_day_cache.js';
import * as followThrough from './2026_12_13_0900_follow_through.js';
import * as onePendingReplyPerInquiry from './2026_12_03_1020_one_pending_reply_per_inquiry.js';
import * as seedCounters from './2026_12_14_0020_seed_counters.js';
import * as seedSectors from './2026_11_28_0020_seed_sectors.js';
import * as instagramMentions from './2026_12_20_0900_instagram_mentions.js';
import * as telegramReactions from './2026_12_21_0900_telegram_reactions.js';

export const migrations: Record<string, Migration> = {
  '2026_11_28_0010_create_core_tables': createCoreTables,
  '2026_11_28_0020_seed_sectors': seedSectors,
  '2026_11_28_1010_add_facebook_delivery_state': addFacebookDeliveryState,
  '2026_11_28_1110_create_staff_workflow_tables': createStaffWorkflowTables,
  '2026_11_28_1200_create_digest_deliveries': createDigestDeliveries,
  '2026_11_28_1210_create_business_calendar': createBusinessCalendar,
  '2026_11_28_1220_add_report_indexes': addReportIndexes,
  '2026_12_03_1010_add_reply_lease_and_publishing_pause': addReplyLeaseAndPublishingPause,
  '2026_12_03_1020_one_pending_reply_per_inquiry': onePendingReplyPerInquiry,
  '2026_12_03_1030_add_inquiry_attachments': addInquiryAttachments,
  '2026_12_03_1040_report_indexes_without_reactions': reportIndexesWithoutReactions,
  '2026_12_03_1050_create_telegram_chat_access': createTelegramChatAccess,
  '2026_12_10_0900_create_leases_and_handled_updates': createLeasesAndHandledUpdates,
  '2026_12_11_0900_create_telegram_group_pace': createTelegramGroupPace,
  '2026_12_12_0900_add_source_credentials_and_settings': addSourceCredentialsAndSettings,
  '2026_12_13_0900_follow_through': followThrough,
  '2026_12_14_0010_create_counters_and_published_posts': createCountersAndPublishedPosts,
  '2026_12_14_0020_seed_counters': seedCounters,
  '2026_12_15_0900_create_report_day_cache': createReportDayCache,
  '2026_12_16_0900_create_waves': createWaves,
  '2026_12_17_0900_add_reply_failure_code': addReplyFailureCode,
  '2026_12_18_0900_add_like_counts': addLikeCounts,
  '2026_12_19_0900_follow_through_day_cache': followThroughDayCache,
  '2026_12_20_0900_instagram_mentions': instagramMentions,
  '2026_12_21_0900_telegram_reactions': telegramReactions,
};
