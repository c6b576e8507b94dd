SELECT count(*) FROM cap_orders
