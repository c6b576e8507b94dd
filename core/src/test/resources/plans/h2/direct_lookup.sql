SELECT COUNT(*) FROM cap_orders
