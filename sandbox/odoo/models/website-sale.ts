import type { Store } from '../orm';
import { binary, char, constant, int, m2o, o2m } from './fields';

/**
 * What the eCommerce app (website_sale) adds that the connector uses: a product's extra images,
 * `product.image` (addons/website_sale/models/product_image.py), and the template's one2many to
 * them. Defined only in a sandbox database told the app is installed (option `modules`), as a
 * real database without it has neither.
 */
export function defineWebsiteSaleModels(db: Store): void {
  db.define({
    name: 'product.image',
    description: 'Product Image',
    order: 'sequence, id',
    fields: {
      name: char('Name', { required: true }),
      sequence: int('Sequence', { default: constant(10) }),
      image_1920: binary('Image'),
      product_tmpl_id: m2o('product.template', 'Product Template'),
      product_variant_id: m2o('product.product', 'Product Variant'),
    },
  });
  db.extend('product.template', { product_template_image_ids: o2m('product.image', 'product_tmpl_id', 'Extra Product Media') });
}
