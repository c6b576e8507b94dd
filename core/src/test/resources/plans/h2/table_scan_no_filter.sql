SELECT status, COUNT(*) FROM cap_orders GROUP BY status
