export { OdooClient, createOdooTransport, NO_SUBSCRIBE_CONTEXT } from './client';
export type { Context, Domain, OdooIdentity, OdooRecord, SaleOrderInput, SaleOrderLineInput, SearchReadOptions, TaxCountries } from './client';
export { many2oneId } from './many2one';
export { JsonRpcTransport } from './jsonrpc-transport';
export { Json2Transport } from './json2-transport';
export { ODOO_OPERATIONS, CONTRACT_ADDITIONS, listOdooOperations } from './operations';
export type { OdooCall, OdooFlavour, OdooServerVersion, OdooTransport } from './transport';
export * from './schemas';
export { setExclusiveOrderTag } from './order-tags';
