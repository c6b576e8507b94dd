SELECT * FROM cap_orders WHERE status IN ('NEW', 'HOLD') AND note LIKE 'abc%' OR note IS NULL AND total BETWEEN 10 AND 20
