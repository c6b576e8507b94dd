create table author (id int primary key, name varchar(50));
create table book (id int primary key, author_id int, title varchar(50));
