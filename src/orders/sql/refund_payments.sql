-- Records that an order's approved payments went back to the customer. $1 order id.
UPDATE payment SET status = 'refunded', refunded_amount = amount WHERE order_id = $1 AND status = 'approved'
