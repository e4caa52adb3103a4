// Package service is the root of beian's domain: one package per bounded context below it, each
// with its entities, rules and use cases and the small interfaces it needs from storage and queues.
//
// Dependencies point one way, from the top of this list to the bottom (a test enforces it):
//
//	review        first review, hand-over to the bureau, the MIIT SMS check, the bureau's result
//	inspection    post-filing checks (备案核查) of filed records
//	transfer      authorizations for moving records between accounts (转移/迁移)
//	verification  the responsible person's QR scan and face photo (真实性核验)
//	filing        orders, their state machine, requirements, materials and filed records
//	account       accounts, login codes, sessions, staff accounts
//	notify        the outbox, message templates and the SMS / e-mail sender interfaces
//	kernel        what every context shares: clock, errors, field codes, masking, random tokens
//
// Beside them are leaf packages with no domain state: catalog (dictionaries, province rules, reason
// codes), validate (number and name validators), material and face (upload and photo checks).
//
// Nothing here imports gin, gorm, asynq, jwt or go-qrcode, nor the api, repository, jobs or config
// packages: they depend on service, never the other way round.
package service
