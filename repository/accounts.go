package repository

import (
	"context"
	"time"

	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"gorm.io/gorm"
)

type userRow struct {
	ID           int64 `gorm:"primaryKey"`
	Phone        string
	Role         string
	PasswordHash string
	WeChatOpenID *string `gorm:"column:wechat_openid"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (userRow) TableName() string { return "users" }

func (r userRow) toService() account.User {
	return account.User{ID: r.ID, Phone: r.Phone, Role: account.Role(r.Role), PasswordHash: r.PasswordHash, CreatedAt: r.CreatedAt}
}

// UserRepo keeps accounts; it satisfies service.UserStore.
type UserRepo struct{ db *gorm.DB }

// NewUserRepo returns a UserRepo on db.
func NewUserRepo(db *gorm.DB) *UserRepo { return &UserRepo{db: db} }

// UserByPhone finds an account by its phone number.
func (r *UserRepo) UserByPhone(ctx context.Context, phone string) (account.User, error) {
	var row userRow
	err := r.db.WithContext(ctx).Where("phone = ?", phone).Take(&row).Error
	return row.toService(), translate(err)
}

// UserByID finds an account by id.
func (r *UserRepo) UserByID(ctx context.Context, id int64) (account.User, error) {
	var row userRow
	err := r.db.WithContext(ctx).Take(&row, id).Error
	return row.toService(), translate(err)
}

// UserByWeChatOpenID finds the account a mini-program user is bound to.
func (r *UserRepo) UserByWeChatOpenID(ctx context.Context, openID string) (account.User, error) {
	var row userRow
	err := r.db.WithContext(ctx).Where("wechat_openid = ?", openID).Take(&row).Error
	return row.toService(), translate(err)
}

// BindWeChat binds openID to account id unless the account is bound to another openid (false).
// An openid bound to another account is ErrConflict (the column is unique).
func (r *UserRepo) BindWeChat(ctx context.Context, id int64, openID string) (bool, error) {
	res := r.db.WithContext(ctx).Model(&userRow{}).
		Where("id = ? AND (wechat_openid IS NULL OR wechat_openid = ?)", id, openID).
		Updates(map[string]any{"wechat_openid": openID, "updated_at": kernel.SystemClock()})
	return res.RowsAffected == 1, translate(res.Error)
}

// AccountPhone is the current phone of account id; the notifications resolve account addresses with it.
func (r *UserRepo) AccountPhone(ctx context.Context, id int64) (string, error) {
	var phones []string
	if err := r.db.WithContext(ctx).Model(&userRow{}).Where("id = ?", id).Limit(1).Pluck("phone", &phones).Error; err != nil {
		return "", translate(err)
	}
	if len(phones) == 0 {
		return "", kernel.ErrNotFound
	}
	return phones[0], nil
}

// CreateUser inserts an account; a taken phone is service.ErrConflict.
func (r *UserRepo) CreateUser(ctx context.Context, u account.User) (account.User, error) {
	row := userRow{Phone: u.Phone, Role: string(u.Role), PasswordHash: u.PasswordHash, CreatedAt: u.CreatedAt, UpdatedAt: u.CreatedAt}
	err := r.db.WithContext(ctx).Create(&row).Error
	return row.toService(), translate(err)
}

// SetPassword stores a password hash.
func (r *UserRepo) SetPassword(ctx context.Context, id int64, hash string) error {
	return r.update(ctx, id, map[string]any{"password_hash": hash})
}

// SetRole changes an account's role.
func (r *UserRepo) SetRole(ctx context.Context, id int64, role account.Role) error {
	return r.update(ctx, id, map[string]any{"role": string(role)})
}

func (r *UserRepo) update(ctx context.Context, id int64, cols map[string]any) error {
	cols["updated_at"] = kernel.SystemClock()
	res := r.db.WithContext(ctx).Model(&userRow{}).Where("id = ?", id).Updates(cols)
	if res.Error == nil && res.RowsAffected == 0 {
		return kernel.ErrNotFound
	}
	return translate(res.Error)
}

type smsCodeRow struct {
	ID        int64 `gorm:"primaryKey"`
	Phone     string
	Purpose   string
	CodeHash  string
	Attempts  int
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

func (smsCodeRow) TableName() string { return "sms_codes" }

func (r smsCodeRow) toService() account.SMSCode {
	return account.SMSCode{ID: r.ID, Phone: r.Phone, Purpose: account.CodePurpose(r.Purpose), CodeHash: r.CodeHash,
		Attempts: r.Attempts, ExpiresAt: r.ExpiresAt, UsedAt: r.UsedAt, CreatedAt: r.CreatedAt}
}

// CodeRepo keeps SMS codes; it satisfies service.CodeStore.
type CodeRepo struct {
	db     *gorm.DB
	outbox *OutboxRepo
}

// NewCodeRepo returns a CodeRepo that writes code notifications through outbox.
func NewCodeRepo(db *gorm.DB, outbox *OutboxRepo) *CodeRepo { return &CodeRepo{db: db, outbox: outbox} }

// CreateCode stores a code, voids older unused ones and writes its SMS to the outbox, atomically.
func (r *CodeRepo) CreateCode(ctx context.Context, c account.SMSCode, n notify.Notification) (int64, error) {
	var id int64
	err := transact(ctx, r.db, func(tx *gorm.DB) error {
		if err := tx.Model(&smsCodeRow{}).Where("phone = ? AND purpose = ? AND used_at IS NULL", c.Phone, string(c.Purpose)).
			Update("used_at", c.CreatedAt).Error; err != nil {
			return err
		}
		row := smsCodeRow{Phone: c.Phone, Purpose: string(c.Purpose), CodeHash: c.CodeHash, ExpiresAt: c.ExpiresAt, CreatedAt: c.CreatedAt}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		ids, err := r.outbox.insert(tx, n)
		if err == nil {
			id = ids[0]
		}
		return err
	})
	return id, translate(err)
}

// LatestCode is the newest unused code for phone and purpose.
func (r *CodeRepo) LatestCode(ctx context.Context, phone string, purpose account.CodePurpose) (account.SMSCode, error) {
	var row smsCodeRow
	err := r.db.WithContext(ctx).Where("phone = ? AND purpose = ? AND used_at IS NULL", phone, string(purpose)).
		Order("id DESC").Take(&row).Error
	return row.toService(), translate(err)
}

// ConsumeCode marks the code used, in one conditional UPDATE; exactly one caller can win.
func (r *CodeRepo) ConsumeCode(ctx context.Context, id int64, now time.Time) (bool, error) {
	res := r.db.WithContext(ctx).Model(&smsCodeRow{}).
		Where("id = ? AND used_at IS NULL AND expires_at > ? AND attempts < ?", id, now, account.CodeMaxWrong).
		Update("used_at", now)
	return res.RowsAffected == 1, translate(res.Error)
}

// RecordWrongCode counts a wrong try, in one conditional UPDATE bounded by the lock limit.
func (r *CodeRepo) RecordWrongCode(ctx context.Context, id int64) (bool, error) {
	res := r.db.WithContext(ctx).Model(&smsCodeRow{}).
		Where("id = ? AND used_at IS NULL AND attempts < ?", id, account.CodeMaxWrong).
		Update("attempts", gorm.Expr("attempts + 1"))
	return res.RowsAffected == 1, translate(res.Error)
}

type refreshTokenRow struct {
	ID        int64 `gorm:"primaryKey"`
	UserID    int64
	FamilyID  string
	TokenHash string
	ExpiresAt time.Time
	RotatedAt *time.Time
	RevokedAt *time.Time
	CreatedAt time.Time
}

func (refreshTokenRow) TableName() string { return "refresh_tokens" }

func (r refreshTokenRow) toService() account.RefreshToken {
	return account.RefreshToken{ID: r.ID, UserID: r.UserID, FamilyID: r.FamilyID, TokenHash: r.TokenHash,
		ExpiresAt: r.ExpiresAt, RotatedAt: r.RotatedAt, RevokedAt: r.RevokedAt, CreatedAt: r.CreatedAt}
}

func refreshTokenFromService(t account.RefreshToken) refreshTokenRow {
	return refreshTokenRow{UserID: t.UserID, FamilyID: t.FamilyID, TokenHash: t.TokenHash, ExpiresAt: t.ExpiresAt, CreatedAt: t.CreatedAt}
}

// TokenRepo keeps refresh tokens; it satisfies service.RefreshTokenStore.
type TokenRepo struct{ db *gorm.DB }

// NewTokenRepo returns a TokenRepo on db.
func NewTokenRepo(db *gorm.DB) *TokenRepo { return &TokenRepo{db: db} }

// CreateRefreshToken inserts a token.
func (r *TokenRepo) CreateRefreshToken(ctx context.Context, t account.RefreshToken) error {
	row := refreshTokenFromService(t)
	return translate(r.db.WithContext(ctx).Create(&row).Error)
}

// RefreshTokenByHash finds a token by the hash of its value.
func (r *TokenRepo) RefreshTokenByHash(ctx context.Context, hash string) (account.RefreshToken, error) {
	var row refreshTokenRow
	err := r.db.WithContext(ctx).Where("token_hash = ?", hash).Take(&row).Error
	return row.toService(), translate(err)
}

// RotateRefreshToken retires old and inserts next in one transaction, only if old was live.
func (r *TokenRepo) RotateRefreshToken(ctx context.Context, oldID int64, next account.RefreshToken, now time.Time) (bool, error) {
	won := false
	err := transact(ctx, r.db, func(tx *gorm.DB) error {
		res := tx.Model(&refreshTokenRow{}).Where("id = ? AND rotated_at IS NULL AND revoked_at IS NULL", oldID).
			Update("rotated_at", now)
		if res.Error != nil || res.RowsAffected != 1 {
			return res.Error
		}
		row := refreshTokenFromService(next)
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		won = true
		return nil
	})
	return won, translate(err)
}

// RevokeFamily revokes every live token of a family.
func (r *TokenRepo) RevokeFamily(ctx context.Context, familyID string, now time.Time) error {
	return translate(r.db.WithContext(ctx).Model(&refreshTokenRow{}).
		Where("family_id = ? AND revoked_at IS NULL", familyID).Update("revoked_at", now).Error)
}
