import type { z } from 'zod';
import * as attribute from './attribute';
import * as category from './category';
import * as creditmemo from './creditmemo';
import * as customer from './customer';
import * as invoice from './invoice';
import * as order from './order';
import * as primitives from './primitives';
import * as product from './product';
import * as shipment from './shipment';
import * as stock from './stock';
import * as store from './store';
import * as tax from './tax';

export * from './attribute';
export * from './category';
export * from './creditmemo';
export * from './customer';
export * from './directory';
export * from './invoice';
export * from './order';
export * from './primitives';
export * from './product';
export * from './shipment';
export * from './stock';
export * from './store';
export * from './tax';

/**
 * Which Magento data interface each object schema stands for, so the contract test can check
 * that every field name a schema reads exists in fields.json (or, for `extensionOf`, in
 * extension-attributes.json). A schema added without an entry here is not checked: add it.
 */
export interface SchemaContractEntry {
  schema: z.ZodType;
  /** fields.json key, e.g. "Magento\\Sales\\Api\\Data\\OrderInterface" */
  interface?: string;
  /** extension-attributes.json key whose declared codes this extension_attributes schema reads */
  extensionOf?: string;
}

const S = 'Magento\\Sales\\Api\\Data\\';
const C = 'Magento\\Catalog\\Api\\Data\\';

export const SCHEMA_CONTRACT: SchemaContractEntry[] = [
  { schema: order.OrderSchema, interface: `${S}OrderInterface` },
  { schema: order.OrderSummarySchema, interface: `${S}OrderInterface` },
  { schema: order.OrderItemSchema, interface: `${S}OrderItemInterface` },
  { schema: order.OrderAddressSchema, interface: `${S}OrderAddressInterface` },
  { schema: order.OrderPaymentSchema, interface: `${S}OrderPaymentInterface` },
  { schema: order.OrderStatusHistorySchema, interface: `${S}OrderStatusHistoryInterface` },
  { schema: order.ShippingAssignmentSchema, interface: `${S}ShippingAssignmentInterface` },
  { schema: order.ShippingSchema, interface: `${S}ShippingInterface` },
  { schema: order.ShippingTotalSchema, interface: `${S}TotalInterface` },
  { schema: order.ProductOptionSchema, interface: `${C}ProductOptionInterface` },
  { schema: order.ConfigurableItemOptionSchema, interface: 'Magento\\ConfigurableProduct\\Api\\Data\\ConfigurableItemOptionValueInterface' },
  { schema: order.PaymentAdditionalInfoSchema, interface: 'Magento\\Payment\\Api\\Data\\PaymentAdditionalInfoInterface' },
  { schema: order.AppliedTaxSchema, interface: 'Magento\\Tax\\Api\\Data\\OrderTaxDetailsAppliedTaxInterface' },
  { schema: order.ItemAppliedTaxSchema, interface: 'Magento\\Tax\\Api\\Data\\OrderTaxDetailsItemInterface' },
  { schema: order.OrderExtensionSchema, extensionOf: `${S}OrderInterface` },
  { schema: order.ProductOptionExtensionSchema, extensionOf: `${C}ProductOptionInterface` },
  { schema: invoice.InvoiceSchema, interface: `${S}InvoiceInterface` },
  { schema: invoice.InvoiceItemSchema, interface: `${S}InvoiceItemInterface` },
  { schema: invoice.InvoiceCommentSchema, interface: `${S}InvoiceCommentInterface` },
  { schema: shipment.ShipmentSchema, interface: `${S}ShipmentInterface` },
  { schema: shipment.ShipmentItemSchema, interface: `${S}ShipmentItemInterface` },
  { schema: shipment.ShipmentTrackSchema, interface: `${S}ShipmentTrackInterface` },
  { schema: shipment.ShipmentCommentSchema, interface: `${S}ShipmentCommentInterface` },
  { schema: shipment.ShipmentExtensionSchema, extensionOf: `${S}ShipmentInterface` },
  { schema: creditmemo.CreditmemoSchema, interface: `${S}CreditmemoInterface` },
  { schema: creditmemo.CreditmemoItemSchema, interface: `${S}CreditmemoItemInterface` },
  { schema: creditmemo.CreditmemoCommentSchema, interface: `${S}CreditmemoCommentInterface` },
  { schema: product.ProductSchema, interface: `${C}ProductInterface` },
  { schema: product.ProductExtensionSchema, extensionOf: `${C}ProductInterface` },
  { schema: product.ConfigurableOptionSchema, interface: 'Magento\\ConfigurableProduct\\Api\\Data\\OptionInterface' },
  { schema: product.ConfigurableOptionValueSchema, interface: 'Magento\\ConfigurableProduct\\Api\\Data\\OptionValueInterface' },
  { schema: product.CategoryLinkSchema, interface: `${C}CategoryLinkInterface` },
  { schema: product.TierPriceSchema, interface: `${C}ProductTierPriceInterface` },
  { schema: category.CategorySchema, interface: `${C}CategoryInterface` },
  { schema: category.CategoryTreeSchema, interface: `${C}CategoryTreeInterface` },
  { schema: attribute.ProductAttributeSchema, interface: `${C}ProductAttributeInterface` },
  { schema: attribute.AttributeOptionSchema, interface: 'Magento\\Eav\\Api\\Data\\AttributeOptionInterface' },
  { schema: attribute.AttributeOptionLabelSchema, interface: 'Magento\\Eav\\Api\\Data\\AttributeOptionLabelInterface' },
  { schema: attribute.AttributeFrontendLabelSchema, interface: 'Magento\\Eav\\Api\\Data\\AttributeFrontendLabelInterface' },
  { schema: attribute.AttributeSetSchema, interface: 'Magento\\Eav\\Api\\Data\\AttributeSetInterface' },
  { schema: attribute.AttributeGroupSchema, interface: 'Magento\\Eav\\Api\\Data\\AttributeGroupInterface' },
  { schema: attribute.AttributeGroupExtensionSchema, extensionOf: 'Magento\\Eav\\Api\\Data\\AttributeGroupInterface' },
  { schema: customer.CustomerSchema, interface: 'Magento\\Customer\\Api\\Data\\CustomerInterface' },
  { schema: customer.CustomerExtensionSchema, extensionOf: 'Magento\\Customer\\Api\\Data\\CustomerInterface' },
  { schema: customer.CustomerAddressSchema, interface: 'Magento\\Customer\\Api\\Data\\AddressInterface' },
  { schema: customer.RegionSchema, interface: 'Magento\\Customer\\Api\\Data\\RegionInterface' },
  { schema: customer.CustomerGroupSchema, interface: 'Magento\\Customer\\Api\\Data\\GroupInterface' },
  { schema: tax.TaxRateSchema, interface: 'Magento\\Tax\\Api\\Data\\TaxRateInterface' },
  { schema: tax.TaxRateTitleSchema, interface: 'Magento\\Tax\\Api\\Data\\TaxRateTitleInterface' },
  { schema: store.WebsiteSchema, interface: 'Magento\\Store\\Api\\Data\\WebsiteInterface' },
  { schema: store.StoreGroupSchema, interface: 'Magento\\Store\\Api\\Data\\GroupInterface' },
  { schema: store.StoreViewSchema, interface: 'Magento\\Store\\Api\\Data\\StoreInterface' },
  { schema: store.StoreConfigSchema, interface: 'Magento\\Store\\Api\\Data\\StoreConfigInterface' },
  { schema: stock.StockItemSchema, interface: 'Magento\\CatalogInventory\\Api\\Data\\StockItemInterface' },
  { schema: stock.SourceItemSchema, interface: 'Magento\\InventoryApi\\Api\\Data\\SourceItemInterface' },
  { schema: stock.SourceSchema, interface: 'Magento\\InventoryApi\\Api\\Data\\SourceInterface' },
  { schema: stock.StockSchema, interface: 'Magento\\InventoryApi\\Api\\Data\\StockInterface' },
  { schema: stock.SalesChannelSchema, interface: 'Magento\\InventorySalesApi\\Api\\Data\\SalesChannelInterface' },
  { schema: primitives.CustomAttributeSchema, interface: 'Magento\\Framework\\Api\\AttributeInterface' },
  { schema: primitives.SearchCriteriaEchoSchema, interface: 'Magento\\Framework\\Api\\SearchCriteriaInterface' },
];
