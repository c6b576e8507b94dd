SELECT * FROM cap_orders WHERE status = 'NEW' ORDER BY created_at LIMIT 10
