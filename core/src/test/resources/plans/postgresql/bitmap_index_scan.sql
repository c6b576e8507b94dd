SELECT * FROM cap_orders WHERE customer_id = 42
