MERGE INTO stock s USING (SELECT sku, qty FROM incoming) i ON (s.sku = i.sku)
WHEN MATCHED THEN UPDATE SET qty = s.qty + i.qty
WHEN NOT MATCHED THEN INSERT (sku, qty) VALUES (i.sku, i.qty)