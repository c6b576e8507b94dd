SELECT * FROM cap_orders WHERE status = 'NEW'
