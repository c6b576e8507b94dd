SELECT * FROM cap_orders o WHERE o.customer_id IN (SELECT id FROM cap_customers WHERE country = 'FR') AND o.status = 'NEW'
