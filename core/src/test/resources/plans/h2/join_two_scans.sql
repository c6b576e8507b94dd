SELECT o.id, c.name FROM cap_customers c JOIN cap_orders o ON c.country = o.status WHERE o.total > 100 AND c.name LIKE 'x%'
