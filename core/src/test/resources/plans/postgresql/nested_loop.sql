SELECT o.id FROM cap_customers c JOIN cap_orders o ON o.customer_id = c.id WHERE c.id = 7
