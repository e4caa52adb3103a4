-- WeChat mini-program login
-- The openid of the mini-program user an account is bound to; NULL until bound, one account each.
-- +goose Up
ALTER TABLE users ADD COLUMN wechat_openid VARCHAR(64) NULL;
CREATE UNIQUE INDEX ux_users_wechat_openid ON users (wechat_openid);
