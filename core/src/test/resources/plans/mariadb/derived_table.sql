SELECT * FROM (SELECT status, count(*) n FROM cap_orders WHERE total > 10 GROUP BY status) t WHERE n > 5
