SELECT o.id FROM cap_orders o LEFT JOIN cap_customers c ON c.id = o.customer_id WHERE o.status = 'NEW' AND c.country IS NULL
