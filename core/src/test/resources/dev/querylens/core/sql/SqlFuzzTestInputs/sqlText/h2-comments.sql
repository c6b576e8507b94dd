SELECT $$a'b$$ // c
, "X" FROM T -- d, 3