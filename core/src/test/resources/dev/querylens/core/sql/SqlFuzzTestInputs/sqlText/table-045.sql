/* leading */ -- line
SELECT /* mid */ id -- trailing
FROM t /* end */