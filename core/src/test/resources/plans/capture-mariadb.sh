#!/usr/bin/env bash
# Re-captures the MariaDB plan fixtures from a live server (mariadb client on PATH, root without password).
# Same data shape as capture-postgresql.sh. Plans are EXPLAIN FORMAT=JSON, never ANALYZE.
set -euo pipefail
cd "$(dirname "$0")/mariadb"
DB=(mariadb -h "${MYSQL_HOST:-127.0.0.1}" -u "${MYSQL_USER:-root}" "${MYSQL_DATABASE:-test}")

"${DB[@]}" >/dev/null <<'SQL'
DROP TABLE IF EXISTS cap_orders, cap_customers;
CREATE TABLE cap_customers (id bigint PRIMARY KEY, name varchar(100) NOT NULL, country varchar(2) NOT NULL);
CREATE TABLE cap_orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status varchar(20) NOT NULL,
  total decimal(10,2) NOT NULL, created_at datetime NOT NULL, note text,
  KEY cap_orders_customer_id_idx (customer_id));
INSERT INTO cap_customers SELECT seq, CONCAT('customer ', seq), ELT(1 + seq % 5, 'FR', 'DE', 'US', 'JP', 'BR')
  FROM seq_1_to_5000;
INSERT INTO cap_orders SELECT seq, 1 + seq % 5000, IF(seq % 100 = 0, 'NEW', 'DONE'), (seq % 997) * 1.5,
  TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq MINUTE, NULL FROM seq_1_to_60000;
ANALYZE TABLE cap_customers, cap_orders;
SQL

capture() { # name, sql; the .sql file beside the plan is what the parser gets as the statement
  printf '%s\n' "$2" >"$1.sql"
  "${DB[@]}" -N -r -B -e "EXPLAIN FORMAT=JSON $2" >"$1.json"
}
capture seq_scan_filter "SELECT * FROM cap_orders WHERE status = 'NEW'"
capture seq_scan_no_filter "SELECT status, count(*) FROM cap_orders GROUP BY status"
capture seq_scan_complex_filter "SELECT * FROM cap_orders WHERE status IN ('NEW', 'HOLD') AND note LIKE 'abc%' OR note IS NULL AND total BETWEEN 10 AND 20"
capture const_pk "SELECT * FROM cap_orders WHERE id = 42"
capture ref_index "SELECT * FROM cap_orders WHERE customer_id = 42"
capture full_index_scan "SELECT count(*) FROM cap_orders"
capture nested_loop "SELECT o.id, c.name FROM cap_orders o JOIN cap_customers c ON c.id = o.customer_id WHERE c.country = 'FR' AND o.status = 'NEW'"
capture block_nl_join "SELECT o.id, c.name FROM cap_customers c JOIN cap_orders o ON c.country = o.status WHERE o.total > 100"
capture semijoin "SELECT * FROM cap_orders o WHERE o.customer_id IN (SELECT id FROM cap_customers WHERE country = 'FR') AND o.status = 'NEW'"
capture derived_table "SELECT * FROM (SELECT status, count(*) n FROM cap_orders WHERE total > 10 GROUP BY status) t WHERE n > 5"
capture limit_stops_early "SELECT * FROM cap_orders WHERE status = 'NEW' LIMIT 10"
capture limit_after_sort "SELECT * FROM cap_orders WHERE status = 'NEW' ORDER BY created_at LIMIT 10"

"${DB[@]}" -e "DROP TABLE cap_orders, cap_customers"
