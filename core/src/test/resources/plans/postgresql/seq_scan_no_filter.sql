SELECT status, count(*) FROM cap_orders GROUP BY status
