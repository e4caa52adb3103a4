package repository

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// migration is one versioned schema step. Its statements use two placeholders: {{id}} for the
// auto-increment primary key and {{opts}} for the MySQL table options; everything else is SQL
// that MySQL/MariaDB and SQLite both accept. On SQLite, DATETIME(6) becomes DATETIME: the driver
// only parses times from columns declared exactly DATE, DATETIME or TIMESTAMP.
type migration struct {
	version    int
	name       string
	statements []string
}

// Migrate applies every migration the database does not have yet, in order, and reports how many it
// applied. Running it again is a no-op. On MySQL a named lock keeps two processes from migrating at
// once.
func Migrate(ctx context.Context, db *gorm.DB, dialect Dialect) (int, error) {
	sqlDB, err := db.DB()
	if err != nil {
		return 0, err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate: connect: %w", err)
	}
	defer conn.Close()
	if dialect == MySQL {
		var got sql.NullInt64
		if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK('beian_migrate', 120)").Scan(&got); err != nil || got.Int64 != 1 {
			return 0, fmt.Errorf("migrate: lock not acquired: %v", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT RELEASE_LOCK('beian_migrate')")
	}
	create := expand("CREATE TABLE IF NOT EXISTS schema_migrations (version INT NOT NULL PRIMARY KEY, "+
		"name VARCHAR(100) NOT NULL, applied_at DATETIME(6) NOT NULL){{opts}}", dialect)
	if _, err := conn.ExecContext(ctx, create); err != nil {
		return 0, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	applied := 0
	for _, m := range migrations() {
		var n int
		if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&n); err != nil {
			return applied, fmt.Errorf("migrate: read version: %w", err)
		}
		if n > 0 {
			continue
		}
		for _, stmt := range m.statements {
			if _, err := conn.ExecContext(ctx, expand(stmt, dialect)); err != nil {
				return applied, fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
			}
		}
		if _, err := conn.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			m.version, m.name, time.Now().UTC()); err != nil {
			return applied, fmt.Errorf("migration %d: record: %w", m.version, err)
		}
		applied++
	}
	return applied, nil
}

func expand(stmt string, d Dialect) string {
	if d == MySQL {
		return strings.NewReplacer("{{id}}", "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY",
			"{{opts}}", " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin").Replace(stmt)
	}
	return strings.NewReplacer("{{id}}", "id INTEGER PRIMARY KEY AUTOINCREMENT", "{{opts}}", "",
		"DATETIME(6)", "DATETIME").Replace(stmt)
}

// migrations is the schema's history; append, never edit a released step.
func migrations() []migration {
	return []migration{
		{1, "accounts and outbox", []string{
			`CREATE TABLE users ({{id}}, phone VARCHAR(20) NOT NULL, role VARCHAR(16) NOT NULL,
				password_hash VARCHAR(100) NOT NULL DEFAULT '', created_at DATETIME(6) NOT NULL,
				updated_at DATETIME(6) NOT NULL){{opts}}`,
			`CREATE UNIQUE INDEX ux_users_phone ON users (phone)`,
			`CREATE TABLE sms_codes ({{id}}, phone VARCHAR(20) NOT NULL, purpose VARCHAR(32) NOT NULL,
				code_hash CHAR(64) NOT NULL, attempts INT NOT NULL DEFAULT 0, expires_at DATETIME(6) NOT NULL,
				used_at DATETIME(6) NULL, created_at DATETIME(6) NOT NULL){{opts}}`,
			`CREATE INDEX ix_sms_codes_phone ON sms_codes (phone, purpose, id)`,
			`CREATE TABLE refresh_tokens ({{id}}, user_id BIGINT NOT NULL, family_id VARCHAR(32) NOT NULL,
				token_hash CHAR(64) NOT NULL, expires_at DATETIME(6) NOT NULL, rotated_at DATETIME(6) NULL,
				revoked_at DATETIME(6) NULL, created_at DATETIME(6) NOT NULL,
				FOREIGN KEY (user_id) REFERENCES users (id)){{opts}}`,
			`CREATE UNIQUE INDEX ux_refresh_tokens_hash ON refresh_tokens (token_hash)`,
			`CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id)`,
			`CREATE TABLE outbox ({{id}}, channel VARCHAR(16) NOT NULL, template VARCHAR(64) NOT NULL,
				recipient_enc BLOB NOT NULL, params_enc BLOB NOT NULL, status VARCHAR(16) NOT NULL,
				attempts INT NOT NULL DEFAULT 0, lease_until DATETIME(6) NULL, enqueued_at DATETIME(6) NULL,
				sent_at DATETIME(6) NULL, last_error VARCHAR(500) NOT NULL DEFAULT '',
				created_at DATETIME(6) NOT NULL, updated_at DATETIME(6) NOT NULL){{opts}}`,
			`CREATE INDEX ix_outbox_status ON outbox (status, updated_at)`,
		}},
		// ---- migration 2: filing (subjects, services, orders, events, materials) ----
		{2, "filing", []string{
			`CREATE TABLE subjects ({{id}}, account_id BIGINT NOT NULL, live TINYINT NULL, status VARCHAR(16) NOT NULL,
				nature INT NOT NULL, province CHAR(2) NOT NULL, cert_index CHAR(64) NOT NULL, info_enc BLOB NOT NULL,
				created_at DATETIME(6) NOT NULL, updated_at DATETIME(6) NOT NULL,
				FOREIGN KEY (account_id) REFERENCES users (id)){{opts}}`,
			`CREATE UNIQUE INDEX ux_subjects_account ON subjects (account_id, live)`,
			`CREATE UNIQUE INDEX ux_subjects_cert ON subjects (cert_index, live)`,
			`CREATE TABLE services ({{id}}, subject_id BIGINT NOT NULL, account_id BIGINT NOT NULL,
				kind VARCHAR(16) NOT NULL, status VARCHAR(16) NOT NULL, info_enc BLOB NOT NULL,
				created_at DATETIME(6) NOT NULL, updated_at DATETIME(6) NOT NULL,
				FOREIGN KEY (subject_id) REFERENCES subjects (id)){{opts}}`,
			`CREATE INDEX ix_services_subject ON services (subject_id, status)`,
			`CREATE TABLE orders ({{id}}, account_id BIGINT NOT NULL, type VARCHAR(32) NOT NULL,
				status VARCHAR(32) NOT NULL, province VARCHAR(2) NOT NULL DEFAULT '', subject_id BIGINT NULL,
				in_flight TINYINT NULL, proposal_enc MEDIUMBLOB NOT NULL, version INT NOT NULL,
				submitted_at DATETIME(6) NULL, created_at DATETIME(6) NOT NULL, updated_at DATETIME(6) NOT NULL,
				FOREIGN KEY (account_id) REFERENCES users (id)){{opts}}`,
			`CREATE UNIQUE INDEX ux_orders_in_flight ON orders (account_id, in_flight)`,
			`CREATE INDEX ix_orders_queue ON orders (status, province, id)`,
			`CREATE TABLE order_events ({{id}}, order_id BIGINT NOT NULL, event VARCHAR(32) NOT NULL,
				actor_kind VARCHAR(16) NOT NULL, actor_id BIGINT NOT NULL DEFAULT 0, from_status VARCHAR(32) NOT NULL,
				to_status VARCHAR(32) NOT NULL, reasons VARCHAR(1000) NOT NULL DEFAULT '',
				comment VARCHAR(2000) NOT NULL DEFAULT '', created_at DATETIME(6) NOT NULL,
				FOREIGN KEY (order_id) REFERENCES orders (id)){{opts}}`,
			`CREATE INDEX ix_order_events_order ON order_events (order_id, id)`,
			`CREATE TABLE materials ({{id}}, order_id BIGINT NOT NULL, account_id BIGINT NOT NULL,
				kind VARCHAR(80) NOT NULL, media_type VARCHAR(40) NOT NULL, size BIGINT NOT NULL,
				sha256 CHAR(64) NOT NULL, width INT NOT NULL DEFAULT 0, height INT NOT NULL DEFAULT 0,
				blob_key VARCHAR(200) NOT NULL, created_at DATETIME(6) NOT NULL,
				FOREIGN KEY (order_id) REFERENCES orders (id)){{opts}}`,
			`CREATE INDEX ix_materials_order ON materials (order_id, id)`,
		}},
		// ---- migration 3: verification ----
		{3, "verification", []string{
			`CREATE TABLE verifications ({{id}}, owner_id BIGINT NOT NULL, order_id BIGINT NOT NULL,
				person_role VARCHAR(32) NOT NULL, service_id BIGINT NOT NULL DEFAULT 0, state VARCHAR(16) NOT NULL,
				token_id BIGINT NOT NULL DEFAULT 0, token_expires_at DATETIME(6) NOT NULL, scanned_at DATETIME(6) NULL,
				attempts INT NOT NULL DEFAULT 0, reasons VARCHAR(500) NOT NULL DEFAULT '',
				identity_verified BOOLEAN NOT NULL DEFAULT FALSE, consent_at DATETIME(6) NULL,
				pending_photo_key VARCHAR(200) NOT NULL DEFAULT '', photo_key VARCHAR(200) NOT NULL DEFAULT '',
				confirmed_at DATETIME(6) NULL, created_at DATETIME(6) NOT NULL, updated_at DATETIME(6) NOT NULL,
				FOREIGN KEY (owner_id) REFERENCES users (id)){{opts}}`,
			`CREATE UNIQUE INDEX ux_verifications_person ON verifications (order_id, person_role, service_id)`,
			`CREATE TABLE verification_tokens ({{id}}, verification_id BIGINT NOT NULL, token_hash CHAR(64) NOT NULL,
				token_enc BLOB NOT NULL, expires_at DATETIME(6) NOT NULL, used_at DATETIME(6) NULL,
				revoked_at DATETIME(6) NULL, created_at DATETIME(6) NOT NULL,
				FOREIGN KEY (verification_id) REFERENCES verifications (id)){{opts}}`,
			`CREATE UNIQUE INDEX ux_verification_tokens_hash ON verification_tokens (token_hash)`,
			`CREATE INDEX ix_verification_tokens_verification ON verification_tokens (verification_id, revoked_at)`,
			`CREATE TABLE verification_attempts ({{id}}, verification_id BIGINT NOT NULL, token_id BIGINT NOT NULL,
				attempt_no INT NOT NULL, passed BOOLEAN NOT NULL, reasons VARCHAR(500) NOT NULL DEFAULT '',
				identity_verified BOOLEAN NOT NULL DEFAULT FALSE, photo_key VARCHAR(200) NOT NULL DEFAULT '',
				consent_at DATETIME(6) NOT NULL, created_at DATETIME(6) NOT NULL,
				FOREIGN KEY (verification_id) REFERENCES verifications (id)){{opts}}`,
			`CREATE UNIQUE INDEX ux_verification_attempts_no ON verification_attempts (token_id, attempt_no)`,
		}},
		{4, "order deadlines, SMS checks and reminders", []string{
			`ALTER TABLE orders ADD COLUMN sms_enc BLOB NULL`,
			`ALTER TABLE orders ADD COLUMN deadline_at DATETIME(6) NULL`,
			`ALTER TABLE orders ADD COLUMN reminders INT NOT NULL DEFAULT 0`,
			`ALTER TABLE orders ADD COLUMN reminded_at DATETIME(6) NULL`,
			`CREATE INDEX ix_orders_deadline ON orders (status, deadline_at)`,
			`CREATE INDEX ix_orders_idle ON orders (status, updated_at)`,
		}},
		{5, "sequences for filing numbers", []string{
			`CREATE TABLE sequences (name VARCHAR(64) NOT NULL PRIMARY KEY, last BIGINT NOT NULL DEFAULT 0){{opts}}`,
		}},
		// ---- migration 6: review ----
		// The reviewer queue filters on status (always), province and type, and pages by
		// (updated_at, id): one index per filter combination so every page is an index range scan.
		{6, "review queue and claims", []string{
			`ALTER TABLE orders ADD COLUMN claimed_by BIGINT NULL`,
			`ALTER TABLE orders ADD COLUMN claim_expires_at DATETIME(6) NULL`,
			`CREATE INDEX ix_orders_queue_province ON orders (status, province, updated_at, id)`,
			`CREATE INDEX ix_orders_queue_type ON orders (status, type, updated_at, id)`,
			`CREATE INDEX ix_orders_queue_province_type ON orders (status, province, type, updated_at, id)`,
		}},
		// ---- migration 7: flows and inspections ----
		{7, "post-filing checks and migration authorizations", []string{
			`CREATE TABLE inspections ({{id}}, account_id BIGINT NOT NULL, subject_id BIGINT NOT NULL,
				service_id BIGINT NOT NULL DEFAULT 0, target VARCHAR(300) NOT NULL, reasons VARCHAR(1000) NOT NULL,
				comment VARCHAR(4000) NOT NULL DEFAULT '', deadline_at DATETIME(6) NOT NULL, status VARCHAR(16) NOT NULL,
				answer_note VARCHAR(4000) NOT NULL DEFAULT '', answer_order_id BIGINT NOT NULL DEFAULT 0,
				answered_at DATETIME(6) NULL, opened_by BIGINT NOT NULL, resolved_by BIGINT NOT NULL DEFAULT 0,
				resolved_at DATETIME(6) NULL, created_at DATETIME(6) NOT NULL, updated_at DATETIME(6) NOT NULL,
				FOREIGN KEY (subject_id) REFERENCES subjects (id)){{opts}}`,
			`CREATE INDEX ix_inspections_account ON inspections (account_id, id)`,
			`CREATE INDEX ix_inspections_status ON inspections (status, id)`,
			`CREATE INDEX ix_inspections_due ON inspections (status, deadline_at)`,
			`CREATE TABLE inspection_events ({{id}}, inspection_id BIGINT NOT NULL, event VARCHAR(16) NOT NULL,
				actor_kind VARCHAR(16) NOT NULL, actor_id BIGINT NOT NULL DEFAULT 0, comment VARCHAR(1000) NOT NULL DEFAULT '',
				created_at DATETIME(6) NOT NULL, FOREIGN KEY (inspection_id) REFERENCES inspections (id)){{opts}}`,
			`CREATE INDEX ix_inspection_events_inspection ON inspection_events (inspection_id, id)`,
			`CREATE TABLE authorizations ({{id}}, order_id BIGINT NOT NULL, from_account_id BIGINT NOT NULL,
				target_account_id BIGINT NOT NULL, status VARCHAR(16) NOT NULL, code_hash CHAR(64) NOT NULL,
				attempts INT NOT NULL DEFAULT 0, expires_at DATETIME(6) NOT NULL, decided_at DATETIME(6) NULL,
				created_at DATETIME(6) NOT NULL, FOREIGN KEY (order_id) REFERENCES orders (id)){{opts}}`,
			`CREATE UNIQUE INDEX ux_authorizations_order ON authorizations (order_id)`,
			`CREATE INDEX ix_authorizations_target ON authorizations (target_account_id, id)`,
		}},
		{8, "reviewers' views of materials and verification photos", []string{
			`CREATE TABLE review_file_views ({{id}}, reviewer_id BIGINT NOT NULL, order_id BIGINT NOT NULL,
				object VARCHAR(32) NOT NULL, ref VARCHAR(64) NOT NULL, viewed_at DATETIME(6) NOT NULL){{opts}}`,
			`CREATE INDEX ix_review_file_views_order ON review_file_views (order_id, id)`,
		}},
	}
}
