SELECT * FROM cap_orders WHERE id = 42
