import type { MagentoHttp } from './http';
import { paginate, type Page } from './pager';
import { ROUTES } from './routes';
import { ShipmentSchema, ShipmentSearchResultSchema, ShipmentTrackSchema, type Shipment, type ShipmentTrack } from './schemas';
import { SearchCriteria } from './search-criteria';

export interface TrackInput {
  orderId: number;
  shipmentId: number;
  trackNumber: string;
  title: string;
  carrierCode: string;
}

export class ShipmentsApi {
  constructor(private readonly http: MagentoHttp) {}

  /** GET /V1/shipment/:id (singular: there is no GET /V1/shipments/:id) */
  get(id: number): Promise<Shipment> {
    return this.http.call(ROUTES.shipments.get, { path: { id } }, ShipmentSchema);
  }

  search(criteria: SearchCriteria = SearchCriteria.empty()) {
    return this.http.call(ROUTES.shipments.search, { query: criteria.toQueryPairs() }, ShipmentSearchResultSchema);
  }

  pages(criteria: SearchCriteria = SearchCriteria.empty(), pageSize?: number): AsyncGenerator<Page<Shipment>> {
    return paginate((c) => this.search(c), criteria, pageSize);
  }

  /** the shipments of one order: the read-before-write of an idempotent ship */
  forOrder(orderId: number): Promise<Shipment[]> {
    return this.search(SearchCriteria.empty().where('order_id', 'eq', orderId)).then((r) => r.items);
  }

  /** a tracking number for an existing shipment (there is no GET for tracks: read shipment.tracks) */
  addTrack(input: TrackInput): Promise<ShipmentTrack> {
    const entity = {
      order_id: input.orderId,
      parent_id: input.shipmentId,
      track_number: input.trackNumber,
      title: input.title,
      carrier_code: input.carrierCode,
    };
    return this.http.call(ROUTES.shipments.addTrack, { body: { entity } }, ShipmentTrackSchema);
  }
}
