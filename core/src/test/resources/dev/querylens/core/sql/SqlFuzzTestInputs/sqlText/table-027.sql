select id from t where a = '--not a comment' -- real comment
  and b = 1