DROP TABLE login_throttle;
DROP TABLE user_sessions;
