// The contract between the bulk-sync machinery (workflow, page activity, watermarks, progress,
// schedules) and each stream (stock, catalog, customers, reference data). A stream knows its two
// APIs; the machinery knows paging, resuming, watermarks and reporting. Plain data only: page
// inputs and results travel through Temporal's history, so they hold keys and counts, never
// whole records or secrets.

export type StreamName =
  | 'reference' // Magento → Odoo: websites/stores, customer groups, tax rates, attribute sets, carrier and payment mappings
  | 'catalog' // Odoo → Magento: categories, attributes and options, simple and configurable products, prices
  | 'stock' // Odoo → Magento: saleable quantity per SKU
  | 'customers' // Magento → Odoo: customers with every address
  | 'contacts'; // Odoo → Magento: contact edits made in Odoo, where the channel enables it

export interface SyncPageInput {
  channel: string;
  stream: StreamName;
  /** where this page starts; null = the first page of the run. Opaque to the machinery. */
  cursor: string | null;
  /** only records changed since this watermark (Odoo write_date / Magento updated_at); null = everything */
  since: string | null;
  /** full resync: ignore content hashes and write every record */
  full: boolean;
  pageSize: number;
  /**
   * Only these records, by their source key (SKU for catalog and stock): the real-time path,
   * after an Odoo webhook. The machinery never moves the watermark for such a page.
   */
  keys?: string[];
}

export interface RecordFailure {
  /** the record's key on its source side: SKU, Magento customer id, tax rate code, ... */
  key: string;
  /** readable, naming the field: 'product "TEE-001": list_price -3 is negative' */
  reason: string;
}

export interface SyncPageResult {
  /** records read from the source in this page */
  processed: number;
  /** records written to the target (created or changed) */
  written: number;
  /** records whose content hash was unchanged: no write */
  unchanged: number;
  /** bad records: reported, skipped; the run continues */
  failed: RecordFailure[];
  /**
   * records left out on purpose because the target has no shape for them (a Magento grouped
   * product in Odoo): reported with the reason, but nothing is wrong with them, so they are not
   * failures and a run with only these does not exit non-zero
   */
  skipped?: RecordFailure[];
  /** the next page's cursor; null when this was the last page */
  nextCursor: string | null;
  /** the highest source timestamp fully applied in this page; the machinery stores it after the page */
  watermark: string | null;
  /** records in the whole run, when the source says (for progress and ETA) */
  total?: number;
  /** what the run could not do for the whole channel, said once per run (not a failure) */
  notes?: string[];
}

export interface SyncStream {
  name: StreamName;
  /**
   * Reads one page from the source and applies it to the target. Must be idempotent (a retried
   * page writes nothing twice: bindings + content hashes) and return only once every record of
   * the page is written or reported in `failed`.
   */
  syncPage(input: SyncPageInput): Promise<SyncPageResult>;
}
