	SELECT  id ,
	        name
	  FROM  accounts
	 WHERE  id = 7 ;