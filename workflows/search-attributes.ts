import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Ops find an order in the Temporal UI by these: `MagentoOrder = "000000042"`,
// `NeedsAttention = true`, `Channel = "eu" AND OrderState = "shipped"`.
export const MagentoOrder = defineSearchAttributeKey('MagentoOrder', SearchAttributeType.KEYWORD);
export const OdooOrder = defineSearchAttributeKey('OdooOrder', SearchAttributeType.KEYWORD);
export const OrderState = defineSearchAttributeKey('OrderState', SearchAttributeType.KEYWORD);
export const Channel = defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD);
export const NeedsAttention = defineSearchAttributeKey('NeedsAttention', SearchAttributeType.BOOL);
export const SyncStream = defineSearchAttributeKey('SyncStream', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [MagentoOrder, OdooOrder, OrderState, Channel, NeedsAttention, SyncStream];
