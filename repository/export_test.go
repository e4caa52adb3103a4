package repository

import "gorm.io/gorm"

// NextInSequence exposes nextInSequence to the external tests of this package.
func NextInSequence(tx *gorm.DB, name string) (int64, error) { return nextInSequence(tx, name) }

// Transact exposes transact to the external tests of this package.
var Transact = transact
