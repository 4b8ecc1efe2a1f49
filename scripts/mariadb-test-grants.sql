-- Run once by the test MariaDB of docker-compose-test-deps.yml when its data directory is new.
-- The MariaDB test fixture (MariaDbServer) makes a fresh database t_<hex> per test and drops it
-- afterwards; MARIADB_USER only gets bodhi_sessions.*, so the test user also gets every database
-- whose name starts with t_, and nothing else.
GRANT ALL PRIVILEGES ON `t\_%`.* TO 'bodhi_test'@'%';
