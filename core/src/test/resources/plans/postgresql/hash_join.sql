SELECT o.id, c.name FROM cap_orders o JOIN cap_customers c ON c.id = o.customer_id WHERE c.country = 'FR' AND o.status = 'NEW'
