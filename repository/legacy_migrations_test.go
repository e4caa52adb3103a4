package repository_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/repository"
)

// This file keeps, frozen, the migration runner beian used before goose: its statements with the
// {{id}} and {{opts}} placeholders and its schema_migrations bookkeeping. The tests build databases
// the way that runner left them, to check that Migrate adopts them and that the SQL files produce
// the same schema.

// legacyLatest is the last version the old runner knew.
const legacyLatest = 7

type legacyMigration struct {
	version    int
	name       string
	statements []string
}

// migrateLegacy applies the old runner's migrations up to and including version upTo.
func migrateLegacy(t *testing.T, db *sql.DB, d repository.Dialect, upTo int) {
	t.Helper()
	ctx := context.Background()
	create := legacyExpand("CREATE TABLE IF NOT EXISTS schema_migrations (version INT NOT NULL PRIMARY KEY, "+
		"name VARCHAR(100) NOT NULL, applied_at DATETIME(6) NOT NULL){{opts}}", d)
	if _, err := db.ExecContext(ctx, create); err != nil {
		t.Fatalf("legacy: create schema_migrations: %v", err)
	}
	for _, m := range legacyMigrations() {
		if m.version > upTo {
			break
		}
		for _, stmt := range m.statements {
			if _, err := db.ExecContext(ctx, legacyExpand(stmt, d)); err != nil {
				t.Fatalf("legacy migration %d: %v", m.version, err)
			}
		}
		if _, err := db.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			m.version, m.name, time.Now().UTC()); err != nil {
			t.Fatalf("legacy migration %d: record: %v", m.version, err)
		}
	}
}

func legacyExpand(stmt string, d repository.Dialect) string {
	if d == repository.MySQL {
		return strings.NewReplacer("{{id}}", "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY",
			"{{opts}}", " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin").Replace(stmt)
	}
	return strings.NewReplacer("{{id}}", "id INTEGER PRIMARY KEY AUTOINCREMENT", "{{opts}}", "",
		"DATETIME(6)", "DATETIME").Replace(stmt)
}

func legacyMigrations() []legacyMigration {
	return []legacyMigration{
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
		// The reviewer queue filters on status (always), province and type, and pages by
		// (updated_at, id): one index per filter combination so every page is an index range scan.
		{6, "review queue and claims", []string{
			`ALTER TABLE orders ADD COLUMN claimed_by BIGINT NULL`,
			`ALTER TABLE orders ADD COLUMN claim_expires_at DATETIME(6) NULL`,
			`CREATE INDEX ix_orders_queue_province ON orders (status, province, updated_at, id)`,
			`CREATE INDEX ix_orders_queue_type ON orders (status, type, updated_at, id)`,
			`CREATE INDEX ix_orders_queue_province_type ON orders (status, province, type, updated_at, id)`,
		}},
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
	}
}
