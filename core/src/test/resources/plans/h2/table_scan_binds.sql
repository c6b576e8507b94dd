SELECT * FROM cap_orders WHERE status = ? AND created_at > ?
