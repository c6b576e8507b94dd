SELECT * FROM cap_new_orders WHERE total > 10
